package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeException;
import io.dbcomposite.RemoteWriteException;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.RollbackException;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionImplementor;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * One resource-local transaction over both sides. The local transaction begins with it; the remote one
 * joins on the first use of the remote side. Commit order: flush local (so local constraints fail before
 * anything is final), flush remote, apply each side's changes to the other, commit remote, commit local.
 * A remote failure rolls both back and throws {@link RemoteWriteException}; a local commit that fails after
 * the remote one succeeded (the last-resource window) is logged and reported, never hidden.
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

    /** Flushes both sides and applies to each side what the other one's flush left for it. */
    void flushAndMirror() {
        SessionImplementor local = em.localSession();
        local.flush();
        SessionImplementor remote = em.remoteSessionIfOpen();
        if (remote != null && (remoteActive() || remote.isDirty())) {
            try {
                em.remoteSession().flush();
            } catch (RuntimeException e) {
                throw new RemoteStepFailure(e);
            }
        }
        if (work.hasPending(Side.REMOTE)) {
            List<PendingWrite> writes = work.drain(Side.REMOTE);
            try {
                SessionImplementor r = em.remoteSession();
                RowApplier.apply(r.getFactory(), connectionOf(r), writes);
            } catch (RuntimeException e) {
                throw new RemoteStepFailure(e);
            }
        }
        if (work.hasPending(Side.LOCAL)) {
            RowApplier.apply(local.getFactory(), connectionOf(local), work.drain(Side.LOCAL));
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
        Set<String> remoteEntities = Set.copyOf(work.remoteEntities());
        try {
            try {
                flushAndMirror();
            } catch (RemoteStepFailure f) {
                Set<String> touched = Set.copyOf(work.remoteEntities());
                rollbackQuietly();
                throw remoteFailure(f.cause0(), touched);
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e instanceof RollbackException || e instanceof CompositeException ? e
                        : new RollbackException("Commit failed and was rolled back: " + e.getMessage(), e);
            }
            remoteEntities = Set.copyOf(work.remoteEntities());
            boolean remoteCommitted = false;
            if (remoteActive()) {
                try {
                    em.remoteSessionIfOpen().getTransaction().commit();
                    remoteCommitted = !remoteEntities.isEmpty();
                } catch (RuntimeException e) {
                    rollbackQuietly();
                    throw remoteFailure(e, remoteEntities);
                }
            }
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
        } finally {
            active = false;
            work.clear();
        }
    }

    private RemoteWriteException remoteFailure(RuntimeException cause, Set<String> entities) {
        String names = entities.isEmpty() ? "the remote side" : em.factory().routes().jpaNames(entities).toString();
        return new RemoteWriteException("Remote write of " + names + " failed; the transaction was rolled back on both"
                + " sides and nothing was written: " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
            SessionImplementor remote = em.remoteSessionIfOpen();
            if (remote != null && remote.getTransaction().isActive()) {
                try {
                    remote.getTransaction().rollback();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "db-composite: remote rollback failed (the server rolls back a lost connection)", e);
                }
            }
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
