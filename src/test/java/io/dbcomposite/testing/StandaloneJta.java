package io.dbcomposite.testing;

import com.arjuna.ats.arjuna.common.CoordinatorEnvironmentBean;
import com.arjuna.ats.arjuna.common.CoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.jta.common.JTAEnvironmentBean;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Jakarta Transactions without an application server, for tests: Narayana's transaction manager (its object store in a
 * temp folder) and Agroal pools that enlist their connections in its transactions, as a container's transactional data
 * source does (one non-XA resource commits in one phase, as a server's last resource).
 */
public final class StandaloneJta {

    private static TransactionManager manager;
    private static TransactionSynchronizationRegistry registry;

    private StandaloneJta() {
    }

    /** @return Narayana's transaction manager, configured on first use */
    public static synchronized TransactionManager manager() {
        if (manager == null) {
            Path store;
            try {
                store = Files.createTempDirectory("dbcomposite-jta-store");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                BeanPopulator.getDefaultInstance(CoreEnvironmentBean.class).setNodeIdentifier("dbcomposite-test");
            } catch (com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException e) {
                throw new IllegalStateException(e);
            }
            BeanPopulator.getDefaultInstance(JTAEnvironmentBean.class).setXaRecoveryNodes(List.of("dbcomposite-test"));
            BeanPopulator.getDefaultInstance(JTAEnvironmentBean.class)
                    .setLastResourceOptimisationInterfaceClassName("org.jboss.tm.LastResource");
            BeanPopulator.getDefaultInstance(CoordinatorEnvironmentBean.class).setTransactionStatusManagerEnable(false);
            BeanPopulator.getDefaultInstance(CoordinatorEnvironmentBean.class).setDefaultTimeout(60);
            for (String name : new String[] {null, "communicationStore", "stateStore"}) {
                BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name).setObjectStoreDir(store.toString());
            }
            manager = com.arjuna.ats.jta.TransactionManager.transactionManager();
            registry = new com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple();
        }
        return manager;
    }

    /** @return the synchronization registry of {@link #manager()} */
    public static synchronized TransactionSynchronizationRegistry registry() {
        manager();
        return registry;
    }

    /**
     * @return a pool whose connections, taken inside a transaction of {@link #manager()}, are enlisted in it (the same
     *     connection for the whole transaction), and plain pooled connections outside one
     */
    public static AgroalDataSource dataSource(String url, String user, String password) {
        return dataSource(url, user, password, org.postgresql.Driver.class);
    }

    /**
     * @return a pool of XA connections ({@code PGXADataSource}) enlisted in the transactions of {@link #manager()}: a
     *     transaction whose only resource it is commits in one phase (no PREPARE, so PostgreSQL's default
     *     {@code max_prepared_transactions = 0} does)
     */
    public static AgroalDataSource xaDataSource(String url, String user, String password) {
        return dataSource(url, user, password, org.postgresql.xa.PGXADataSource.class);
    }

    private static AgroalDataSource dataSource(String url, String user, String password, Class<?> provider) {
        TransactionManager tm = manager();
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .minSize(0)
                            .maxSize(8)
                            .acquisitionTimeout(Duration.ofSeconds(10))
                            // as a container's data source validates on checkout: after an outage, a pooled connection
                            // it broke is never handed out (and enlisted) again
                            .validateOnBorrow(true)
                            .connectionValidator(io.agroal.api.configuration.AgroalConnectionPoolConfiguration
                                    .ConnectionValidator.defaultValidatorWithTimeout(2))
                            .transactionIntegration(new NarayanaTransactionIntegration(tm, registry()))
                            .connectionFactoryConfiguration(factory -> {
                                factory.jdbcUrl(url).connectionProviderClass(provider);
                                if (user != null) {
                                    factory.principal(new NamePrincipal(user));
                                }
                                if (password != null) {
                                    factory.credential(new SimplePassword(password));
                                }
                                return factory;
                            })));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open the enlisting pool: " + e.getMessage(), e);
        }
    }

    /** Runs work in a new JTA transaction and commits it (or rolls it back and rethrows). */
    public static <T> T inTransaction(Callable<T> work) throws Exception {
        TransactionManager tm = manager();
        tm.begin();
        T result;
        try {
            result = work.call();
        } catch (Exception | Error e) {
            tm.rollback();
            throw e;
        }
        tm.commit();
        return result;
    }

    /** Runs work in a new JTA transaction and rolls it back. */
    public static void inRolledBackTransaction(Runnable work) throws Exception {
        TransactionManager tm = manager();
        tm.begin();
        try {
            work.run();
        } finally {
            tm.rollback();
        }
    }
}
