package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeOperation;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The captured changes of one local transaction, in the order Hibernate wrote them, each with the state it
 * wrote (encoded at once, so a value changed twice in one transaction, such as a unique key swapped through
 * a temporary value, replays through the same steps). Consecutive changes of one entity row merge where
 * the meaning is kept: insert then update is an insert of the final state, update then update is one
 * update, insert then delete is nothing, update then delete is a delete. Changes that other rows' changes
 * came between stay apart, so foreign keys hold at every step of the replay.
 */
public final class ChangeBuffer {

    /**
     * The process's half of every transaction id: random once per class loader (from {@code SecureRandom}), so two
     * processes writing one local database, or one process before and after a restart, never share an id.
     */
    private static final long PROCESS_BITS = new java.security.SecureRandom().nextLong();
    /** The transaction's half: counted, so no two transactions of the process share an id. */
    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The id grouping the transaction's log rows ({@code tx_id}): UUID-shaped, the process's random half and a
     * counter. ({@code UUID.randomUUID()}, drawing 16 bytes from {@code SecureRandom} for every transaction, was about
     * half a microsecond of each one-row commit.)
     */
    private final String txId = new UUID(PROCESS_BITS, COUNTER.incrementAndGet()).toString();
    private final List<Change> changes = new ArrayList<>();
    private boolean queueRemoteWrites;

    /**
     * One buffered change.
     *
     * @param persister the local persister
     * @param id the id
     * @param entityId the id in the log's string form
     * @param operation the operation
     * @param payload the JSON state written, null for a delete
     * @param mode how the entity is captured
     * @param seq its place in flush order ({@link FlushOrder}); a merged change keeps its first place
     * @param base the JSON state the change was based on (the row before the first update or delete of this entry),
     *        null for an insert or when the session did not have it
     */
    public record Change(EntityPersister persister, Object id, String entityId, ChangeOperation operation, String payload,
                         CaptureMode mode, long seq, String base) {

        Change(EntityPersister persister, Object id, String entityId, ChangeOperation operation, String payload, CaptureMode mode,
               String base) {
            this(persister, id, entityId, operation, payload, mode, FlushOrder.next(), base);
        }

        boolean sameRow(EntityPersister p, Object otherId) {
            return persister.getEntityName().equals(p.getEntityName()) && id.equals(otherId);
        }
    }

    /** @return the id shared by every change of this transaction */
    public String txId() {
        return txId;
    }

    /**
     * @param before the row's state before this write (stored form, collections left out), or null if unknown: the
     *     base of an update or a delete, encoded only when no earlier entry of this transaction's row keeps its own
     */
    void record(SharedSessionContractImplementor session, EntityPersister persister, Object id, ChangeOperation op,
                Object[] state, Object[] before, CaptureMode mode) {
        String payload = op == ChangeOperation.DELETE ? null : SnapshotCodec.encode(persister, state, session);
        record(session, persister, id, op, payload, mode, before == null ? null : () -> SnapshotCodec.encode(persister, before, session));
    }

    private void record(SharedSessionContractImplementor session, EntityPersister persister, Object id, ChangeOperation op,
                        String payload, CaptureMode mode, java.util.function.Supplier<String> base) {
        recorded++;
        Change last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        // a change already sent to the remote (taken along by a flush) keeps its own log row: nothing merges into it
        if (last != null && last.sameRow(persister, id) && (sent == null || !sent.contains(last))) {
            switch (op) {
                case DELETE -> {
                    changes.remove(changes.size() - 1);
                    if (last.operation() != ChangeOperation.INSERT) {
                        // the row as it was before this transaction's first change of it
                        changes.add(new Change(persister, id, last.entityId(), ChangeOperation.DELETE, null, mode, last.seq(),
                                last.base()));
                    }
                    return;
                }
                case UPDATE -> {
                    if (last.operation() != ChangeOperation.DELETE) {
                        String merged = payload;
                        if (payload != null && last.payload() != null && session.getLoadQueryInfluencers().hasEnabledFilters()) {
                            // a collection left out (loaded through a filter, unchanged since) keeps what the row's
                            // earlier change of this transaction holds of it
                            merged = SnapshotCodec.keepingAbsent(payload, last.payload());
                        }
                        changes.set(changes.size() - 1, new Change(persister, id, last.entityId(), last.operation(), merged, mode,
                                last.seq(), last.base()));
                        return;
                    }
                }
                default -> {
                    // a delete then an insert of the same id: both replay, in order
                }
            }
        }
        String based = op == ChangeOperation.INSERT || base == null ? null : base.get();
        changes.add(new Change(persister, id, SnapshotCodec.encodeId(persister, id, session), op, payload, mode, based));
    }

    /** A collection of an entity changed: the entity's row is recorded again with its full state ({@code state}). */
    void recordCollectionChange(SharedSessionContractImplementor session, EntityPersister persister, Object id, Object[] state,
                                CaptureMode mode, StoredValues storedValues) {
        Change latest = null;
        for (int i = changes.size() - 1; i >= 0 && latest == null; i--) {
            if (changes.get(i).sameRow(persister, id)) {
                latest = changes.get(i);
            }
        }
        if (latest != null && latest.operation() == ChangeOperation.DELETE) {
            return;
        }
        String payload = SnapshotCodec.encode(persister, storedValues.asStored(persister, state, session), session);
        if (latest != null && payload.equals(latest.payload())) {
            return; // the row's last entry already holds this collection content (an insert or update of this flush)
        }
        // no update event came before it in this flush (it would have merged), so the row's other values are as before:
        // they are its base
        record(session, persister, id, ChangeOperation.UPDATE, payload, mode, () -> SnapshotCodec.encode(persister,
                storedValues.asStored(persister, withoutCollections(persister, state), session), session));
    }

    /** @return a copy of a state with its collections left out (a base compares a row's own values only) */
    static Object[] withoutCollections(EntityPersister persister, Object[] state) {
        Object[] out = state.clone();
        org.hibernate.type.Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i].isCollectionType()) {
                out[i] = null;
            }
        }
        return out;
    }

    /** How many changes were recorded (merged ones too): tells a reader of {@link #changes()} whether they changed since. */
    private int recorded;

    /** @return how many changes were recorded so far, merged ones included: unchanged, {@link #changes()} is too */
    public int recorded() {
        return recorded;
    }

    /** Changes sent at a flush (rare): allocated on first use, so a plain local write allocates nothing for it. */
    private Set<Change> sent;

    /**
     * This change went to the remote in the transaction's open remote transaction (an explicit flush): later changes of
     * its row are recorded after it, never merged into it, so its log row stays the state the remote got.
     */
    public void markSent(Change change) {
        if (sent == null) {
            sent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        sent.add(change);
    }

    /** Nothing of this transaction is logged SYNCED after all: every change is logged PENDING and replays in order. */
    public void clearSynced() {
        syncedChanges = null;
    }

    /** The remote already holds this change (it went with the transaction's remote writes): log it SYNCED. */
    public void markSynced(Change change) {
        if (syncedChanges == null) {
            syncedChanges = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        syncedChanges.add(change);
    }

    /** Changes logged SYNCED (only when the transaction wrote to the remote): allocated on first use. */
    private Set<Change> syncedChanges;

    /** @return true if this change is logged as SYNCED */
    boolean isSynced(Change change) {
        return syncedChanges != null && syncedChanges.contains(change);
    }

    /** @return the changes that will be logged, in order (for a caller that applies them to the remote itself) */
    public List<Change> changes() {
        return toWrite();
    }

    /** The remote write of {@link CaptureMode#WHEN_QUEUED} entities failed: log their changes for replay. */
    public void queueRemoteWrites() {
        queueRemoteWrites = true;
    }

    /** @return the changes to write, in order */
    List<Change> toWrite() {
        List<Change> out = new ArrayList<>(changes.size());
        for (Change c : changes) {
            if (c.mode() == CaptureMode.ALWAYS || (c.mode() == CaptureMode.WHEN_QUEUED && queueRemoteWrites)) {
                out.add(c);
            }
        }
        return out;
    }

    /** @return true if nothing was captured */
    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
