package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeException;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import org.hibernate.StaleObjectStateException;
import org.hibernate.StaleStateException;
import org.hibernate.dialect.lock.OptimisticEntityLockException;
import org.hibernate.dialect.lock.PessimisticEntityLockException;

/**
 * Tells a lock failure from an outage. A stale {@code @Version} or a row locked by another transaction is the
 * database answering, not the remote being away: the caller gets the Jakarta Persistence exception plain Hibernate
 * gives ({@link OptimisticLockException}, {@link PessimisticLockException}, {@link LockTimeoutException}), never a
 * {@code RemoteWriteException}, and nothing of the transaction is queued for later.
 */
final class LockFailures {

    private LockFailures() {
    }

    /**
     * @return the lock failure in the cause chain, as Jakarta Persistence reports it, or null if there is none (or the
     *         library already reported the failure as its own)
     */
    static PersistenceException of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CompositeException) {
                return null;
            }
            if (t instanceof OptimisticLockException || t instanceof PessimisticLockException
                    || t instanceof LockTimeoutException) {
                return (PersistenceException) t;
            }
            if (t instanceof StaleObjectStateException s) {
                return new OptimisticLockException("Row of entity '" + s.getEntityName() + "' with id " + s.getIdentifier()
                        + " was updated or deleted by another transaction: its version is not the one this transaction"
                        + " read", s);
            }
            if (t instanceof StaleStateException || t instanceof OptimisticEntityLockException) {
                return new OptimisticLockException(t.getMessage(), t);
            }
            if (t instanceof org.hibernate.exception.LockTimeoutException) {
                return new LockTimeoutException(t.getMessage(), t);
            }
            if (t instanceof org.hibernate.PessimisticLockException || t instanceof PessimisticEntityLockException) {
                return new PessimisticLockException(t.getMessage(), t);
            }
        }
        return null;
    }
}
