package io.dbcomposite.internal.sync;

import io.dbcomposite.internal.log.SyncLogRepository;
import io.dbcomposite.internal.log.LoggedChange;
import io.dbcomposite.ChangeStatus;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.internal.capture.ChangeBuffer;
import io.dbcomposite.internal.apply.AssociationWrites;
import io.dbcomposite.internal.apply.PendingChanges;
import io.dbcomposite.internal.apply.RowRef;
import org.hibernate.StatelessSession;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The log's side of a commit that writes to the remote: finds the pending changes the commit's rows need (their own
 * earlier changes and those of the rows they refer to, whole local transactions, to a fixed point) and applies them
 * in log order on the caller's remote connection. The backlog is read only when it is not empty.
 */
final class LogPrerequisites implements PendingChanges {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");

    private final SyncLogRepository store;
    private final RemoteApplier applier;
    private final Clock clock;

    private final Set<String> remoteOnly;

    /** How long a commit waits for another applier to give way (the engine does after the batch in flight). */
    private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(10);

    private final ApplierLock lock;

    LogPrerequisites(SyncLogRepository store, RemoteApplier applier, ApplierLock lock, Clock clock, Set<String> remoteOnly) {
        this.store = store;
        this.lock = lock;
        this.remoteOnly = remoteOnly;
        this.applier = applier;
        this.clock = clock;
    }

    @Override
    public Taken applyPrerequisites(StatelessSession remote, Set<RowRef> rows, String excludeTxId, Set<Long> taken) {
        if (rows.isEmpty() || !store.hasUnsynced()) {
            return Taken.NONE;
        }
        List<LoggedChange> needed = needed(unsynced(taken), remote, rows, excludeTxId, Long.MAX_VALUE);
        if (needed.isEmpty()) {
            return Taken.NONE;
        }
        // the engine must not apply these (or older states of these rows) beside this commit: take the applier lock,
        // and read again under it (the engine may have replayed and marked some meanwhile)
        lock("take along " + needed.size() + " pending change(s) of the sync log (first #" + needed.get(0).id() + ", "
                + needed.get(0).entityName() + "#" + needed.get(0).entityId() + ")");
        return applyHolding(() -> needed(unsynced(taken), remote, rows, excludeTxId, Long.MAX_VALUE), remote);
    }

    /** @return the backlog's shape without the changes already taken along (on the remote in the caller's transaction) */
    private List<LoggedChange> unsynced(Set<Long> taken) {
        List<LoggedChange> backlog = store.unsyncedHeads();
        if (!taken.isEmpty()) {
            backlog.removeIf(c -> taken.contains(c.id()));
        }
        return backlog;
    }

    @Override
    public Set<RowRef> unsyncedRows(Set<Long> taken) {
        Set<RowRef> rows = new HashSet<>();
        if (store.hasUnsynced()) {
            unsynced(taken).forEach(c -> rows.add(applier.rowOf(c)));
        }
        return rows;
    }

    @Override
    public Taken replayTransaction(StatelessSession remote, String txId) {
        lock("replay local transaction " + txId);
        return applyHolding(() -> {
            List<LoggedChange> backlog = store.unsyncedHeads();
            Set<RowRef> rows = new HashSet<>();
            long last = -1;
            for (LoggedChange c : backlog) {
                if (c.txId().equals(txId)) {
                    rows.add(applier.rowOf(c));
                    last = c.id();
                }
            }
            // none left: the engine replayed it meanwhile; otherwise the rows need their own changes (and what those
            // refer to) up to this transaction's last one, never a later state
            return last < 0 ? List.of() : needed(backlog, remote, rows, null, last);
        }, remote);
    }

    private void lock(String what) {
        boolean locked;
        try {
            locked = lock.acquire(LOCK_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteWriteException("Interrupted while waiting for the sync log to " + what, e);
        }
        if (!locked) {
            throw new RemoteWriteException("Cannot " + what + ": another applier kept the sync log for "
                    + LOCK_WAIT.toSeconds() + " s; commit again, or run emf.sync() first", null);
        }
    }

    /** Applies what {@code read} finds, holding the lock taken before; the lock stays held until the Taken is closed. */
    private Taken applyHolding(java.util.function.Supplier<List<LoggedChange>> read, StatelessSession remote) {
        boolean ok = false;
        try {
            List<LoggedChange> apply = read.get();
            applier.applyOn(remote, apply);
            List<Long> ids = new ArrayList<>(apply.size());
            apply.forEach(c -> ids.add(c.id()));
            ok = true;
            return new Taken() {
                private final java.util.concurrent.atomic.AtomicBoolean openFlag = new java.util.concurrent.atomic.AtomicBoolean(true);

                @Override
                public List<Long> ids() {
                    return ids;
                }

                @Override
                public void close() {
                    if (openFlag.compareAndSet(true, false)) {
                        lock.release();
                    }
                }

                @Override
                public void closeFor(Thread holder) {
                    if (openFlag.compareAndSet(true, false)) {
                        if (holder == null || holder == Thread.currentThread()) {
                            lock.release();
                        } else {
                            lock.releaseHeldBy(holder);
                        }
                    }
                }
            };
        } finally {
            if (!ok) {
                lock.release();
            }
        }
    }

    /**
     * @return the pending changes the rows need, whole transactions, to a fixed point, in log order, none after
     *         {@code maxId}
     */
    private List<LoggedChange> needed(List<LoggedChange> backlog, StatelessSession remote, Set<RowRef> rows, String excludeTxId,
                                      long maxId) {
        Map<String, List<LoggedChange>> byTx = new LinkedHashMap<>();
        for (LoggedChange c : backlog) {
            byTx.computeIfAbsent(c.txId(), k -> new ArrayList<>()).add(c);
        }
        Map<Long, RowRef> rowOf = new java.util.HashMap<>(); // each change's row, worked out once, not once a pass
        for (LoggedChange c : backlog) {
            rowOf.put(c.id(), applier.rowOf(c));
        }
        Set<RowRef> needed = new HashSet<>(rows);
        Set<String> taken = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (LoggedChange c : backlog) {
                if (c.id() > maxId || taken.contains(c.txId()) || c.txId().equals(excludeTxId)
                        || !needed.contains(rowOf.get(c.id()))) {
                    continue;
                }
                for (LoggedChange h : byTx.get(c.txId())) {
                    // a transaction reaches the remote whole: a change of it that is not PENDING holds every row it wrote
                    if (h.status() != ChangeStatus.PENDING) {
                        throw heldBack(c, h);
                    }
                }
                taken.add(c.txId());
                grew = true;
                // payloads are read only for the transactions taken (the backlog's shape came without them)
                List<LoggedChange> full = store.withPayloads(byTx.get(c.txId()));
                byTx.put(c.txId(), full);
                for (LoggedChange t : full) {
                    needed.add(rowOf.get(t.id()));
                    applier.collectReferences(remote, t, needed);
                }
            }
        }
        List<LoggedChange> apply = new ArrayList<>();
        for (List<LoggedChange> tx : byTx.values()) {
            if (taken.contains(tx.get(0).txId())) {
                apply.addAll(tx);
            }
        }
        apply.sort(java.util.Comparator.comparingLong(LoggedChange::id));
        return apply;
    }

    /** @return the error for a needed change {@code c} that cannot go: {@code h}, of its transaction, is not PENDING */
    private static RemoteWriteException heldBack(LoggedChange c, LoggedChange h) {
        String by = h == c ? "whose change #" + c.id() + " in the sync log is " + c.status()
                : "whose change #" + c.id() + " in the sync log is PENDING but belongs to a local transaction ("
                + c.txId() + ") whose change #" + h.id() + " of " + h.entityName() + "#" + h.entityId() + " is " + h.status()
                + " (a transaction reaches the remote whole)";
        return new RemoteWriteException("This transaction's remote writes refer to " + c.entityName() + "#" + c.entityId()
                + ", " + by + ", which holds the row back: the remote cannot get this row before it. "
                + (h.status() == ChangeStatus.CONFLICT
                ? "Settle that conflict (emf.retry(" + h.id() + ") writes the local state over the remote row,"
                + " emf.discard(" + h.id() + ") gives the local row the remote's), then commit again"
                : "Retry that change (emf.retry(" + h.id() + "), or wait for its next attempt) or fix its cause,"
                + " then commit again"),
                null);
    }

    @Override
    public void collectCaptured(StatelessSession remote, ChangeBuffer.Change change, Set<RowRef> out) {
        LoggedChange c = asLogged(change, "");
        out.add(applier.rowOf(c));
        applier.collectReferences(remote, c, out);
    }

    @Override
    public List<ChangeBuffer.Change> inReplayOrder(StatelessSession remote, List<ChangeBuffer.Change> captured) {
        if (captured.size() < 2) {
            return captured;
        }
        Map<LoggedChange, ChangeBuffer.Change> of = new java.util.IdentityHashMap<>();
        List<LoggedChange> logged = new ArrayList<>(captured.size());
        for (ChangeBuffer.Change c : captured) {
            LoggedChange l = asLogged(c, "");
            of.put(l, c);
            logged.add(l);
        }
        List<LoggedChange> ordered = applier.inReplayOrder(remote, logged);
        if (ordered == logged) {
            return captured;
        }
        List<ChangeBuffer.Change> out = new ArrayList<>(captured.size());
        ordered.forEach(l -> out.add(of.get(l)));
        return out;
    }

    @Override
    public CapturedApply applyCaptured(StatelessSession remote, String txId) {
        AssociationWrites associations = applier.associationWrites();
        return new CapturedApply() {
            @Override
            public void apply(ChangeBuffer.Change change) {
                applier.applyOn(remote, List.of(asLogged(change, txId)), associations);
            }

            @Override
            public void finish() {
                associations.endTransaction(remote);
            }
        };
    }

    private static LoggedChange asLogged(ChangeBuffer.Change change, String txId) {
        return new LoggedChange(0, txId, change.persister().getJpaEntityName(), change.entityId(), change.operation(),
                change.payload(), ChangeStatus.PENDING, 0, null, change.base(), null, false);
    }

    @Override
    public void markSyncedOn(java.sql.Connection local, List<Long> logIds) {
        if (!logIds.isEmpty()) {
            store.markSyncedOn(local, logIds, clock.instant(), remoteOnly);
        }
    }

    @Override
    public void markSynced(List<Long> logIds) {
        if (logIds.isEmpty()) {
            return;
        }
        try {
            store.markSynced(logIds, clock.instant(), remoteOnly);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: " + logIds.size() + " change(s) taken along by a remote write"
                    + " could not be marked SYNCED; the background sync replays them again without effect", e);
        }
    }

    @Override
    public void noteFailure(String txId, RuntimeException cause) {
        try {
            List<Long> ids = new ArrayList<>();
            for (LoggedChange c : store.unsyncedHeads()) {
                if (c.txId().equals(txId) && c.status() == ChangeStatus.PENDING) {
                    ids.add(c.id());
                }
            }
            store.notePendingError(ids, "remote step of the commit failed: "
                    + io.dbcomposite.internal.config.Failures.describe(cause));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: the error of the failed remote step of local transaction "
                    + txId + " could not be written on its changes in the sync log", e);
        }
    }


}
