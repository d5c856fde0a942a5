package io.dbcomposite;

/** Where a {@link SyncLogEntity} row is in its life. */
public enum ChangeStatus {
    /** Waiting for its first replay. */
    PENDING,
    /** Reached the remote. */
    SYNCED,
    /** Failed at least once; retried at {@code nextAttemptAt}. */
    FAILED,
    /** Failed {@code dbcomposite.sync.max-attempts} times; waits for {@code retryDeadLetters()}. */
    DEAD
}
