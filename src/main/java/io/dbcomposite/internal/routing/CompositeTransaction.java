package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeException;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.internal.boot.Failures;
import io.dbcomposite.internal.capture.ChangeBuffer;
import io.dbcomposite.internal.capture.ChangeCapture;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.RollbackException;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionImplementor;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * One resource-local transaction over both sides. The local transaction begins with it; the remote one
 * joins on the first use of the remote side. See {@link #commit()} for the order of the two commits and
 * what a remote failure does. A local commit that fails after the remote one succeeded (the last-resource
 * window) is logged and reported, never hidden.
 */
final class CompositeTransaction implements EntityTransaction {

    private static final System.Logger LOG = System.getLogger(CompositeTransaction.class.getName());

    private final CompositeEntityManagerImpl em;
    private final UnitOfWork work;
    private boolean active;
    private boolean rollbackOnly;
    private Integer timeout;

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

    CompositeTransaction(CompositeEntityManagerImpl em, UnitOfWork work) {
        this.em = em;
        this.work = work;
    }

    @Override
    public void begin() {
        if (active) {
            throw new IllegalStateException("Transaction already active");
        }
        Transaction local = em.localSession().getTransaction();
        if (timeout != null) {
            local.setTimeout(timeout);
        }
        local.begin();
        work.clear();
        rollbackOnly = false;
        active = true;
    }

    /** Begins the remote transaction if the composite one is active and the remote one is not yet. */
    void joinRemote() {
        SessionImplementor remote = em.remoteSessionIfOpen();
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
        return remote != null && remote.getTransaction().isActive();
    }

    /** Flushes both sides and applies to each side what the other one's flush left for it (an explicit flush). */
    void flushAndMirror() {
        try {
            flushLocal();
            flushRemote();
            applyPending(Side.LOCAL);
            try {
                applyPending(Side.REMOTE);
            } catch (RuntimeException e) {
                throw new RemoteStepFailure(e);
            }
        } catch (RemoteStepFailure f) {
            if (active) {
                rollbackOnly = true;
            }
            throw remoteFailure(f.cause0(), Set.copyOf(work.remoteEntities()));
        }
    }

    private void flushLocal() {
        em.localSession().flush();
    }

    private void flushRemote() {
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (remote != null && (remoteActive() || remote.isDirty())) {
            try {
                em.remoteSession().flush();
            } catch (RuntimeException e) {
                throw new RemoteStepFailure(e);
            }
        }
    }

    private void applyPending(Side side) {
        if (!work.hasPending(side)) {
            return;
        }
        List<PendingWrite> writes = work.drain(side);
        try {
            SessionImplementor session = side == Side.LOCAL ? em.localSession() : em.remoteSession();
            RowApplier.apply(session.getFactory(), connectionOf(session), writes,
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

    /**
     * Commits both sides in the order the routing of the entities written asks:
     * <ol>
     *   <li>flush local (local constraints fail before anything is final), flush remote, apply the remote's
     *       changes to local;</li>
     *   <li>if an entity with {@code onRemoteFail=FAIL}, or one written REMOTE, was written: apply to the remote
     *       and commit it, then commit local (DUAL+QUEUE changes are logged as SYNCED);</li>
     *   <li>otherwise commit local first (DUAL+QUEUE changes logged PENDING), then apply them to the remote in
     *       the same call and mark them SYNCED.</li>
     * </ol>
     * A remote failure throws {@link RemoteWriteException} with nothing written if any entity written to the
     * remote has {@code onRemoteFail=FAIL}; otherwise the changes stay in the local sync log and the commit
     * succeeds.
     */
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
            RuntimeException remoteFailure = null;
            try {
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
                applyPending(Side.LOCAL);
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e instanceof RollbackException || e instanceof CompositeException ? e
                        : new RollbackException("Commit failed and was rolled back: " + e.getMessage(), e);
            }
            Set<String> touched = Set.copyOf(work.remoteEntities());
            // a remote transaction with no DUAL+QUEUE work in it (reads, bulk statements) also commits first
            boolean remoteFirst = remoteFailure != null || touched.stream().anyMatch(this::needsRemoteFirst)
                    || (remoteActive() && touched.isEmpty());
            boolean remoteCommitted = false;
            if (remoteFirst && remoteFailure == null) {
                try {
                    applyPending(Side.REMOTE);
                    if (remoteActive()) {
                        em.remoteSessionIfOpen().getTransaction().commit();
                        remoteCommitted = !touched.isEmpty();
                    }
                } catch (RuntimeException e) {
                    remoteFailure = e;
                }
            }
            if (remoteFailure != null) {
                queueOrFail(remoteFailure, touched);
                return;
            }
            ChangeBuffer buffer = em.factory().capture().bufferOf(em.localSession());
            if (remoteCommitted && buffer != null) {
                buffer.markSynced(dualQueued(touched));
            }
            ChangeBuffer written = buffer;
            List<PendingWrite> afterLocal = remoteFirst ? List.of() : work.drain(Side.REMOTE);
            if (!afterLocal.isEmpty() && buffer != null) {
                buffer.rememberLogIds();
            }
            commitLocal(remoteCommitted, touched);
            if (!afterLocal.isEmpty() || (!remoteFirst && remoteActive())) {
                applyAfterLocalCommit(afterLocal, written, touched);
            }
        } finally {
            active = false;
            work.clear();
        }
    }

    /** Everything but DUAL+QUEUE is written to the remote before the local commit. */
    private boolean needsRemoteFirst(String entityName) {
        Routing r = em.factory().routes().of(entityName);
        return r != null && !(r.write() == Write.DUAL && r.onRemoteFail() == OnRemoteFail.QUEUE);
    }

    private Set<String> dualQueued(Set<String> touched) {
        Set<String> out = new java.util.HashSet<>();
        for (String name : touched) {
            if (!needsRemoteFirst(name)) {
                out.add(name);
            }
        }
        return out;
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
        boolean fail = touched.isEmpty() || touched.stream().anyMatch(name -> {
            Routing r = em.factory().routes().of(name);
            return r == null || r.onRemoteFail() == OnRemoteFail.FAIL;
        });
        if (fail) {
            rollbackQuietly();
            throw remoteFailure(cause, touched);
        }
        rollbackRemoteQuietly();
        SessionImplementor local = em.localSession();
        ChangeCapture capture = em.factory().capture();
        ChangeBuffer buffer = capture.open(local);
        buffer.queueRemoteWrites();
        int queued = 0;
        for (PendingWrite w : work.drain(Side.REMOTE)) {
            Routing r = em.factory().routes().of(w.entityName());
            if (r != null && MirrorListener.remoteQueued(r)) {
                // never written locally, so not captured yet
                capture.recordQueued(local, local.getFactory().getMappingMetamodel().getEntityDescriptor(w.entityName()),
                        w.id(), w.operation(), w.state());
            }
            queued++;
        }
        LOG.log(System.Logger.Level.WARNING, "db-composite: the remote write of " + em.factory().routes().jpaNames(touched)
                + " failed (" + Failures.rootMessage(cause) + "); " + queued + " change(s) are kept in the local sync log for the"
                + " background sync");
        commitLocal(false, touched);
    }

    /** DUAL+QUEUE: the local commit is done; apply to the remote now and mark the log rows SYNCED, or leave them PENDING. */
    private void applyAfterLocalCommit(List<PendingWrite> writes, ChangeBuffer written, Set<String> touched) {
        try {
            SessionImplementor remote = em.remoteSession();
            RowApplier.apply(remote.getFactory(), connectionOf(remote), writes, null, null);
            remote.getTransaction().commit();
        } catch (RuntimeException e) {
            rollbackRemoteQuietly();
            LOG.log(System.Logger.Level.WARNING, "db-composite: the remote write of " + em.factory().routes().jpaNames(touched)
                    + " failed (" + Failures.rootMessage(e) + "); the changes stay PENDING in the local sync log");
            return;
        }
        if (written != null && written.lastLogId() >= 0) {
            markSynced(written);
        }
    }

    private void markSynced(ChangeBuffer written) {
        String txId = written.txId();
        SessionImplementor local = em.localSession();
        try {
            local.getTransaction().begin();
            local.createNativeMutationQuery("update dbc_sync_log set status = 'SYNCED', synced_at = :now"
                            + " where id between :first and :last and tx_id = :tx and status = 'PENDING'")
                    .setParameter("now", em.factory().configuration().clock().instant())
                    .setParameter("first", written.firstLogId())
                    .setParameter("last", written.lastLogId())
                    .setParameter("tx", txId)
                    .executeUpdate();
            local.getTransaction().commit();
        } catch (RuntimeException e) {
            if (local.getTransaction().isActive()) {
                local.getTransaction().rollback();
            }
            // the rows stay PENDING; replaying them again is idempotent
            LOG.log(System.Logger.Level.WARNING, "db-composite: could not mark local transaction " + txId
                    + " SYNCED; the background sync will replay it again", e);
        }
    }

    private void rollbackRemoteQuietly() {
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
    public Integer getTimeout() {
        return timeout;
    }
}
