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
 * @param keys for the key column of a unidirectional one-to-many (which no entity state holds): the rows the
 *        collection now holds, or null for an entity write
 * @param newRow an insert of a row no side holds yet (a held or cascaded insert that ran nowhere): it is applied as a
 *        plain insert, so an id that already exists there fails as in plain Hibernate instead of overwriting that row
 * @param detachedMerge the update of a row from {@code previousVersion}, the version a detached versioned instance was
 *        read at (merged into the local session, which found no row and inserted it): a row at another version fails
 *        it; a row deleted meanwhile is inserted again at that version, as plain Hibernate's merge does
 * @param before the row's state as its session loaded it (an update or delete of a held entity), or null: the base a
 *        queued change of it is checked against when it is replayed; for an update with {@code changed}, the state the
 *        changed embeddables are compared with, part by part
 * @param changed for an update of a row through an instance another side loaded (a locally written entity reached
 *        from a remote-only one), the properties the change set, by index, or null for the whole state: that instance
 *        may lag the row by changes not yet synced, which only the properties it changed may overwrite
 * @param wholeIfMissing for such an update, whether a row the target does not hold is written whole (the target's
 *        row is a copy of the remote's, a {@code DUAL} entity) instead of refused (the row is the target's own)
 */
record PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq,
                    KeyWrite keys, boolean newRow, boolean detachedMerge, Object[] before, boolean[] changed,
                    boolean wholeIfMissing) {

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq,
                 KeyWrite keys, boolean newRow, boolean detachedMerge, Object[] before) {
        this(entityName, id, operation, state, previousVersion, seq, keys, newRow, detachedMerge, before, null, false);
    }

    /**
     * @return the update of a row through an instance loaded by another side than the row's write side, which sets the
     *     {@code changed} properties from {@code state} and keeps the row's others (see {@code changed})
     */
    static PendingWrite ofChanged(String entityName, Object id, Object[] state, Object previousVersion, Object[] before,
                                  boolean[] changed, boolean wholeIfMissing) {
        return new PendingWrite(entityName, id, ChangeOperation.UPDATE, state, previousVersion,
                io.dbcomposite.internal.capture.FlushOrder.next(), null, false, false, before, changed, wholeIfMissing);
    }

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq,
                 KeyWrite keys, boolean newRow, boolean detachedMerge) {
        this(entityName, id, operation, state, previousVersion, seq, keys, newRow, detachedMerge, null);
    }

    /** @return a write of a held entity, with the row's state as its session loaded it */
    static PendingWrite held(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion,
                             Object[] before) {
        return new PendingWrite(entityName, id, operation, state, previousVersion,
                io.dbcomposite.internal.capture.FlushOrder.next(), null, false, false, before);
    }

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq,
                 KeyWrite keys, boolean newRow) {
        this(entityName, id, operation, state, previousVersion, seq, keys, newRow, false);
    }

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq,
                 KeyWrite keys) {
        this(entityName, id, operation, state, previousVersion, seq, keys, false);
    }

    /**
     * @return the update of a row a detached instance read at {@code readVersion} (see {@code detachedMerge}): applied
     *     only over that version, to {@code state}, whose version is the next one
     */
    static PendingWrite ofDetached(String entityName, Object id, Object[] state, Object readVersion) {
        return new PendingWrite(entityName, id, ChangeOperation.UPDATE, state, readVersion,
                io.dbcomposite.internal.capture.FlushOrder.next(), null, false, true);
    }

    /** @return the insert of a row that ran on no side yet (see {@code newRow}) */
    static PendingWrite newRow(String entityName, Object id, Object[] state) {
        return new PendingWrite(entityName, id, ChangeOperation.INSERT, state, null,
                io.dbcomposite.internal.capture.FlushOrder.next(), null, true);
    }

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion) {
        this(entityName, id, operation, state, previousVersion, io.dbcomposite.internal.capture.FlushOrder.next(), null);
    }

    PendingWrite(String entityName, Object id, ChangeOperation operation, Object[] state, Object previousVersion, long seq) {
        this(entityName, id, operation, state, previousVersion, seq, null);
    }

    /** @return a write of a one-to-many's key column (named after its element entity, whose routing decides): {@code elementIds} point at {@code ownerId}, no other row does */
    static PendingWrite keys(String role, String elementEntity, Object ownerId, java.util.List<Object> elementIds,
                             java.util.List<Object> mapKeys) {
        return new PendingWrite(elementEntity, ownerId, ChangeOperation.UPDATE, null, null,
                io.dbcomposite.internal.capture.FlushOrder.next(), new KeyWrite(role, ownerId, elementIds, mapKeys, null));
    }

    /**
     * @return the key write of a set or bag changed through an instance another side loaded, which held
     *     {@code loadedIds} then: only the elements it added and removed are written (see {@code changed})
     */
    static PendingWrite keyChanges(String role, String elementEntity, Object ownerId, java.util.List<Object> elementIds,
                                   java.util.List<Object> loadedIds) {
        return new PendingWrite(elementEntity, ownerId, ChangeOperation.UPDATE, null, null,
                io.dbcomposite.internal.capture.FlushOrder.next(), new KeyWrite(role, ownerId, elementIds, null, loadedIds));
    }

    /**
     * @param role the collection role
     * @param ownerId the owner's id
     * @param elementIds the ids of the element rows, in collection order
     * @param mapKeys for a map, each element's key (its index column), else null
     * @param loadedIds the ids of the elements the collection held when loaded, where only the elements added and
     *        removed since are written; else null (every row points at the owner, no other row does)
     */
    record KeyWrite(String role, Object ownerId, java.util.List<Object> elementIds, java.util.List<Object> mapKeys,
                    java.util.List<Object> loadedIds) {
    }
}
