package io.dbcomposite.internal.sync;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.ChangeStatus;
import io.dbcomposite.internal.capture.SnapshotCodec;

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
 * @param parsed the payload read ahead on the engine's helper thread, or null
 */
record LoggedChange(long id, String txId, String entityName, String entityId, ChangeOperation operation, String payload,
                    ChangeStatus status, int attempts, Instant nextAttemptAt, SnapshotCodec.Parsed parsed) {

    LoggedChange withParsed(SnapshotCodec.Parsed read) {
        return new LoggedChange(id, txId, entityName, entityId, operation, payload, status, attempts, nextAttemptAt, read);
    }

    RowKey row() {
        return new RowKey(entityName, entityId);
    }

    /** An entity row: the unit whose changes must keep their order. */
    record RowKey(String entityName, String entityId) {
    }
}
