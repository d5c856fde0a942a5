package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;

/**
 * A change flushed on one side that must also reach another: the full state by the source persister's
 * property order, and the version the target row is expected to hold before it.
 *
 * @param entityName the Hibernate entity name
 * @param id the identifier
 * @param operation insert, update or delete
 * @param state the full flushed state (null for a delete)
 * @param previousVersion the version before this change, or null when unknown or not versioned
 * @param seq its place in flush order ({@link io.dbcomposite.internal.capture.FlushOrder})
 */
record PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq) {

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion) {
        this(entityName, id, operation, state, previousVersion, io.dbcomposite.internal.capture.FlushOrder.next());
    }
}
