package io.dbcomposite.internal.log;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.ChangeStatus;

import java.time.Instant;

/**
 * One row of {@code dbc_sync_log} as the engine reads it.
 *
 * @param id position in local commit order
 * @param txId the local transaction
 * @param entityName the JPA entity name
 * @param entityId the id in string form
 * @param operation insert, update or delete
 * @param payload the JSON state, null for a delete
 * @param status PENDING or FAILED when claimed
 * @param attempts failed attempts so far
 * @param nextAttemptAt when a FAILED change is due, or null
 * @param base the JSON state the change was based on, null if none was recorded, {@link #OVERWRITE} for a conflict
 *        retried
 * @param parsed the payload read ahead on the engine's helper thread (the replay's own form, opaque to the log), or null
 * @param fresh PENDING with no error written on it yet: the engine has not held it back, so it lies at or above the
 *        log's floor (false for a change built from a capture, which is not in the log)
 */
public record LoggedChange(long id, String txId, String entityName, String entityId, ChangeOperation operation, String payload,
                    ChangeStatus status, int attempts, Instant nextAttemptAt, String base, Object parsed,
                           boolean fresh) {

    /** The base of a conflict retried: the replay takes the remote row as it finds it. */
    public static final String OVERWRITE = "*";

    /** @return this change with its payload read ahead */
    public LoggedChange withParsed(Object read) {
        return new LoggedChange(id, txId, entityName, entityId, operation, payload, status, attempts, nextAttemptAt, base, read,
                fresh);
    }

    /** @return the entity row this change is of */
    public RowKey row() {
        return new RowKey(entityName, entityId);
    }

    /** An entity row: the unit whose changes must keep their order. */
    public record RowKey(String entityName, String entityId) {
    }
}
