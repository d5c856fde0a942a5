package io.dbcomposite.testing;

import io.agroal.api.AgroalDataSource;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;

import java.util.function.Consumer;

/**
 * A composite unit of transaction-type JTA for tests, on a standalone Narayana: its remote is a pool that enlists its
 * connections in the JTA transaction (as a container's {@code <jta-data-source>}), and its transactions are JTA
 * transactions begun and committed through the transaction manager, the entity manager joining them by itself.
 */
public final class JtaUnits {

    private JtaUnits() {
    }

    /** Makes the builder's unit a JTA unit whose remote is the given enlisting pool. */
    public static CompositePersistence.Builder jta(CompositePersistence.Builder builder, AgroalDataSource remote) {
        return builder.property("jakarta.persistence.transactionType", "JTA")
                .property(CompositeSettings.REMOTE_DATASOURCE, remote);
    }

    /**
     * Runs work with an entity manager created inside a JTA transaction (so joined to it), then commits the transaction.
     * A commit that fails is rethrown as its cause when that is a persistence exception (what the caller's code sees as
     * the reason; the container wraps it in its own exception), else as it is.
     */
    public static void inTransaction(CompositeEntityManagerFactory emf, Consumer<CompositeEntityManager> work) {
        TransactionManager tm = StandaloneJta.manager();
        try {
            tm.begin();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            CompositeEntityManager em = (CompositeEntityManager) emf.createEntityManager();
            try {
                work.accept(em);
            } finally {
                em.close(); // closed inside the transaction: the persistence context lives until it completes
            }
        } catch (RuntimeException | Error e) {
            try {
                tm.rollback();
            } catch (Exception rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        try {
            tm.commit();
        } catch (RollbackException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof PersistenceException p) {
                    throw p;
                }
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
