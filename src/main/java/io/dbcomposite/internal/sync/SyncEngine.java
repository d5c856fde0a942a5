package io.dbcomposite.internal.sync;

import io.dbcomposite.internal.log.SyncLogRepository;
import io.dbcomposite.internal.log.LoggedChange;
import io.dbcomposite.internal.apply.PendingChanges;
import io.dbcomposite.ChangeStatus;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.internal.remote.ConnectionFailures;
import io.dbcomposite.internal.remote.RemoteAvailability;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.internal.config.SyncSettings;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.exception.JDBCConnectionException;

import javax.sql.DataSource;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Replays the sync log to the remote: claim due changes in id order (whole local transactions, skipping
 * those behind an older FAILED or DEAD change of the same entity row), apply them in one remote transaction
 * per batch, mark them SYNCED or FAILED/DEAD. A failing batch is applied again one local transaction at a
 * time, so one bad transaction does not hold back the others. A remote that cannot be reached stops the run
 * and costs the changes no attempt.
 *
 * <p>The local SQLite work overlaps the wait on the remote: while a batch is applied, a helper thread marks the
 * previous batch SYNCED (at most one batch behind) and reads the next page, payloads included. The run gives up the applier lock,
 * then waits for its last mark (a commit waiting for the lock holds the local write lock the mark needs). A crash in between leaves applied changes
 * PENDING, which a later run replays without effect.
 *
 * <p>A run gives way, after the batch in flight, to a commit (or a {@code sync()}) waiting for the applier lock: a
 * remote write that takes pending changes along must not race the engine over the same rows.
 *
 * <p>It knows nothing of Quartz; the job and {@code emf.sync()} both call {@link #run(boolean)}.
 */
public final class SyncEngine implements io.dbcomposite.internal.apply.SyncRunner {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");
    private static final int PURGE_BATCH = 1000;
    /** Purging is a scan of the SYNCED rows: it runs at most this often, not on every run. */
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final RemoteAvailability availability;
    /** Set when the unit closes: a running drain stops after the batch in flight, and no new run starts. */
    private volatile boolean stopping;
    /** Guards {@link #running}, the runs in progress, which {@link #awaitIdle} waits for. */
    private final Object idle = new Object();
    private int running;
    private final SyncLogRepository store;
    /** Entities whose payload leaves the local log once SYNCED. */
    private final java.util.Set<String> remoteOnly;
    private final RemoteApplier applier;
    private final ApplierLock lock;
    private final ConflictSettler settler;
    /** Local transactions held by a CONFLICT change of theirs: none of their changes is due (read once per drain). */
    private java.util.Set<String> heldTxIds = new java.util.HashSet<>();
    /** Rows whose insert a conflict holds (read once per drain): a transaction referring to one waits with it. */
    private java.util.Set<io.dbcomposite.internal.apply.RowRef> heldInserts = new java.util.HashSet<>();
    /** What this run knows of the remote's id generators (one catch-up per table or generator per run, not per batch). */
    private io.dbcomposite.internal.apply.IdentityCatchUp.Run catchUps;
    /** The local side (the look-ahead of the id generators' catch-up reads its tables), or null. */
    private final SessionFactoryImplementor local;
    private final RetryPolicy policy;
    private final SyncSettings settings;
    private final Clock clock;
    private volatile String engineError;
    private volatile Instant lastSyncedAt;
    private volatile boolean lastSyncedAtLoaded;
    private Instant lastPurge;
    /**
     * Runs the SYNCED marks and reads the next page, beside the remote apply; its one thread goes away when
     * idle, and at {@link #close()}.
     */
    private final ExecutorService helper;
    /** Set by a run that gave way to a waiting commit; touched only by the thread holding the applier lock. */
    private boolean yielded;
    /** Marks of this run not awaited yet because a commit was waiting; touched only by the applier lock's holder. */
    private final List<Future<?>> earlierMarks = new ArrayList<>();
    /** How often a wait for a mark looks for a commit waiting for the applier lock. */
    private static final long MARK_POLL_MILLIS = 20;
    /** The mark in flight; touched only by the thread holding the applier lock. */
    private Future<?> markInFlight;

    /**
     * @param unitName the persistence unit's name (in the helper thread's name)
     * @param log the sync log
     * @param remote the remote SessionFactory
     * @param remoteDataSource the remote data source (for the cross-JVM lock)
     * @param availability what the unit knows of the remote: told of every lost connection, asked for the status
     * @param localStore a name of the local store shared by every JVM using it (its URL)
     * @param remoteDialect the remote's dialect (which cross-JVM lock it offers)
     * @param settings the sync settings
     * @param clock the clock of every timestamp and backoff
     * @param remoteOnlyEntities entities whose payload is dropped from the log once SYNCED (remote-only data)
     * @param conflicts how conflicts are settled: policies, resolver, and the local side a remote state is copied to
     */
    public SyncEngine(String unitName, SyncLogRepository log, SessionFactoryImplementor remote, DataSource remoteDataSource,
                      RemoteAvailability availability, String localStore,
                      org.hibernate.dialect.Dialect remoteDialect, SyncSettings settings, Clock clock,
                      java.util.Set<String> remoteOnlyEntities, Conflicts conflicts) {
        this.unitName = unitName;
        this.availability = availability;
        this.store = log;
        this.remoteOnly = java.util.Set.copyOf(remoteOnlyEntities);
        this.applier = new RemoteApplier(remote, conflicts.policies(), conflicts.resolver(),
                (row, afterId) -> log.laterChanges(row, afterId));
        this.settler = new ConflictSettler(log, conflicts.local(), conflicts.capture(), remote, this.remoteOnly);
        this.local = conflicts.local();
        this.lock = new ApplierLock(remoteDataSource, localStore,
                remoteDialect instanceof org.hibernate.dialect.PostgreSQLDialect ? ApplierLock.RemoteKind.POSTGRESQL
                        : remoteDialect instanceof org.hibernate.dialect.MySQLDialect ? ApplierLock.RemoteKind.MYSQL
                        : ApplierLock.RemoteKind.OTHER);
        this.policy = new RetryPolicy(settings.initialBackoff(), settings.maxBackoff(), settings.maxAttempts());
        this.settings = settings;
        this.clock = clock;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dbcomposite-" + unitName + "-sync-helper");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.helper = pool;
    }

    private final String unitName;

    /** Who hears of applied, failed, dead and conflicting changes. */
    private volatile SyncListeners listeners = SyncListeners.NONE;

    /** @param listeners who hears of applied, failed, dead and conflicting changes */
    public void listeners(SyncListeners listeners) {
        this.listeners = listeners;
    }

    /**
     * Replays every due change.
     *
     * @param wait true to wait for another applier to finish first and to throw when the remote cannot be reached
     *        ({@code sync()}); false to skip this run when another applier runs and to end quietly when the remote
     *        cannot be reached (the job; the outage is logged once, by {@link RemoteAvailability})
     * @return what the run did
     * @throws RemoteUnavailableException ({@code wait} only) when the remote could not be reached: nothing after
     *         that point was applied or marked, and no change used an attempt
     */
    @Override
    public SyncResult run(boolean wait) {
        synchronized (idle) {
            if (stopping) {
                if (wait) {
                    throw new io.dbcomposite.CompositeException("The persistence unit is closing; sync() starts no new run");
                }
                return new SyncResult(0, 0, 0, 0, Duration.ZERO);
            }
            running++;
        }
        try {
            return runOnce(wait);
        } finally {
            synchronized (idle) {
                running--;
                idle.notifyAll();
            }
        }
    }

    private SyncResult runOnce(boolean wait) {
        long started = System.nanoTime();
        boolean locked;
        try {
            locked = lock.acquire(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(new int[3], started);
        } catch (ApplierLock.RemoteUnavailable | RemoteUnavailableException e) {
            Throwable cause = e instanceof ApplierLock.RemoteUnavailable ? e.getCause() : e;
            unreachable(cause instanceof RuntimeException r ? r : new RuntimeException(cause));
            return unreachableResult(wait, new int[3], started, cause);
        }
        if (!locked) {
            return result(new int[3], started);
        }
        int[] counts = new int[3]; // applied, failed, dead
        RuntimeException thrown = null;
        RuntimeException lost = null;
        boolean gaveWay = false; // read before the lock goes: the next applier resets yielded
        try {
            yielded = false;
            lost = drain(counts);
            gaveWay = yielded;
            if (lost == null) {
                catchUpAfterRun();
            }
            if (lost == null) {
                engineError = null; // the remote answered throughout this run
            }
            Instant now = clock.instant();
            if (!yielded && !lock.hasWaiters() && (lastPurge == null || !now.isBefore(lastPurge.plus(PURGE_EVERY)))) {
                store.purge(now.minus(settings.retention()), PURGE_BATCH);
                lastPurge = now;
            }
        } catch (RuntimeException e) {
            thrown = e;
            throw e;
        } finally {
            List<Future<?>> marks = new ArrayList<>(earlierMarks);
            marks.add(markInFlight);
            earlierMarks.clear();
            markInFlight = null;
            // The marks land before the lock goes, so the next applier (a sync() or the job, of this unit or of
            // another one sharing the store) never replays a batch this run applied. Except when a commit of this
            // JVM waits for the lock: it holds the local write lock those marks need, so the lock goes first and
            // the commit takes along, again and without effect, whatever of the last batch it needs (its changes
            // are on the remote, in log order, and every later change of their rows follows them).
            boolean released = false;
            try {
                for (Future<?> mark : marks) {
                    if (!released && !awaitUnlessCommitWaits(mark)) {
                        lock.release();
                        released = true;
                    }
                    awaitMark(mark);
                }
            } catch (MarkFailure markFailed) {
                if (thrown == null) {
                    throw markFailed;
                }
                thrown.addSuppressed(markFailed);
            } finally {
                if (!released) {
                    lock.release();
                }
            }
        }
        try {
            store.advanceFloor(counts[0] + counts[1] + counts[2] > 0); // after the marks: the first change still fresh, or past the last
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "db-composite: could not move the sync log's floor of unit '" + unitName
                    + "'; the next run tries again", e);
        }
        if (gaveWay && !wait) {
            lock.runMissed(); // gave way to a waiting applier: its release asks for this run again
        }
        return lost == null ? result(counts, started) : unreachableResult(wait, counts, started, lost);
    }

    /**
     * @param rerun asks the background job for another run (its after-commit wake-up): told when a run of the job gave
     *        way to another applier of this JVM and that applier has let go, so the changes committed meanwhile do not
     *        wait for the interval
     */
    public void whenRunMissed(Runnable rerun) {
        lock.whenRunMissed(rerun);
    }

    private SyncResult unreachableResult(boolean wait, int[] counts, long started, Throwable cause) {
        if (!wait) {
            return result(counts, started);
        }
        RemoteUnavailableException known = ConnectionFailures.unavailable(cause);
        throw new RemoteUnavailableException("sync() cannot reach the remote database " + availability.remoteName()
                + " (" + counts[0] + " change(s) were applied before it was lost); the other changes wait in the sync log"
                + " and used no attempt: " + message(cause), availability.downSince(), known != null ? known : cause);
    }

    /** @return the log's side of commits that write to the remote (the pending changes they need go with them) */
    @Override
    public io.dbcomposite.internal.apply.PendingChanges pendingChanges() {
        return new LogPrerequisites(store, applier, lock, clock, remoteOnly);
    }

    @Override
    public void logTablesReset() {
        store.reset(unitName);
    }

    /** The unit is closing: a running drain stops after the batch in flight, and no new run starts. */
    @Override
    public void stop() {
        synchronized (idle) {
            stopping = true;
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            synchronized (idle) {
                while (running > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(idle, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private SyncResult result(int[] counts, long started) {
        Map<ChangeStatus, Long> c = store.counts();
        SyncResult r = new SyncResult(counts[0], counts[1], counts[2], c.get(ChangeStatus.PENDING) + c.get(ChangeStatus.FAILED),
                Duration.ofNanos(System.nanoTime() - started));
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "db-composite: sync run of unit '" + unitName + "': applied " + r.applied()
                    + ", failed " + r.failed() + ", dead " + r.deadLettered() + ", " + r.remaining() + " remaining, in "
                    + r.duration().toMillis() + " ms");
        }
        if (!listeners.isEmpty()) {
            listeners.ran(r);
        }
        return r;
    }

    /** @return null, or the failure that stopped the run because the remote could not be reached */
    private RuntimeException drain(int[] counts) {
        Map<LoggedChange.RowKey, Long> blocked = store.blockedRows();
        heldTxIds = store.conflictTxIds();
        heldInserts = new java.util.HashSet<>();
        catchUps = new io.dbcomposite.internal.apply.IdentityCatchUp.Run(this::localTop);
        if (!heldTxIds.isEmpty()) {
            for (LoggedChange.RowKey row : store.heldInserts()) {
                try {
                    heldInserts.add(applier.rowOf(row.entityName(), row.entityId()));
                } catch (RuntimeException unmapped) {
                    // an entity the remote does not map: its changes fail by themselves
                }
            }
        }
        long cursor = 0;
        List<LoggedChange> candidates = store.candidates(cursor, pageRows());
        while (true) {
            if (candidates.isEmpty() || stopping) {
                return null;
            }
            if (lock.hasWaiters()) {
                // a commit (or a sync()) waits for the log: it goes next, this run ends here
                yielded = true;
                return null;
            }
            LoggedChange after = null;
            if (candidates.size() > settings.batchSize()) {
                after = candidates.get(settings.batchSize());
                candidates = candidates.subList(0, settings.batchSize());
            }
            LinkedHashMap<String, List<LoggedChange>> txs = new LinkedHashMap<>();
            for (LoggedChange c : candidates) {
                txs.computeIfAbsent(c.txId(), k -> new ArrayList<>()).add(c);
            }
            if (after != null) {
                // the last transaction may go on past this page (the row after it tells): take it whole, or leave
                // it to the next page
                LoggedChange last = candidates.get(candidates.size() - 1);
                if (after.txId().equals(last.txId())) {
                    if (txs.size() > 1) {
                        txs.remove(last.txId());
                    } else {
                        txs.get(last.txId()).addAll(restOfTransaction(last.txId(), last.id()));
                    }
                }
            }
            List<List<LoggedChange>> due = new ArrayList<>();
            Instant now = clock.instant();
            for (List<LoggedChange> tx : txs.values()) {
                cursor = Math.max(cursor, tx.get(tx.size() - 1).id());
                if (isDue(tx, now, blocked, heldTxIds)) {
                    due.add(tx);
                } else {
                    hold(tx, blocked, null);
                    block(tx, blocked);
                }
            }
            // the next page is read, payloads included, while this one is applied (it decides nothing about due-ness)
            Future<List<LoggedChange>> nextPage = due.isEmpty() ? null : readAhead(cursor);
            RuntimeException lost = due.isEmpty() ? null : applyBatch(due, blocked, counts);
            if (lost != null) {
                if (nextPage != null) {
                    nextPage.cancel(false);
                }
                return lost; // the remote is unreachable: stop, the changes wait
            }
            candidates = nextPage == null ? store.candidates(cursor, pageRows()) : await(nextPage);
        }
    }

    /** The run's last word on the remote's id generators ({@link io.dbcomposite.internal.apply.IdentityCatchUp#afterRun}). */
    private void catchUpAfterRun() {
        try {
            applier.afterRun(catchUps);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: persistence unit '" + unitName + "': cannot check the"
                    + " remote's id generators after the sync run; the next run's first insert with each generator"
                    + " moves it: " + message(e), e);
        }
    }

    /**
     * @param remoteRoot the remote's root persister of an entity whose ids the remote generator must pass
     * @return the highest id of the same entity's local table, or null (no local side, another layout, no rows): every
     *     id the log can still replay for it was handed out there
     */
    private Long localTop(org.hibernate.persister.entity.AbstractEntityPersister remoteRoot) {
        if (local == null) {
            return null;
        }
        org.hibernate.persister.entity.EntityPersister found = local.getMappingMetamodel().findEntityDescriptor(remoteRoot.getEntityName());
        if (!(found instanceof org.hibernate.persister.entity.AbstractEntityPersister root)
                || !root.getEntityName().equals(root.getRootEntityName()) || root.getIdentifierColumnNames().length != 1) {
            return null;
        }
        return store.highestOf(root.getTableName(), root.getIdentifierColumnNames()[0]);
    }

    /** @return the rows a page is read with: one past the batch size (it tells whether the last transaction goes on) */
    private int pageRows() {
        return settings.batchSize() == Integer.MAX_VALUE ? Integer.MAX_VALUE : settings.batchSize() + 1;
    }

    /** @return the next page, being read on the helper thread; null if the unit is closing (read it here) */
    private Future<List<LoggedChange>> readAhead(long afterId) {
        try {
            return helper.submit(() -> applier.readAhead(store.candidates(afterId, pageRows())));
        } catch (RejectedExecutionException closing) {
            return null;
        }
    }

    private static <T> T await(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r
                            : new io.dbcomposite.CompositeException(String.valueOf(e.getCause()), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The rows of one local transaction are contiguous: read on in pages until another transaction starts. */
    private List<LoggedChange> restOfTransaction(String txId, long afterId) {
        List<LoggedChange> rest = new ArrayList<>();
        long cursor = afterId;
        while (true) {
            List<LoggedChange> page = store.candidates(cursor, settings.batchSize());
            for (LoggedChange c : page) {
                if (!c.txId().equals(txId)) {
                    return rest;
                }
                rest.add(c);
            }
            if (page.size() < settings.batchSize()) {
                return rest;
            }
            cursor = page.get(page.size() - 1).id();
        }
    }

    private static boolean isDue(List<LoggedChange> tx, Instant now, Map<LoggedChange.RowKey, Long> blocked,
                                 java.util.Set<String> heldTxIds) {
        if (heldTxIds.contains(tx.get(0).txId())) {
            return false; // a change of it is in CONFLICT: the rest of it waits, so the remote never shows half of it
        }
        for (LoggedChange c : tx) {
            if (c.status() == ChangeStatus.FAILED && c.nextAttemptAt() != null && c.nextAttemptAt().isAfter(now)) {
                return false;
            }
            Long firstFailure = blocked.get(c.row());
            if (firstFailure != null && firstFailure < c.id()) {
                return false;
            }
        }
        return true;
    }

    private static final String CONFLICT_IN_TX = "held back: a change of the same local transaction (";

    /**
     * A transaction that waits behind an earlier change gets the reason written on its fresh changes, so the log's
     * floor can move past them (from then on they are read with the failed ones). Only a run's first meeting with
     * them writes; a failure to write is logged (the changes stay fresh: the floor waits at them, nothing is lost).
     */
    private void hold(List<LoggedChange> tx, Map<LoggedChange.RowKey, Long> blocked, String reason) {
        List<Long> fresh = new ArrayList<>();
        for (LoggedChange c : tx) {
            if (c.fresh()) {
                fresh.add(c.id());
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        String why = reason != null ? reason
                : heldTxIds.contains(tx.get(0).txId()) ? CONFLICT_IN_TX + tx.get(0).txId() + ") is in CONFLICT"
                : behind(tx, blocked);
        // on the helper thread, like the marks: it needs SQLite's write lock, which a commit waiting for the applier
        // lock may hold; the floor moves only after the run awaited it
        onHelper(() -> {
            try {
                store.markHeld(fresh, why);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "db-composite: could not mark " + fresh.size() + " held-back change(s)"
                        + " of unit '" + unitName + "'; they are read from the log's floor until then", e);
            }
        });
    }

    /** @return why a transaction waits behind a change of one of its rows */
    private static String behind(List<LoggedChange> tx, Map<LoggedChange.RowKey, Long> blocked) {
        Long first = null;
        LoggedChange.RowKey row = null;
        for (LoggedChange c : tx) {
            Long f = blocked.get(c.row());
            if (f != null && f < c.id() && (first == null || f < first)) {
                first = f;
                row = c.row();
            }
        }
        return first == null ? "held back: an earlier change of a row it refers to is not on the remote yet"
                : "held back: change #" + first + " of " + row.entityName() + "#" + row.entityId()
                + " is not on the remote yet (FAILED, DEAD or CONFLICT, or waiting itself)";
    }

    /**
     * Later changes of the transaction's rows wait behind it; while a conflict holds part of the log, so do later
     * transactions that refer to a row it inserts (replayed first, such a row could point at another store's row
     * with the same id).
     */
    private void block(List<LoggedChange> tx, Map<LoggedChange.RowKey, Long> blocked) {
        for (LoggedChange c : tx) {
            blocked.merge(c.row(), c.id(), Math::min);
            if (!heldTxIds.isEmpty() && c.operation() == io.dbcomposite.ChangeOperation.INSERT) {
                try {
                    heldInserts.add(applier.rowOf(c));
                } catch (RuntimeException unmapped) {
                    // an entity the remote does not map: its changes fail by themselves
                }
            }
        }
    }

    /** @return null, or the failure if the remote could not be reached */
    private RuntimeException applyBatch(List<List<LoggedChange>> txs, Map<LoggedChange.RowKey, Long> blocked, int[] counts) {
        List<LoggedChange> all = new ArrayList<>();
        txs.forEach(all::addAll);
        Attempt attempt = tryApply(all);
        RuntimeException failure = attempt.failure();
        if (failure == null) {
            settled(txs, attempt.plan(), blocked, counts);
            return null;
        }
        if (ConnectionFailures.isConnectionFailure(failure)) {
            return unreachable(failure);
        }
        if (txs.size() == 1) {
            failed(txs.get(0), failure, blocked, counts);
            return null;
        }
        // isolate the failing transaction(s): one at a time, in order, respecting rows blocked on the way
        for (List<LoggedChange> tx : txs) {
            if (!isDue(tx, clock.instant(), blocked, heldTxIds)) {
                hold(tx, blocked, null);
                block(tx, blocked);
                continue;
            }
            Attempt one = tryApply(tx);
            RuntimeException e = one.failure();
            if (e == null) {
                settled(List.of(tx), one.plan(), blocked, counts);
            } else if (ConnectionFailures.isConnectionFailure(e)) {
                return unreachable(e);
            } else {
                failed(tx, e, blocked, counts);
            }
        }
        return null;
    }

    /** What one apply did: its conflict plan, or why nothing of it reached the remote. */
    private record Attempt(ConflictDetector.Plan plan, RuntimeException failure) {
    }

    private Attempt tryApply(List<LoggedChange> changes) {
        try {
            return new Attempt(applier.apply(changes, heldInserts, catchUps), null);
        } catch (RuntimeException e) {
            return new Attempt(null, e);
        }
    }

    /**
     * The transactions were applied as their plan says: every change written (or found already there) is SYNCED; a
     * conflict left to FAIL becomes CONFLICT and holds its transaction (and the rows of every transaction held with it);
     * one the remote won is DISCARDED, its local row taking the remote's state.
     */
    private void settled(List<List<LoggedChange>> txs, ConflictDetector.Plan plan, Map<LoggedChange.RowKey, Long> blocked,
                         int[] counts) {
        if (plan.writesNothingSpecial()) {
            List<LoggedChange> all = new ArrayList<>();
            txs.forEach(all::addAll);
            synced(all, counts);
            return;
        }
        java.util.Map<LoggedChange, ConflictDetector.Conflict> conflictOf = new java.util.IdentityHashMap<>();
        plan.conflicts.forEach(c -> conflictOf.put(c.change(), c));
        List<LoggedChange> applied = new ArrayList<>();
        List<ConflictDetector.Conflict> remoteWon = new ArrayList<>();
        for (List<LoggedChange> tx : txs) {
            if (plan.heldTxIds.contains(tx.get(0).txId())) {
                hold(tx, blocked, "held back: a change of its local transaction is in CONFLICT, or it refers to a row"
                        + " whose insert waits on one");
                block(tx, blocked);
                for (LoggedChange c : tx) {
                    if (c.operation() == io.dbcomposite.ChangeOperation.INSERT) {
                        heldInserts.add(applier.rowOf(c)); // later pages' transactions referring to it wait too
                    }
                }
                continue;
            }
            for (LoggedChange c : tx) {
                ConflictDetector.Conflict conflict = conflictOf.get(c);
                if (conflict != null && conflict.resolution() == io.dbcomposite.OnConflict.REMOTE_WINS) {
                    remoteWon.add(conflict);
                } else {
                    applied.add(c);
                }
            }
        }
        if (!applied.isEmpty()) {
            synced(applied, counts);
        }
        for (ConflictDetector.Conflict conflict : plan.conflicts) {
            LoggedChange c = conflict.change();
            if (!listeners.isEmpty()) {
                listeners.conflict(SyncListeners.changeOf(c, c.attempts()), conflict.resolution(), conflict.reason());
            }
            switch (conflict.resolution()) {
                case FAIL -> {
                    LOG.log(System.Logger.Level.WARNING, "db-composite: conflict, change #" + c.id() + " is CONFLICT (onConflict=FAIL): "
                            + conflict.reason() + ". The remote row was left as it is; later changes of the row wait. Resolve"
                            + " it with emf.retry(" + c.id() + ") (the remote takes the local state) or emf.discard(" + c.id()
                            + ") (the local row takes the remote's)");
                    onHelper(() -> settler.markConflict(conflict));
                    heldTxIds.add(c.txId());
                }
                case LOCAL_WINS -> LOG.log(System.Logger.Level.WARNING, "db-composite: conflict, change #" + c.id()
                        + " overwrote the remote row (onConflict=LOCAL_WINS): " + conflict.reason());
                default -> {
                }
            }
        }
        for (ConflictDetector.Conflict conflict : remoteWon) {
            LoggedChange c = conflict.change();
            LOG.log(System.Logger.Level.WARNING, "db-composite: conflict, change #" + c.id() + " is DISCARDED and the local row"
                    + " takes the remote's state (onConflict=REMOTE_WINS): " + conflict.reason());
            onHelper(() -> settler.remoteWins(conflict));
            // the row's later changes were discarded with it: none of them is applied in this run (a page read ahead
            // still has them PENDING)
            blocked.merge(c.row(), c.id(), Math::min);
        }
    }

    /**
     * Runs local work of a settled conflict on the helper thread, after the marks before it: like a mark, it needs
     * SQLite's write lock, which a commit waiting for the applier lock may hold (the run awaits it as it awaits marks).
     */
    private void onHelper(Runnable work) {
        try {
            earlierMarks.add(helper.submit(work));
        } catch (RejectedExecutionException closing) {
            work.run();
        }
    }

    /** @return how many changes were made due now (DEAD, FAILED, CONFLICT; a conflict retried overwrites the remote) */
    @Override
    public int retry(long... ids) {
        return store.retry(ids);
    }

    /**
     * @return how many changes were discarded; a CONFLICT one gives its local row the remote's state as it is now
     */
    @Override
    public int discard(long... ids) {
        // one applier at a time: a change being replayed now is not discarded under the run
        try {
            lock.acquire(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.dbcomposite.CompositeException("Interrupted while waiting for the sync log to discard changes", e);
        } catch (ApplierLock.RemoteUnavailable e) {
            throw new RemoteUnavailableException("Cannot discard changes: the remote, which holds the applier lock,"
                    + " cannot be reached", null, e.getCause());
        }
        try {
            return settler.discard(ids);
        } finally {
            lock.release();
        }
    }

    /** @return the failure, after noting that the remote could not be reached (the run stops, the changes wait) */
    private RuntimeException unreachable(RuntimeException e) {
        engineError = "remote unreachable: " + message(e);
        availability.failed(e, false);
        return e;
    }

    private void synced(List<LoggedChange> changes, int[] counts) {
        Instant now = clock.instant();
        List<Long> ids = new ArrayList<>(changes.size());
        changes.forEach(c -> ids.add(c.id()));
        Future<?> previous = markInFlight;
        markInFlight = null;
        if (previous != null && !awaitUnlessCommitWaits(previous)) {
            // a waiting commit holds the local write lock that mark needs: do not wait for it here; the helper runs
            // the marks in order, and the run (which gives way to the commit before its next batch) awaits them
            earlierMarks.add(previous);
        }
        try {
            markInFlight = helper.submit(() -> store.markSynced(ids, now, remoteOnly));
        } catch (RejectedExecutionException closing) {
            // the unit is closing under a running sync(): mark on this thread; the changes are on the remote
            try {
                store.markSynced(ids, now, remoteOnly);
            } catch (RuntimeException e) {
                throw new MarkFailure(e);
            }
        }
        counts[0] += changes.size();
        if (!listeners.isEmpty()) {
            listeners.applied(SyncListeners.changesOf(changes));
        }
        lastSyncedAt = now;
        lastSyncedAtLoaded = true;
        engineError = null;
    }

    /**
     * Waits for a mark while no commit of this JVM waits for the applier lock (such a commit holds the local write
     * lock the mark needs).
     *
     * @return true if the mark is done (its failure, if any, is thrown); false if a commit waits and it is not
     */
    private boolean awaitUnlessCommitWaits(Future<?> mark) {
        if (mark == null) {
            return true;
        }
        boolean interrupted = false;
        try {
            while (!lock.hasWaitingCommit()) {
                try {
                    mark.get(MARK_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    return true;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // look for a waiting commit again
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    awaitMark(mark); // throws the mark's failure as a MarkFailure
                    return true;
                }
            }
            if (mark.isDone()) {
                awaitMark(mark);
                return true;
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitMark(Future<?> mark) {
        if (mark == null) {
            return;
        }
        try {
            await(mark);
        } catch (RuntimeException e) {
            throw new MarkFailure(e);
        }
    }

    /** Marking applied changes SYNCED failed: a local problem, not a failure of the changes. */
    private final class MarkFailure extends io.dbcomposite.CompositeException {
        MarkFailure(Throwable cause) {
            super("Cannot mark replayed changes SYNCED in the sync log (they are on the remote and will be replayed"
                    + " again without effect): " + cause.getMessage(), cause);
            engineError = "cannot mark replayed changes SYNCED: " + message(cause);
        }
    }


    private void failed(List<LoggedChange> tx, RuntimeException e, Map<LoggedChange.RowKey, Long> blocked, int[] counts) {
        String error = message(e);
        LOG.log(System.Logger.Level.WARNING, "db-composite: replay of local transaction " + tx.get(0).txId() + " ("
                + tx.size() + " change(s), first " + tx.get(0).entityName() + "#" + tx.get(0).entityId() + ") failed: " + error);
        Instant now = clock.instant();
        int dead = store.markFailed(tx, now, error, policy);
        counts[1] += tx.size() - dead;
        counts[2] += dead;
        block(tx, blocked);
        for (LoggedChange c : tx) {
            int attempts = c.attempts() + 1;
            if (policy.isDead(attempts)) {
                LOG.log(System.Logger.Level.WARNING, "db-composite: change #" + c.id() + " (" + c.entityName() + "#"
                        + c.entityId() + ", " + c.operation() + ") is DEAD after " + attempts + " attempt(s): " + error
                        + ". Later changes of the row wait with it; put it back with emf.retry(" + c.id()
                        + ") or emf.retryDeadLetters() once the cause is fixed");
                if (!listeners.isEmpty()) {
                    listeners.dead(SyncListeners.changeOf(c, attempts), error);
                }
            } else if (!listeners.isEmpty()) {
                listeners.failed(SyncListeners.changeOf(c, attempts), error, policy.nextAttempt(now, attempts));
            }
        }
    }

    /** Lets a mark in flight finish and ends the helper thread; the unit is closing. */
    @Override
    public void close() {
        helper.shutdown();
    }

    /** @return the status of the log, plus the engine's own newest error (an unreachable remote) */
    @Override
    public SyncStatus status() {
        Map<ChangeStatus, Long> c = store.counts();
        if (!lastSyncedAtLoaded) {
            lastSyncedAt = store.lastSyncedAt();
            lastSyncedAtLoaded = true;
        }
        String error = engineError != null ? engineError : store.lastError();
        return new SyncStatus(c.get(ChangeStatus.PENDING) + c.get(ChangeStatus.FAILED), c.get(ChangeStatus.FAILED),
                c.get(ChangeStatus.DEAD), c.get(ChangeStatus.CONFLICT), lastSyncedAt, error, store.oldestPendingAt(), availability.isAvailable());
    }

    /** @return how many DEAD changes were put back in the queue */
    @Override
    public int retryDeadLetters() {
        return store.retryDeadLetters();
    }

    /**
     * How the unit settles conflicts.
     *
     * @param policies the resolved {@code onConflict} of each JPA entity name
     * @param resolver the unit's resolver, or null
     * @param local the local side, where REMOTE_WINS and {@code discard} copy a remote row
     * @param capture the local side's capture (the copy is not captured)
     */
    public record Conflicts(java.util.function.Function<String, io.dbcomposite.OnConflict> policies,
                            io.dbcomposite.ConflictResolver resolver, SessionFactoryImplementor local,
                            io.dbcomposite.internal.capture.ChangeCapture capture) {
    }

    private static String message(Throwable e) {
        return Failures.describe(e);
    }

}
