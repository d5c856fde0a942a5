package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.apply.IdentityCatchUp;
import io.dbcomposite.internal.apply.References;
import io.dbcomposite.internal.apply.RowRef;
import io.dbcomposite.internal.apply.PendingChanges;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositeException;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.internal.capture.ChangeBuffer;
import io.dbcomposite.internal.capture.ChangeCapture;
import jakarta.transaction.Synchronization;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import org.hibernate.Transaction;
import org.hibernate.resource.transaction.spi.TransactionStatus;
import org.hibernate.engine.spi.SessionImplementor;

import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One resource-local transaction over both sides (also a Hibernate {@link Transaction}, for code that reaches it
 * through the routed session, as Spring's {@code HibernateJpaDialect} does to set a timeout). The local transaction
 * begins with it; the remote one joins on the first use of the remote side. See {@link #commit()} for the order of the two commits and
 * what a remote failure does. A local commit that fails after the remote one succeeded (the last-resource
 * window) is logged and reported, never hidden.
 */
final class CompositeTransaction implements Transaction {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.routing");

    private final CompositeEntityManagerImpl em;
    private final UnitOfWork work;
    private volatile boolean active;
    private boolean rollbackOnly;
    /** Log ids applied to the remote by an explicit flush of this transaction, marked SYNCED after its commit. */
    private final List<PendingChanges.Taken> takenAtFlush = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Remote-bound writes already applied in the open remote transaction (queued from, if it fails). */
    private final List<PendingWrite> sentWrites = new ArrayList<>();
    /** Captured changes already applied in the open remote transaction (logged SYNCED once it commits). */
    private final Set<ChangeBuffer.Change> sentCaptured =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>(4)); // few, usually none
    /**
     * The rows only the local side may hold so far (see {@link #localOnlyRows}), found once a remote flush for the
     * remote session's own writes that refer to rows; null when not found yet.
     */
    private LocalOnlyRows localOnlyThisFlush;
    /** What {@link #localOnlyThisFlush} was found from (outside a remote flush, found again when it changed). */
    private LocalOnlySource localOnlySource;
    private boolean inRemoteFlush;
    /** Takes along what the remote session's own writes refer to (see {@link #beforeReferringWrite}). */
    private final UnitOfWork.ReferencedRows referencedRows = new UnitOfWork.ReferencedRows() {
        @Override
        public boolean wanted() {
            return mayMissReferencedRows();
        }

        @Override
        public void before(Set<RowRef> rows) {
            beforeReferringWrite(rows);
        }
    };
    private Integer timeout;
    /** The container's transactions (a JTA unit), or null: the composite transaction is resource-local. */
    private final JtaTransactions jta;
    /** The JTA transaction this one follows, while joined. */
    private jakarta.transaction.Transaction jtaTransaction;
    /** Under JTA: the remote entities written, and whether the remote step ran (for the last-resource window). */
    private Set<String> jtaTouched = Set.of();
    private boolean jtaRemoteWritten;
    /** Under JTA: the thread that joined, which owns the applier lock of changes taken along. */
    private volatile Thread joinedBy;

    /** A failure of the remote side while flushing or applying, told apart from local failures. */
    private static final class RemoteStepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteStepFailure(RuntimeException cause) {
            super(cause);
        }

        RuntimeException cause0() {
            return (RuntimeException) getCause();
        }
    }

    CompositeTransaction(CompositeEntityManagerImpl em, UnitOfWork work, JtaTransactions jta) {
        this.em = em;
        this.work = work;
        this.jta = jta;
    }

    @Override
    public void begin() {
        if (active) {
            throw new IllegalStateException("Transaction already active");
        }
        JtaTransactions foreign = em.factory().foreignTransactions();
        if (foreign != null && foreign.current() != null) {
            throw new IllegalStateException("Persistence unit '" + em.factory().getName() + "' is RESOURCE_LOCAL, but this"
                    + " thread runs a JTA transaction: this transaction would commit or roll back apart from it. Declare the"
                    + " unit transaction-type=\"JTA\" with the remote as its <jta-data-source> (see the README, \"Jakarta EE\"),"
                    + " or begin this transaction outside the JTA one");
        }
        Transaction local = em.localSession().getTransaction();
        if (timeout != null) {
            local.setTimeout(timeout);
        }
        local.begin();
        started();
    }

    private void started() {
        work.clear();
        work.beforeRemoteDeletes(this::sendBeforeRemoteLatePhase);
        work.beforeRemoteReferences(referencedRows);
        rollbackOnly = false;
        active = true;
    }

    // ---- JTA: the composite transaction follows the container's ---------------------------------------------

    /** @return true if this transaction follows the given JTA transaction */
    boolean follows(jakarta.transaction.Transaction transaction) {
        return active && jtaTransaction != null && jtaTransaction.equals(transaction);
    }

    /**
     * Joins the container's transaction: the local transaction begins, the remote session joins (when it opens), and a
     * synchronization ends both with the container's transaction. See {@link #beforeJtaCompletion()} and
     * {@link #afterJtaCompletion(int)} for what a commit does.
     */
    void joinJta(jakarta.transaction.Transaction transaction) {
        if (active) {
            throw new IllegalStateException("This entity manager is joined to another transaction still");
        }
        Transaction local = em.localSession().getTransaction();
        local.begin();
        started();
        joinedBy = Thread.currentThread();
        jtaTransaction = transaction;
        jtaTouched = Set.of();
        jtaRemoteWritten = false;
        try {
            jta.register(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    beforeJtaCompletion();
                }

                @Override
                public void afterCompletion(int status) {
                    afterJtaCompletion(status);
                }
            });
        } catch (RuntimeException e) {
            rollbackQuietly();
            jtaTransaction = null;
            throw e;
        }
        joinRemote();
    }

    /**
     * Before the container commits: everything a resource-local commit does before its commits runs here, so that a
     * failure rolls the container's transaction back. Both sides are flushed (local constraints fail first), the remote
     * gets its step in the container's transaction (the pending changes it needs, the captured changes of entities that
     * reach the remote in the caller's transaction, its remote writes), and what it took along is marked SYNCED in the
     * local transaction. The local transaction commits in {@link #afterJtaCompletion(int)}, once the remote has: the
     * last-resource order of a resource-local DUAL+FAIL commit. A {@code QUEUE} step whose remote cannot be reached is
     * kept in the local sync log instead, and the container's transaction goes on without the remote.
     */
    private void beforeJtaCompletion() {
        if (!active) {
            return;
        }
        if (rollbackOnly || em.localSession().getTransaction().getRollbackOnly()) {
            // marked by a failure of this entity manager (a lock, or a local statement the application caught): the
            // container's transaction must not commit the remote without the local side
            markRollbackOnly();
            throw new RollbackException("The transaction was marked for rollback by an earlier failure of this entity"
                    + " manager; the JTA transaction rolls back on both sides");
        }
        try {
            RuntimeException remoteFailure = flushSides(); // a local failure is thrown: the container rolls back
            Set<String> touched = Set.copyOf(work.remoteEntities());
            jtaTouched = touched;
            if (remoteFailure == null && touched.isEmpty() && !work.remoteUsedDirectly() && !work.hasPending(Side.REMOTE)) {
                return; // local only: the local commit follows the container's
            }
            if (remoteFailure == null) {
                try {
                    sendRemoteWork();
                    SessionImplementor remote = em.remoteSessionIfOpen();
                    if (remote != null) {
                        remote.flush();
                    }
                } catch (RuntimeException e) {
                    remoteFailure = e;
                }
            }
            if (remoteFailure == null) {
                jtaRemoteWritten = true;
                remoteApplied();
                return;
            }
            PersistenceException lock = LockFailures.of(remoteFailure);
            if (lock != null) {
                throw new RollbackException("Commit failed and was rolled back on both sides: " + lock.getMessage(), lock);
            }
            PersistenceException refused = RemoteRefusals.of(remoteFailure, failsOnRemoteError(touched));
            if (refused != null) {
                throw new RollbackException("Commit failed and was rolled back on both sides: " + refused.getMessage(), refused);
            }
            boolean outage = io.dbcomposite.internal.remote.ConnectionFailures.isConnectionFailure(remoteFailure);
            em.factory().availability().failed(remoteFailure, false);
            if (!outage || failsOnRemoteError(touched) || jta.markedRollback()) {
                // a FAIL entity, a refusal, or a remote already part of the container's transaction when it failed: the
                // container's transaction cannot commit without it, so nothing is written anywhere
                throw remoteFailure(remoteFailure, touched);
            }
            List<PendingWrite> unsent = work.drain(Side.REMOTE);
            List<PendingWrite> queued = new ArrayList<>(sentWrites);
            queued.addAll(unsent);
            sentWrites.clear();
            queueLocally(remoteFailure, touched, queued);
            em.localSession().flush(); // the queued changes' log rows go with the local transaction
        } catch (RuntimeException e) {
            markRollbackOnly();
            throw e;
        }
    }

    /**
     * After the container's transaction: the local transaction commits if it committed, else rolls back. A local commit
     * that fails after the remote committed is the last-resource window: logged at ERROR, naming the entities (the
     * container's commit has returned; nothing can be thrown to the caller from here).
     */
    private void afterJtaCompletion(int status) {
        if (!active) {
            return;
        }
        try {
            if (status == jakarta.transaction.Status.STATUS_COMMITTED && (rollbackOnly
                    || em.localSession().getTransaction().getRollbackOnly())) {
                // marked after the remote step (it committed); the local side cannot follow: the last-resource window
                LOG.log(System.Logger.Level.ERROR, "db-composite: the JTA transaction committed although this entity"
                        + " manager marked it for rollback; the local side rolls back and the remote holds this transaction's"
                        + " changes to " + em.factory().routes().jpaNames(jtaTouched) + " (the last-resource window)");
                em.localSession().getTransaction().rollback();
            } else if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                try {
                    commitLocal(jtaRemoteWritten, jtaTouched);
                } catch (RuntimeException e) {
                    if (!jtaRemoteWritten) {
                        LOG.log(System.Logger.Level.ERROR, "db-composite: the local commit failed after the JTA transaction"
                                + " committed; this transaction's local changes are lost", e);
                    }
                }
            } else {
                if (status != jakarta.transaction.Status.STATUS_ROLLEDBACK && jtaRemoteWritten) {
                    // a heuristic or unknown outcome: the remote may hold the step the local side now rolls back
                    LOG.log(System.Logger.Level.ERROR, "db-composite: the JTA transaction ended with status " + status
                            + " (not committed, not rolled back); the local side rolls back, and the remote may hold this"
                            + " transaction's changes to " + em.factory().routes().jpaNames(jtaTouched)
                            + ": reload them from the remote to repair the local copy");
                }
                Transaction local = em.localSession().getTransaction();
                if (local.isActive()) {
                    local.rollback();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "db-composite: ending the local transaction after the JTA transaction failed", e);
        } finally {
            active = false;
            jtaTransaction = null;
            work.clear();
            sentWrites.clear();
            sentCaptured.clear();
            localOnlyThisFlush = null;
            Thread holder = joinedBy;
            if (holder == null || holder == Thread.currentThread()) {
                releaseTaken();
            } else {
                // ended by another thread (a timeout's reaper): it gives back the applier lock the joining thread took
                try {
                    takenAtFlush.forEach(t -> t.closeFor(holder));
                } finally {
                    takenAtFlush.clear();
                }
            }
            try {
                em.afterJtaCompletion();
            } catch (RuntimeException e) {
                // a close the application asked for, run by the thread that ended the transaction (a timeout's reaper)
                LOG.log(System.Logger.Level.WARNING, "db-composite: closing an entity manager after its JTA transaction"
                        + " failed", e);
            }
        }
    }

    /**
     * The remote session is about to run the collection writes or deletes of a flush (at commit, at an explicit flush or
     * before a query):
     * the writes recorded for the remote so far precede them in flush order, so where the remote commits first anyway
     * they go now, into the open remote transaction (kept in {@link #sentWrites}, so a remote failure still queues or
     * fails them as at commit).
     */
    private void sendBeforeRemoteLatePhase() {
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (!active || remote == null || !remoteActive()
                || !needsRemoteFirst(Set.copyOf(work.remoteEntities()))) {
            return;
        }
        remote.getJdbcCoordinator().executeBatch(); // the flush's batched inserts and updates go first
        sendRemoteWork();
    }

    /** Begins the remote transaction if the composite one is active and the remote one is not yet. */
    void joinRemote() {
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (jta != null) {
            // the remote session joins the container's transaction with the composite, never one of its own
            if (active && remote != null && !remote.isJoinedToTransaction()) {
                remote.joinTransaction();
            }
            return;
        }
        if (!active || remote == null || remote.getTransaction().isActive()) {
            return;
        }
        Transaction tx = remote.getTransaction();
        if (timeout != null) {
            tx.setTimeout(timeout);
        }
        tx.begin();
    }

    private boolean remoteActive() {
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (jta != null) {
            return remote != null && remote.isJoinedToTransaction();
        }
        return remote != null && remote.getTransaction().isActive();
    }

    /**
     * An explicit flush: flushes both sides and applies to the local side what the remote's flush left for it. What
     * the local flush left for the remote waits for the commit, where it goes with the captured changes and the
     * pending ones it needs, in one remote step (applying it here would put it on the remote ahead of them).
     */
    void flushAndMirror() {
        try {
            try {
                flushLocal();
            } catch (RuntimeException e) {
                markRollbackOnLockFailure(e);
                throw e;
            }
            flushRemote();
            applyPending(Side.LOCAL);
            if (active && work.hasPending(Side.REMOTE) && needsRemoteFirst(Set.copyOf(work.remoteEntities()))) {
                // the remote commits first anyway: its writes (and what they need) can go now, in its transaction
                try {
                    sendRemoteWork();
                } catch (RuntimeException e) {
                    throw new RemoteStepFailure(e);
                }
            }
        } catch (RemoteStepFailure f) {
            if (active) {
                markRollbackOnly();
            }
            PersistenceException lock = LockFailures.of(f.cause0());
            if (lock != null) {
                throw lock;
            }
            Set<String> touched = Set.copyOf(work.remoteEntities());
            PersistenceException refused = RemoteRefusals.of(f.cause0(), failsOnRemoteError(touched));
            if (refused != null) {
                throw refused; // as plain Hibernate's flush throws it (the transaction is marked for rollback above)
            }
            throw remoteFailure(f.cause0(), touched);
        }
    }

    /** Jakarta Persistence 3.2, 3.4.4: a lock failure marks the transaction for rollback, as plain Hibernate does. */
    private void markRollbackOnLockFailure(RuntimeException e) {
        if (active && LockFailures.of(e) != null) {
            markRollbackOnly();
        }
    }

    private void flushLocal() {
        em.localSession().flush();
    }

    private void flushRemote() {
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (remote != null && (remoteActive() || remote.isDirty())) {
            localOnlyThisFlush = null;
            inRemoteFlush = true;
            try {
                em.remoteSession().flush();
            } catch (RuntimeException e) {
                throw new RemoteStepFailure(e);
            } finally {
                inRemoteFlush = false;
            }
        }
    }

    /**
     * @return whether a row a remote session's write refers to could be missing on the remote: one of a local change
     *     of this transaction not sent there yet, of a write recorded for the remote, or of an unsynced change in the
     *     log. Outside the remote session's flush (an IDENTITY insert at persist) the local session flushes first
     */
    private boolean mayMissReferencedRows() {
        if (!active || !remoteActive()) {
            return false;
        }
        if (em.localSession().getActionQueue().numberOfInsertions() > 0) {
            // Hibernate runs a session's queued inserts before such an insert, so the rows persisted before it exist;
            // here they are the local session's (in the remote flush: those its cascades handed to the local session)
            flushLocal();
        }
        return !localOnlyRows().isEmpty() || recordsLocalInserts();
    }

    /**
     * @return whether a row new in this transaction waits to be written locally: an entity written locally that a
     *     cascade from the remote session persisted (a remote-only {@code Dog}'s new {@code Kennel})
     */
    private boolean recordsLocalInserts() {
        return work.recordsInserts(Side.LOCAL);
    }

    /** @return whether one of these rows is the insert of a write recorded for the local side and not applied yet */
    private boolean insertedLocallyLater(Set<RowRef> rows) {
        SessionImplementor remote = em.remoteSession();
        for (PendingWrite w : work.recorded(Side.LOCAL)) {
            if (w.keys() == null && w.operation() == ChangeOperation.INSERT && rows.contains(
                    References.rowOf(remote.getFactory().getMappingMetamodel().getEntityDescriptor(w.entityName()), w.id(), remote))) {
                return true;
            }
        }
        return false;
    }

    /** @return what the rows only the local side holds are found from: changed whenever they may have */
    private LocalOnlySource localOnlySource() {
        ChangeBuffer buffer = em.factory().capture().bufferOf(em.localSession());
        return new LocalOnlySource(buffer == null ? 0 : buffer.recorded(), work.recordedCount(Side.REMOTE), sentWrites.size(),
                sentCaptured.size(), takenAtFlush.size());
    }

    /** Counts of the changes recorded locally and for the remote, and of those sent or taken along. */
    private record LocalOnlySource(int captured, int recordedForRemote, int sentWrites, int sentCaptured, int taken) {
    }

    /**
     * @return the rows only the local side may hold so far: those of this transaction's captured changes not sent to
     *     the remote (of entities not written there), of the writes recorded for the remote and not sent yet, and of the
     *     log's unsynced changes not taken along; found once a remote flush, and again when this transaction recorded,
     *     sent or took along anything since
     */
    private LocalOnlyRows localOnlyRows() {
        LocalOnlySource source = localOnlySource();
        if (localOnlyThisFlush == null || !source.equals(localOnlySource)) {
            localOnlySource = source;
            localOnlyThisFlush = LocalOnlyRows.of(unsent(em.factory().capture().bufferOf(em.localSession())),
                    work.recorded(Side.REMOTE), em.factory().pendingChanges().unsyncedRows(takenIds()), em.remoteSession());
        }
        return localOnlyThisFlush;
    }

    /**
     * @return the changes captured in this transaction that the remote does not hold: not sent yet, and of entities it
     *     does not get otherwise (a remote-bound write of its own covers the others), in recording order
     */
    private List<ChangeBuffer.Change> unsent(ChangeBuffer buffer) {
        List<ChangeBuffer.Change> unsent = new ArrayList<>();
        if (buffer != null) {
            for (ChangeBuffer.Change c : buffer.changes()) {
                RoutingPlan plan = em.factory().routes().plan(c.persister().getEntityName());
                if ((plan == null || !plan.writesRemote()) && !sentCaptured.contains(c)) {
                    unsent.add(c);
                }
            }
        }
        return unsent;
    }

    /** @return the log ids this transaction's remote transaction already holds */
    private Set<Long> takenIds() {
        if (takenAtFlush.isEmpty()) {
            return Set.of();
        }
        Set<Long> ids = new HashSet<>();
        takenAtFlush.forEach(t -> ids.addAll(t.ids()));
        return ids;
    }

    /**
     * The remote session is about to run a write of its own (an entity read and written REMOTE) that refers to these
     * rows: those that only the local side holds so far go first, into the open remote transaction (contract, "Mixed
     * routing and foreign keys"): their changes captured in this transaction, their pending changes in the log, and
     * their inserts recorded for the remote (a {@code DUAL} row new in this transaction), with what those need.
     */
    private void beforeReferringWrite(Set<RowRef> rows) {
        if (recordsLocalInserts() && insertedLocallyLater(rows)) {
            // a row the remote session's cascade persisted for the local side: written there now, in recording order
            // (what it refers to locally first), its change captured, so that it goes along below like any other
            applyPending(Side.LOCAL);
        }
        LocalOnlyRows localOnly = localOnlyRows();
        localOnly.retainListed(rows);
        if (rows.isEmpty()) {
            return;
        }
        em.remoteSession().getJdbcCoordinator().executeBatch(); // the flush's batched writes so far go first, in flush order
        // of the writes recorded for the remote, only the inserts of the rows needed go now (and of the rows those refer
        // to): the others wait for the commit, behind the remote session's own writes as in flush order
        send(work.take(Side.REMOTE, localOnly.takeInserts(rows, this::referencesOf)), rows, localOnly);
        // what went along is on the remote now; the rows it needed in turn may stay listed (a later write referring to
        // one of them finds nothing more to take)
        localOnly.sent(rows);
        localOnlySource = localOnlySource();
    }

    /** Adds the rows a write recorded for the remote refers to (by its id and state). */
    private void referencesOf(PendingWrite w, Set<RowRef> out) {
        SessionImplementor remote = em.remoteSession();
        References.collect(remote.getFactory().getMappingMetamodel().getEntityDescriptor(w.entityName()), w.id(), w.state(),
                remote, out);
    }

    private void applyPending(Side side) {
        if (!work.hasPending(side)) {
            return;
        }
        List<PendingWrite> writes = work.drain(side);
        try {
            SessionImplementor session = side == Side.LOCAL ? em.localSession() : em.remoteSession();
            MirrorApplier.apply(session.getFactory(), connectionOf(session), writes,
                    side == Side.LOCAL ? em.factory().capture() : null, em.localSession());
        } catch (RuntimeException e) {
            // keep them: a failed remote apply is queued from these
            writes.forEach(w -> work.record(side, w));
            throw e;
        }
    }

    private static Connection connectionOf(SessionImplementor session) {
        return session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
    }

    @Override
    public void commit() {
        if (!active) {
            throw new IllegalStateException("Transaction not active");
        }
        if (rollbackOnly) {
            rollbackQuietly();
            throw new RollbackException("Transaction was marked for rollback only; rolled back");
        }
        try {
            RuntimeException remoteFailure = flushBoth();
            Set<String> touched = Set.copyOf(work.remoteEntities());
            // a remote flush that failed wrote something there, even if it failed before any write was recorded
            if (remoteFailure == null && touched.isEmpty() && !work.remoteUsedDirectly() && !work.hasPending(Side.REMOTE)) {
                commitLocalOnly();
                return;
            }
            if (remoteFailure == null && !needsRemoteFirst(touched)) {
                commitLocalThenRemote(touched);
                return;
            }
            commitRemoteThenLocal(touched, remoteFailure);
        } finally {
            active = false;
            work.clear();
            sentWrites.clear();
            sentCaptured.clear();
            localOnlyThisFlush = null;
            releaseTaken();
        }
    }

    /**
     * Step 1: flush local (local constraints fail before anything is final), flush remote, apply the remote's changes
     * to local. A local failure rolls everything back and is thrown.
     *
     * @return a failure of the remote flush, or null
     */
    private RuntimeException flushBoth() {
        try {
            return flushSides();
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e instanceof RollbackException || e instanceof CompositeException ? e
                    : new RollbackException("Commit failed and was rolled back: " + e.getMessage(), e);
        }
    }

    /**
     * Flushes local (a local failure is thrown), then remote, and applies to local what the remote's flush left: the
     * first step of a commit, resource-local or JTA.
     *
     * @return a failure of the remote flush, or null
     */
    private RuntimeException flushSides() {
        RuntimeException remoteFailure = null;
        flushLocal();
        try {
            flushRemote();
        } catch (RemoteStepFailure f) {
            remoteFailure = f.cause0();
            if (!remoteActive() && em.remoteSessionIfOpen() != null) {
                // the remote transaction could not begin, so nothing was flushed there
                UnflushedRemoteWrites.collect(em.remoteSessionIfOpen(), em.factory().routes(), work);
            }
        }
        // Hibernate would force these versions while the local side completes, after the log and the remote commit
        ForcedIncrements.settle(em);
        applyPending(Side.LOCAL);
        return remoteFailure;
    }

    /**
     * Nothing was written to the remote: the local commit decides, and a remote transaction that only read ends
     * after it, whatever the remote does (contract: a transaction that writes only local entities never fails
     * because of the remote).
     */
    private void commitLocalOnly() {
        em.localSession().getTransaction().commit();
        rollbackRemoteQuietly();
    }

    /** Everything but DUAL+QUEUE (and any direct use of the remote session) is written to the remote before the local commit. */
    private boolean needsRemoteFirst(Set<String> touched) {
        if (jta != null || work.remoteUsedDirectly()) {
            // under JTA the remote commits with the container's transaction, always before the local one
            return true;
        }
        for (String name : touched) {
            RoutingPlan plan = em.factory().routes().plan(name);
            if (plan == null || plan.remoteBeforeLocal()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remote first ({@code FAIL} entities, {@code write=REMOTE}): the remote gets the pending changes the transaction
     * needs, its captured local changes and its remote writes, in flush order, and commits; then local commits with
     * every captured change logged SYNCED, and the changes taken along are marked SYNCED.
     */
    private void commitRemoteThenLocal(Set<String> touched, RuntimeException flushFailure) {
        RuntimeException remoteFailure = flushFailure;
        boolean remoteCommitted = false;
        if (remoteFailure == null) {
            try {
                sendRemoteWork();
                em.remoteSessionIfOpen().getTransaction().commit();
                remoteCommitted = true;
            } catch (RuntimeException e) {
                remoteFailure = e;
            }
        }
        if (remoteFailure != null) {
            PersistenceException lock = LockFailures.of(remoteFailure);
            if (lock != null) {
                // the remote answered: a stale version or a locked row is the caller's conflict, never queued
                rollbackQuietly();
                throw new RollbackException("Commit failed and was rolled back on both sides: " + lock.getMessage(), lock);
            }
            PersistenceException refused = RemoteRefusals.of(remoteFailure, failsOnRemoteError(touched));
            if (refused != null) {
                // the remote answered: a constraint it enforces is the caller's error, never queued (it would never apply)
                rollbackQuietly();
                throw new RollbackException("Commit failed and was rolled back on both sides: " + refused.getMessage(), refused);
            }
            // nothing of this transaction is on the remote: what was sent is queued (or failed) like the rest
            List<PendingWrite> unsent = work.drain(Side.REMOTE);
            for (PendingWrite w : sentWrites) {
                work.record(Side.REMOTE, w);
            }
            unsent.forEach(w -> work.record(Side.REMOTE, w));
            queueOrFail(remoteFailure, touched);
            return;
        }
        remoteApplied();
        commitLocal(remoteCommitted, touched);
    }

    /**
     * The remote holds this transaction's remote step (committed, or under JTA prepared to commit with the container's
     * transaction): the captured changes sent are logged SYNCED, and the changes taken along marked SYNCED, in the local
     * transaction itself.
     */
    private void remoteApplied() {
        ChangeBuffer buffer = em.factory().capture().bufferOf(em.localSession());
        if (buffer != null) {
            Set<String> appliedRows = new HashSet<>();
            sentWrites.forEach(w -> appliedRows.add(w.entityName() + "#" + w.id()));
            for (ChangeBuffer.Change c : buffer.changes()) {
                RoutingPlan plan = em.factory().routes().plan(c.persister().getEntityName());
                // on the remote now: the captured changes sent, and those of rows whose own remote write was applied
                if (sentCaptured.contains(c) || (plan != null && plan.writesRemote()
                        && appliedRows.contains(c.persister().getEntityName() + "#" + c.id()))) {
                    buffer.markSynced(c);
                }
            }
        }
        List<Long> taken = new ArrayList<>();
        takenAtFlush.forEach(t -> taken.addAll(t.ids()));
        try {
            // in the local transaction itself: the marks commit with the data and the new log rows, or not at all
            em.factory().pendingChanges().markSyncedOn(connectionOf(em.localSession()), taken);
        } catch (RuntimeException e) {
            // the older changes taken along would stay PENDING behind this transaction's newer ones logged SYNCED, and
            // a later replay would write them over: log this transaction PENDING too, so all replay in order
            LOG.log(System.Logger.Level.WARNING, "db-composite: could not mark SYNCED the " + taken.size() + " change(s) taken"
                    + " along; they and this transaction's changes stay PENDING and the background sync replays them in"
                    + " order, without effect", e);
            if (buffer != null) {
                buffer.clearSynced();
            }
        }
    }

    /**
     * Sends the remote step now, in the open remote transaction: the pending log changes the remote-bound writes need,
     * the captured changes they need, and the writes themselves (see {@link #applyRemoteWork}).
     */
    private void sendRemoteWork() {
        send(work.drain(Side.REMOTE), Set.of(), null);
    }

    /**
     * Sends remote-bound writes and what they and the given rows need, into the open remote transaction.
     *
     * @param localOnly the rows only the local side holds, if found already (else found here, without the log's); the
     *     inserts recorded for the remote it lists go too where the captured changes sent need them
     */
    private void send(List<PendingWrite> writes, Set<RowRef> referenced, LocalOnlyRows localOnly) {
        sentWrites.addAll(writes);
        ChangeBuffer buffer = em.factory().capture().bufferOf(em.localSession());
        RemoteWork done = applyRemoteWork(writes, referenced, buffer, null, localOnly);
        if (done.taken() == PendingChanges.Taken.NONE && done.captured().isEmpty()) {
            return;
        }
        takenAtFlush.add(done.taken());
        if (!active) {
            // the JTA transaction ended meanwhile on another thread (a timeout's reaper): give the lock back now
            releaseTaken();
        }
        for (ChangeBuffer.Change c : done.captured()) {
            sentCaptured.add(c);
            buffer.markSent(c);
        }
    }

    /** Gives the applier lock held for changes taken along back (after their marks, or after a failure). */
    private void releaseTaken() {
        try {
            takenAtFlush.forEach(PendingChanges.Taken::close);
        } finally {
            takenAtFlush.clear();
        }
    }

    /**
     * Local first (only DUAL+QUEUE entities written remotely): local commits with its captured changes PENDING; the
     * remote then gets the same work as in {@link #commitRemoteThenLocal} and, if it commits, the transaction's log
     * rows and those taken along are marked SYNCED. A remote failure leaves them PENDING for the background sync.
     */
    private void commitLocalThenRemote(Set<String> touched) {
        List<PendingWrite> writes = work.drain(Side.REMOTE);
        ChangeBuffer buffer = em.factory().capture().bufferOf(em.localSession());
        commitLocal(false, touched);
        PendingChanges log = em.factory().pendingChanges();
        PendingChanges.Taken done = PendingChanges.Taken.NONE;
        try {
            SessionImplementor remote = em.remoteSession();
            SessionFactoryImplementor target = remote.getFactory();
            try (StatelessSession s = target.withStatelessOptions().connection(connectionOf(remote)).openStatelessSession()) {
                if (buffer != null) {
                    // from the log, under the applier lock: what the engine would replay for it, in log order; the
                    // in-memory states could be older than a later transaction's that already reached the remote
                    done = log.replayTransaction(s, buffer.txId());
                    takenAtFlush.add(done);
                }
                for (PendingWrite w : writes) {
                    if (w.keys() != null) { // key columns of one-to-many associations are not in the log
                        MirrorApplier.applyOne(s, target, w);
                    }
                }
            }
            em.remoteSessionIfOpen().getTransaction().commit();
        } catch (RuntimeException e) {
            rollbackRemoteQuietly();
            em.factory().availability().failed(e, false);
            boolean outage = io.dbcomposite.internal.remote.ConnectionFailures.isConnectionFailure(e);
            LOG.log(System.Logger.Level.WARNING, "db-composite: the remote write of " + em.factory().routes().jpaNames(touched)
                    + " failed (" + Failures.rootMessage(e) + "); the changes stay PENDING in the local sync log for the"
                    + " background sync");
            if (!outage && buffer != null) {
                // the remote refused the replay: the log says why, instead of a PENDING change with no error
                log.noteFailure(buffer.txId(), e);
            }
            return;
        }
        log.markSynced(done.ids());
    }

    /**
     * Writes to the remote, in its open transaction: first the pending log changes the rows need, then the captured
     * local changes of this transaction that they need, merged in flush order with its remote-bound writes. The
     * captured changes taken along are marked in the buffer (logged SYNCED if local commits after this).
     *
     * @param ownTxId the local transaction whose log rows are already written (local committed first), or null
     * @return the log ids taken along, and the captured changes taken along
     */
    private RemoteWork applyRemoteWork(List<PendingWrite> given, Set<RowRef> referenced, ChangeBuffer buffer, String ownTxId,
                                       LocalOnlyRows localOnly) {
        List<PendingWrite> writes = given;
        SessionImplementor remote = em.remoteSession();
        SessionFactoryImplementor target = remote.getFactory();
        PendingChanges log = em.factory().pendingChanges();
        try (StatelessSession s = target.withStatelessOptions().connection(connectionOf(remote)).openStatelessSession()) {
            SharedSessionContractImplementor session = (SharedSessionContractImplementor) s;
            Set<RowRef> rows = new HashSet<>(referenced);
            for (PendingWrite w : writes) {
                if (w.keys() != null) {
                    // the owner row the key points at must be there first
                    EntityPersister owner = target.getMappingMetamodel().getCollectionDescriptor(w.keys().role()).getOwnerEntityPersister();
                    rows.add(References.rowOf(owner, w.keys().ownerId(), session));
                    continue;
                }
                EntityPersister persister = target.getMappingMetamodel().getEntityDescriptor(w.entityName());
                rows.add(References.rowOf(persister, w.id(), session));
                References.collect(persister, w.id(), w.state(), session, rows);
            }
            // the captured changes of the rows needed, and (to a fixed point) of the rows those refer to
            LocalOnlyRows index = localOnly != null ? localOnly : LocalOnlyRows.of(unsent(buffer), List.of(), null, session);
            List<ChangeBuffer.Change> needed = index.neededBy(rows, (c, out) -> log.collectCaptured(s, c, out), sentCaptured);
            // a captured change needed may refer to a row inserted by a write recorded for the remote: it goes too, with
            // what it needs in turn
            for (Set<PendingWrite> found = index.takeInserts(rows, this::referencesOf); !found.isEmpty();
                 found = index.takeInserts(rows, this::referencesOf)) {
                List<PendingWrite> more = work.take(Side.REMOTE, found);
                sentWrites.addAll(more);
                writes = new ArrayList<>(writes);
                writes.addAll(more);
                writes.sort(java.util.Comparator.comparingLong(PendingWrite::seq));
                needed = index.neededBy(rows, (c, out) -> log.collectCaptured(s, c, out), sentCaptured);
            }
            // in the order the remote's foreign keys accept: a row persisted after one that refers to it goes first
            List<ChangeBuffer.Change> captured = log.inReplayOrder(s, needed);
            // the log is read only if it may hold a change of one of the rows
            PendingChanges.Taken taken = index.anyLogged(rows) ? log.applyPrerequisites(s, rows, ownTxId, takenIds())
                    : PendingChanges.Taken.NONE;
            try {
                PendingChanges.CapturedApply apply = captured.isEmpty() ? null : log.applyCaptured(s, buffer.txId());
                int w = 0;
                int c = 0;
                // the join rows of the upserted rows go after the rows written after them in the same flush, as
                // Hibernate writes them locally (an owner persisted before the elements it holds)
                io.dbcomposite.internal.apply.CollectionRewrites later = new io.dbcomposite.internal.apply.CollectionRewrites();
                // reordered for the foreign keys, a captured change goes no later than any change after it would
                long[] seq = new long[captured.size()];
                for (int k = captured.size() - 1; k >= 0; k--) {
                    seq[k] = k == captured.size() - 1 ? captured.get(k).seq() : Math.min(captured.get(k).seq(), seq[k + 1]);
                }
                while (w < writes.size() || c < captured.size()) {
                    if (c < captured.size() && (w == writes.size() || seq[c] < writes.get(w).seq())) {
                        later.write(session);
                        apply.apply(captured.get(c++));
                    } else {
                        MirrorApplier.applyOne(s, target, writes.get(w++), later);
                    }
                }
                later.write(session);
                if (apply != null) {
                    apply.finish();
                }
                Set<String> inserted = MirrorApplier.inserted(writes);
                for (ChangeBuffer.Change change : captured) {
                    if (change.operation() == io.dbcomposite.ChangeOperation.INSERT) {
                        inserted.add(change.persister().getEntityName());
                    }
                }
                IdentityCatchUp.afterInserts(s, inserted);
                return new RemoteWork(taken, captured);
            } catch (RuntimeException e) {
                taken.close();
                throw e;
            }
        }
    }

    /** What a remote step took along: log ids to mark SYNCED, captured changes of this transaction. */
    private record RemoteWork(PendingChanges.Taken taken, List<ChangeBuffer.Change> captured) {
    }

    private void commitLocal(boolean remoteCommitted, Set<String> remoteEntities) {
        try {
            em.localSession().getTransaction().commit();
        } catch (RuntimeException e) {
            if (remoteCommitted) {
                String names = em.factory().routes().jpaNames(remoteEntities).toString();
                LOG.log(System.Logger.Level.ERROR, "db-composite: the local commit failed AFTER the remote commit of "
                        + names + " (the last-resource window); the remote now holds changes the local database does not", e);
                throw new CompositeException("The local commit failed after the remote commit succeeded: the remote holds"
                        + " this transaction's changes to " + names + " and the local database does not. Reload these"
                        + " entities from the remote to repair the local copy. Cause: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * The remote failed. With an entity of {@code onRemoteFail=FAIL} among those written there, nothing is
     * written anywhere; otherwise the remote part is rolled back and kept in the local sync log, and the local
     * part commits.
     */
    private void queueOrFail(RuntimeException cause, Set<String> touched) {
        em.factory().availability().failed(cause, false);
        List<PendingWrite> remoteWrites = work.drain(Side.REMOTE);
        // a remote that answered with a refusal (a duplicate id, a constraint) is no outage: queueing the change would
        // only replay the refused write later, and an upsert replay would overwrite the row that refused it
        boolean fail = !io.dbcomposite.internal.remote.ConnectionFailures.isConnectionFailure(cause)
                || failsOnRemoteError(touched);
        PendingWrite keys = remoteWrites.stream().filter(w -> w.keys() != null && !ownerLogged(w.keys().role()))
                .findFirst().orElse(null);
        if (keys != null && !fail) {
            // the key column of a one-to-many is in no entity state: a queued change could carry it only in its owner's
            // logged state, so without one this transaction fails instead of losing the association
            rollbackQuietly();
            throw new RemoteWriteException("Remote write of " + em.factory().routes().jpaNames(touched) + " failed, and the"
                    + " association " + keys.keys().role() + " (a one-to-many whose key column is in the remote-only"
                    + " table) cannot be queued for later; the transaction was rolled back on both sides and nothing was"
                    + " written: " + Failures.rootMessage(cause), cause);
        }
        if (fail) {
            rollbackQuietly();
            throw remoteFailure(cause, touched);
        }
        rollbackRemoteQuietly();
        queueLocally(cause, touched, remoteWrites);
        commitLocal(false, touched);
    }

    /** Keeps a failed remote step's writes in the local sync log, for the background sync (the local transaction commits them). */
    private void queueLocally(RuntimeException cause, Set<String> touched, List<PendingWrite> remoteWrites) {
        SessionImplementor local = em.localSession();
        ChangeCapture capture = em.factory().capture();
        ChangeBuffer buffer = capture.open(local);
        buffer.queueRemoteWrites();
        int queued = 0;
        for (PendingWrite w : remoteWrites) {
            RoutingPlan plan = em.factory().routes().plan(w.entityName());
            if (plan != null && plan.heldUntilCommit()) {
                // never written locally, so not captured yet
                capture.recordQueued(local, local.getFactory().getMappingMetamodel().getEntityDescriptor(w.entityName()),
                        w.id(), w.operation(), w.state(), w.before());
            }
            queued++;
        }
        LOG.log(System.Logger.Level.WARNING, "db-composite: the remote write of " + em.factory().routes().jpaNames(touched)
                + " failed (" + Failures.rootMessage(cause) + "); " + queued + " change(s) are kept in the local sync log for the"
                + " background sync");
    }

    /** @return true if a remote failure of these writes fails the caller (an entity of {@code onRemoteFail=FAIL}, or a direct use) */
    private boolean failsOnRemoteError(Set<String> touched) {
        return touched.isEmpty() || work.remoteUsedDirectly() || touched.stream().anyMatch(name -> {
            RoutingPlan plan = em.factory().routes().plan(name);
            return plan == null || plan.failsOnRemoteError();
        });
    }

    /** @return true if the owner of this collection is always logged: its payload carries the association's columns */
    private boolean ownerLogged(String role) {
        String owner = em.localSession().getFactory().getMappingMetamodel().getCollectionDescriptor(role)
                .getOwnerEntityPersister().getEntityName();
        RoutingPlan plan = em.factory().routes().plan(owner);
        return plan != null && plan.capture() == io.dbcomposite.internal.capture.CaptureMode.ALWAYS;
    }

    private void rollbackRemoteQuietly() {
        if (jta != null) {
            return; // the remote is the container's: its transaction ends with the container's
        }
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (remote != null && remote.getTransaction().isActive()) {
            try {
                remote.getTransaction().rollback();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "db-composite: remote rollback failed (the server rolls back a lost connection)", e);
            }
        }
    }

    private RemoteWriteException remoteFailure(RuntimeException cause, Set<String> entities) {
        String names = entities.isEmpty() ? "the remote side" : em.factory().routes().jpaNames(entities).toString();
        return new RemoteWriteException("Remote write of " + names + " failed; the transaction was rolled back on both"
                + " sides and nothing was written: " + Failures.rootMessage(cause), cause);
    }

    @Override
    public void rollback() {
        if (!active) {
            throw new IllegalStateException("Transaction not active");
        }
        rollbackQuietly();
    }

    /** Rolls both sides back; a remote that cannot be reached is rolled back by its server anyway. */
    void rollbackQuietly() {
        try {
            rollbackRemoteQuietly();
            Transaction local = em.localSession().getTransaction();
            if (local.isActive()) {
                local.rollback();
            }
        } finally {
            active = false;
            work.clear();
            sentWrites.clear();
            sentCaptured.clear();
            localOnlyThisFlush = null;
            releaseTaken();
        }
    }

    @Override
    public void setRollbackOnly() {
        if (!active) {
            throw new IllegalStateException("Transaction not active");
        }
        rollbackOnly = true;
    }

    @Override
    public boolean getRollbackOnly() {
        if (!active) {
            throw new IllegalStateException("Transaction not active");
        }
        return rollbackOnly || em.localSession().getTransaction().getRollbackOnly();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    @Override
    public void setTimeout(int seconds) {
        this.timeout = seconds;
    }

    @Override
    public TransactionStatus getStatus() {
        if (!active) {
            return TransactionStatus.NOT_ACTIVE;
        }
        return rollbackOnly ? TransactionStatus.MARKED_ROLLBACK : TransactionStatus.ACTIVE;
    }

    /** The synchronization runs around the local transaction's completion, which ends every commit and rollback. */
    @Override
    public void registerSynchronization(Synchronization synchronization) {
        em.localSession().getTransaction().registerSynchronization(synchronization);
    }

    @Override
    public void markRollbackOnly() {
        if (active) {
            rollbackOnly = true;
            if (jta != null) {
                // JTA: the container's transaction this one follows rolls back (that one, not whatever runs on this thread)
                try {
                    if (jtaTransaction != null) {
                        jtaTransaction.setRollbackOnly();
                    } else {
                        jta.setRollbackOnly();
                    }
                } catch (jakarta.transaction.SystemException | IllegalStateException e) {
                    // completing already: beforeJtaCompletion throws instead, and afterJtaCompletion never commits it
                }
            }
        }
    }

    @Override
    public Integer getTimeout() {
        return timeout;
    }
}

