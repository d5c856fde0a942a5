package io.dbcomposite;

/** The kind of change a {@link SyncLogEntity} row records. */
public enum ChangeOperation {
    /** A new row. */
    INSERT,
    /** A changed row (its full new state is recorded). */
    UPDATE,
    /** A removed row. */
    DELETE
}
