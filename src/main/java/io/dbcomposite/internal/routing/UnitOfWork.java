package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one composite entity manager's flushes left to do on the other side: pending writes per target
 * side, in the order Hibernate flushed them (so foreign keys hold at every step, as in the sync log).
 * Consecutive writes of one entity row merge: the newest state wins, the first write's operation and
 * previous version are kept, an insert then a delete is nothing.
 */
final class UnitOfWork {

    // one per entity manager, most of which only read: two lists that allocate nothing until written
    private final List<PendingWrite> toLocal = new ArrayList<>();
    private final List<PendingWrite> toRemote = new ArrayList<>();
    private final Set<String> remoteEntities = new LinkedHashSet<>();

    UnitOfWork() {
    }

    private List<PendingWrite> pending(Side target) {
        return target == Side.LOCAL ? toLocal : toRemote;
    }

    /** Entity inserts recorded for the local side since its writes were last empty: none means none waits. */
    private int localInsertsRecorded;

    void record(Side target, PendingWrite write) {
        if (target == Side.REMOTE) {
            recordedForRemote++;
        } else if (write.keys() == null && write.operation() == ChangeOperation.INSERT) {
            localInsertsRecorded++;
        }
        List<PendingWrite> writes = pending(target);
        PendingWrite last = writes.isEmpty() ? null : writes.get(writes.size() - 1);
        // two versioned updates stay apart: an upsert moves a version by exactly one, so merged they would leave the
        // other side a version behind
        boolean versionedUpdates = last != null && last.operation() == ChangeOperation.UPDATE
                && write.operation() == ChangeOperation.UPDATE && write.previousVersion() != null;
        if (last != null && !versionedUpdates && last.keys() == null && write.keys() == null
                && last.entityName().equals(write.entityName())
                && last.id().equals(write.id()) && last.operation() != ChangeOperation.DELETE) {
            writes.remove(writes.size() - 1);
            if (write.operation() != ChangeOperation.DELETE) {
                // the row as its session first loaded it stays the base of the merged write
                writes.add(new PendingWrite(write.entityName(), write.id(), last.operation(), write.state(), last.previousVersion(),
                        last.seq(), null, last.newRow(), last.detachedMerge(), last.before() != null ? last.before() : write.before(),
                        bothChanged(last, write), last.wholeIfMissing() && write.wholeIfMissing()));
            } else if (last.operation() != ChangeOperation.INSERT) {
                writes.add(write);
            }
        } else {
            writes.add(write);
        }
        if (target == Side.REMOTE) {
            remoteEntities.add(write.entityName());
        }
    }

    /** @return the properties two merged writes of a row set, or null if either sets the whole state */
    private static boolean[] bothChanged(PendingWrite first, PendingWrite then) {
        if (first.changed() == null || then.changed() == null || first.operation() != ChangeOperation.UPDATE) {
            return null;
        }
        boolean[] out = first.changed().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] |= then.changed()[i];
        }
        return out;
    }

    /**
     * A write of this row waiting for {@code target} that sets only some properties (see {@link PendingWrite#changed})
     * sets this one too: its state holds the live value.
     */
    void alsoChanged(Side target, String entityName, Object id, int property, Object base) {
        for (PendingWrite w : pending(target)) {
            if (w.keys() == null && w.changed() != null && w.entityName().equals(entityName) && w.id().equals(id)
                    && !w.changed()[property]) {
                w.changed()[property] = true;
                w.before()[property] = base;
            }
        }
    }

    /** What collections the remote session is about to write held when loaded (see {@link PartialUpdates}), by instance. */
    private final java.util.Map<Object, PartialUpdates.Loaded> loadedCollections = new java.util.IdentityHashMap<>();

    void rememberLoaded(Object collection, PartialUpdates.Loaded loaded) {
        if (loaded != null) {
            loadedCollections.put(collection, loaded);
        }
    }

    /** @return what {@link #rememberLoaded} kept of this collection, taken out, or null */
    PartialUpdates.Loaded takeLoaded(Object collection) {
        return loadedCollections.remove(collection);
    }

    private boolean usedRemoteDirectly;
    /** What the open transaction does before the remote session's collection writes and deletes (see {@link #beforeRemoteLatePhase}), or null. */
    private Runnable remoteDeletePhase;

    /**
     * The remote session is about to run a collection write or an entity delete of its flush. Plain Hibernate runs a
     * flush's collection writes and deletes after its entity inserts and updates, in one session; here the writes
     * recorded for the remote (held by the local session until commit, or vetoed in the remote session's flush) are
     * recorded first and applied later, so they go now: a held row must exist before the remote session writes the
     * order column of a list that holds it, and must stop referring to a row before the remote session deletes it.
     */
    void beforeRemoteLatePhase() {
        if (remoteDeletePhase != null && !toRemote.isEmpty()) {
            remoteDeletePhase.run();
        }
    }

    /**
     * What the open transaction does before the remote session runs a write of its own (an entity read and written
     * REMOTE) that refers to other rows, or null.
     */
    private ReferencedRows referencedRows;

    /** The rows a write the remote session runs itself refers to must be on the remote before it. */
    interface ReferencedRows {
        /**
         * @return whether some rows could still be missing there (else the write's references need not be looked at).
         *     Before a write the remote session runs outside its flush (an IDENTITY insert at persist), the local
         *     session flushes first, so that the rows persisted before it exist, as Hibernate runs a session's queued
         *     inserts before such an insert
         */
        boolean wanted();

        /** Takes along to the remote, in its open transaction, what only the local side holds of these rows. */
        void before(Set<io.dbcomposite.internal.apply.RowRef> rows);
    }

    /** @return the open transaction's taker of referenced rows, or null if none is wanted now */
    ReferencedRows referencedRows() {
        return referencedRows != null && referencedRows.wanted() ? referencedRows : null;
    }

    /** @param rows takes along the rows the remote session's own writes refer to (set by the transaction) */
    void beforeRemoteReferences(ReferencedRows rows) {
        referencedRows = rows;
    }

    /** @param deletePhase sends the writes recorded for the remote (set by the transaction while it is open) */
    void beforeRemoteDeletes(Runnable deletePhase) {
        remoteDeletePhase = deletePhase;
    }

    /**
     * The remote session was handed out ({@code em.remote()}), ran a bulk statement or holds a lock its commit completes
     * (a forced version increment, an optimistic check): what it wrote is unknown or cannot wait, so the remote commits
     * first and a remote failure fails the commit.
     */
    void usedRemoteDirectly() {
        usedRemoteDirectly = true;
    }

    /** @return true if the remote session was used directly in this transaction */
    boolean remoteUsedDirectly() {
        return usedRemoteDirectly;
    }

    /** Notes an entity written on the remote side directly, for the failure policy at commit. */
    void touchedRemote(String entityName) {
        remoteEntities.add(entityName);
    }

    /** How many writes were recorded for the remote (merged ones too). */
    private int recordedForRemote;

    /** @return how many writes were recorded for the side so far (merged ones too); the remote only, 0 for the local */
    int recordedCount(Side target) {
        return target == Side.REMOTE ? recordedForRemote : 0;
    }

    /** @return the writes recorded for a side and not drained yet, in order (a read-only view) */
    List<PendingWrite> recorded(Side target) {
        return java.util.Collections.unmodifiableList(pending(target));
    }

    boolean hasPending(Side target) {
        return !pending(target).isEmpty();
    }

    /** @return whether an entity insert waits for {@code target} (checked at each remote referring write: no scan when none does) */
    boolean recordsInserts(Side target) {
        List<PendingWrite> writes = pending(target);
        if (writes.isEmpty()) {
            localInsertsRecorded = 0;
            return false;
        }
        if (target == Side.LOCAL && localInsertsRecorded == 0) {
            return false;
        }
        for (PendingWrite w : writes) {
            if (w.keys() == null && w.operation() == ChangeOperation.INSERT) {
                return true;
            }
        }
        return false;
    }

    /** @return true if an entity write of this row waits for {@code target} (not yet applied there) */
    boolean hasPending(Side target, String entityName, Object id) {
        for (PendingWrite w : pending(target)) {
            if (w.keys() == null && w.entityName().equals(entityName) && w.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** @return the given writes recorded for a side, taken out of it, in recording order */
    List<PendingWrite> take(Side target, Set<PendingWrite> which) {
        List<PendingWrite> out = new ArrayList<>(which.size());
        pending(target).removeIf(w -> which.contains(w) && out.add(w));
        return out;
    }

    /** @return the pending writes for a side, removing them */
    List<PendingWrite> drain(Side target) {
        List<PendingWrite> writes = pending(target);
        List<PendingWrite> out = new ArrayList<>(writes);
        writes.clear();
        return out;
    }

    /** @return the entities written to the remote in this transaction */
    Set<String> remoteEntities() {
        return remoteEntities;
    }

    /**
     * An optimistic forced increment taken over by the facade, run at commit.
     *
     * @param side the side of the session that manages the entity
     * @param entity the managed instance
     */
    record DueIncrement(Side side, Object entity) {
    }

    // allocated on first use: most transactions lock nothing
    private List<DueIncrement> dueIncrements;
    private Set<Object> recordedIncrements;

    void incrementAtCommit(Side side, Object entity) {
        if (dueIncrements == null) {
            dueIncrements = new ArrayList<>();
        }
        dueIncrements.add(new DueIncrement(side, entity));
    }

    /** @return the optimistic increments due, removing them */
    List<DueIncrement> drainIncrements() {
        if (dueIncrements == null) {
            return List.of();
        }
        List<DueIncrement> out = dueIncrements;
        dueIncrements = null;
        return out;
    }

    /** The forced increment of this instance was recorded (in the sync log, for the other sides). */
    void markIncrementRecorded(Object entity) {
        if (recordedIncrements == null) {
            recordedIncrements = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        recordedIncrements.add(entity);
    }

    boolean isIncrementRecorded(Object entity) {
        return recordedIncrements != null && recordedIncrements.contains(entity);
    }

    // allocated on first use: few transactions merge a detached held entity; the value is the version the instance
    // was read at, or NO_VERSION
    private java.util.Map<String, Object> mergedRows;
    private static final Object NO_VERSION = new Object();

    /**
     * A held entity's detached instance was merged into the local session, which finds no row of it and inserts it:
     * the remote may well have the row, so that insert is applied as an upsert, not as the insert of a new row. A
     * versioned instance carries the version it was read at: the remote row must still hold it, as plain Hibernate's
     * merge checks against the row it loads.
     *
     * @param version the instance's version, or null (unversioned, or a version not set)
     */
    void merged(String entityName, Object id, Object version) {
        if (mergedRows == null) {
            mergedRows = new java.util.HashMap<>();
        }
        mergedRows.put(entityName + "#" + id, version == null ? NO_VERSION : version);
    }

    /** @return true if the row was merged from a detached instance in this transaction (see {@link #merged}) */
    boolean wasMerged(String entityName, Object id) {
        return mergedRows != null && mergedRows.containsKey(entityName + "#" + id);
    }

    /** @return the version the merged detached instance was read at (see {@link #merged}), or null */
    Object mergedVersion(String entityName, Object id) {
        Object version = mergedRows == null ? null : mergedRows.get(entityName + "#" + id);
        return version == NO_VERSION ? null : version;
    }

    void clear() {
        mergedRows = null;
        dueIncrements = null;
        recordedIncrements = null;
        toLocal.clear();
        toRemote.clear();
        remoteEntities.clear();
        usedRemoteDirectly = false;
        remoteDeletePhase = null;
        referencedRows = null;
        loadedCollections.clear();
    }
}
