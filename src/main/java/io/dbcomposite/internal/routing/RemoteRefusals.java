package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeException;
import io.dbcomposite.internal.remote.ConnectionFailures;
import jakarta.persistence.PersistenceException;
import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.DataException;

/**
 * Tells a statement the remote refused from an outage, as {@link LockFailures} does for lock failures. A remote that
 * answers "this row breaks a constraint" (or any other SQL error) is not away: the caller gets what plain Hibernate
 * gives ({@code ConstraintViolationException} and the other {@link JDBCException}s, all of them
 * {@link PersistenceException}s), never a {@code RemoteWriteException}, and the remote is not marked down.
 */
final class RemoteRefusals {

    private RemoteRefusals() {
    }

    /**
     * @param anyStatementError true if every SQL error counts (the write fails the caller anyway); false if only the
     *        refusals of the data itself count (a constraint or a value the remote will never take): the others may pass
     *        once the remote is fixed, and a {@code QUEUE} routing keeps them for later
     * @return the remote's refusal in the cause chain, as Hibernate reports it, or null if there is none (an outage, or
     *         a failure the library already reported as its own)
     */
    static PersistenceException of(Throwable failure, boolean anyStatementError) {
        if (failure == null || ConnectionFailures.isConnectionFailure(failure)) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CompositeException) {
                return null;
            }
            if (t instanceof ConstraintViolationException || t instanceof DataException) {
                return (JDBCException) t;
            }
            if (anyStatementError && t instanceof JDBCException j) {
                return j;
            }
        }
        return null;
    }
}
