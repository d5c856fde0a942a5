package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeConfigurationException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform;
import org.hibernate.engine.transaction.jta.platform.spi.JtaPlatform;

/**
 * The container's transactions, as a JTA unit's entity managers see them: through the {@link JtaPlatform} the remote
 * side's Hibernate resolved (the same one its sessions join with), so the composite and the remote session agree on
 * which transaction is current.
 */
public final class JtaTransactions {

    private final JtaPlatform platform;
    private final TransactionManager manager;

    private JtaTransactions(JtaPlatform platform, TransactionManager manager) {
        this.platform = platform;
        this.manager = manager;
    }

    /**
     * @param remote the remote side, built with the JTA transaction coordinator
     * @param unitName for the error
     * @return the transactions of the platform the remote side found
     * @throws CompositeConfigurationException if there is no JTA platform, naming the setting
     */
    public static JtaTransactions of(SessionFactoryImplementor remote, String unitName) {
        JtaPlatform platform = remote.getServiceRegistry().requireService(JtaPlatform.class);
        return new JtaTransactions(platform, managerOf(platform, unitName));
    }

    /**
     * @param factory a side's factory
     * @return the transactions of the JTA platform Hibernate found for it (a container's, a transaction manager on the
     *     class path), or null if there is none
     */
    public static JtaTransactions available(SessionFactoryImplementor factory) {
        try {
            JtaPlatform platform = factory.getServiceRegistry().requireService(JtaPlatform.class);
            TransactionManager manager = platform instanceof NoJtaPlatform ? null : platform.retrieveTransactionManager();
            return manager == null ? null : new JtaTransactions(platform, manager);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @return the platform's transaction manager
     * @throws CompositeConfigurationException if there is none, naming the setting
     */
    public static TransactionManager managerOf(JtaPlatform platform, String unitName) {
        TransactionManager manager;
        try {
            manager = platform instanceof NoJtaPlatform ? null : platform.retrieveTransactionManager();
        } catch (RuntimeException e) {
            manager = null;
        }
        if (manager == null) {
            throw new CompositeConfigurationException("Persistence unit '" + unitName + "' is of transaction-type JTA, but no"
                    + " JTA transaction manager was found (platform: " + platform.getClass().getName() + "). Run it in a"
                    + " Jakarta EE container, or set 'hibernate.transaction.jta.platform' to the platform of your"
                    + " transaction manager (e.g. 'Narayana'"
                    + " for a standalone Narayana), or use transaction-type RESOURCE_LOCAL");
        }
        return manager;
    }

    /** @return the transaction of the calling thread if it is active (or marked for rollback), else null */
    Transaction current() {
        try {
            int status = manager.getStatus();
            if (status != Status.STATUS_ACTIVE && status != Status.STATUS_MARKED_ROLLBACK) {
                return null;
            }
            return manager.getTransaction();
        } catch (SystemException e) {
            throw new IllegalStateException("Cannot read the JTA transaction of this thread: " + e.getMessage(), e);
        }
    }

    /** @return true if the current transaction is marked for rollback */
    boolean markedRollback() {
        try {
            return manager.getStatus() == Status.STATUS_MARKED_ROLLBACK;
        } catch (SystemException e) {
            return true;
        }
    }

    /** Registers a synchronization with the current transaction, as the platform registers Hibernate's own. */
    void register(Synchronization synchronization) {
        platform.registerSynchronization(synchronization);
    }

    /** Marks the current transaction for rollback, if there is one. */
    void setRollbackOnly() {
        try {
            if (manager.getStatus() == Status.STATUS_ACTIVE) {
                manager.setRollbackOnly();
            }
        } catch (SystemException | IllegalStateException e) {
            // no transaction left to mark
        }
    }

    /**
     * Runs work outside the calling thread's transaction (suspended, then resumed): the sync engine's remote work is
     * its own, never the caller's.
     */
    <T> T outside(java.util.function.Supplier<T> work) {
        Transaction suspended;
        try {
            // only a running transaction: one completing (afterCompletion) enlists nothing more, and some transaction
            // managers refuse to resume a finished one
            int status = manager.getStatus();
            suspended = status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK ? manager.suspend() : null;
        } catch (SystemException e) {
            throw new IllegalStateException("Cannot suspend the JTA transaction of this thread: " + e.getMessage(), e);
        }
        try {
            return work.get();
        } finally {
            if (suspended != null) {
                try {
                    manager.resume(suspended);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot resume the JTA transaction of this thread: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Runs work in the calling thread's JTA transaction, or in a new one it commits (rolled back if the work throws), as
     * {@code EntityManagerFactory.callInTransaction} does for a JTA unit.
     */
    <T> T inTransaction(java.util.function.Supplier<T> work) {
        if (current() != null) {
            return work.get();
        }
        try {
            manager.begin();
        } catch (jakarta.transaction.NotSupportedException | SystemException e) {
            throw new jakarta.persistence.PersistenceException("Cannot begin a JTA transaction: " + e.getMessage(), e);
        }
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                manager.rollback();
            } catch (SystemException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        try {
            manager.commit();
        } catch (jakarta.transaction.RollbackException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof jakarta.persistence.PersistenceException p) {
                    throw p;
                }
            }
            throw new jakarta.persistence.RollbackException("The JTA transaction rolled back: " + e.getMessage(), e);
        } catch (jakarta.transaction.HeuristicMixedException | jakarta.transaction.HeuristicRollbackException
                 | SystemException e) {
            throw new jakarta.persistence.PersistenceException("The JTA transaction did not commit cleanly: " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * @return the data source, handing out connections taken outside the calling thread's JTA transaction: the applier
     *     lock's session-level lock lives on such a connection (on one enlisted in the caller's transaction, it would go
     *     back to the container's pool with the transaction, still holding the lock)
     */
    public javax.sql.DataSource outside(javax.sql.DataSource dataSource) {
        return new OutsideDataSource(dataSource);
    }

    private final class OutsideDataSource implements javax.sql.DataSource {
        private final javax.sql.DataSource delegate;

        OutsideDataSource(javax.sql.DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            return take(delegate::getConnection);
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            return take(() -> delegate.getConnection(user, password));
        }

        private java.sql.Connection take(Connect connect) throws java.sql.SQLException {
            java.sql.SQLException[] failure = new java.sql.SQLException[1];
            java.sql.Connection c = outside(() -> {
                try {
                    return connect.get();
                } catch (java.sql.SQLException e) {
                    failure[0] = e;
                    return null;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            // every later call on it runs outside the caller's transaction too: a pool that enlists connections refuses
            // one taken outside a transaction and used inside it
            return (java.sql.Connection) outsideProxy(c, java.sql.Connection.class);
        }

        private Object outsideProxy(Object target, Class<?> type) {
            return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                if (method.getName().equals("equals") && args != null && args.length == 1) {
                    return proxy == args[0];
                }
                if (method.getName().equals("hashCode") && (args == null || args.length == 0)) {
                    return System.identityHashCode(proxy);
                }
                Throwable[] failure = new Throwable[1];
                Object result = outside(() -> {
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        failure[0] = e.getCause();
                        return null;
                    } catch (IllegalAccessException e) {
                        failure[0] = e;
                        return null;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
                Class<?> returned = method.getReturnType();
                if (result != null && returned.isInterface() && (java.sql.Statement.class.isAssignableFrom(returned)
                        || java.sql.ResultSet.class.isAssignableFrom(returned))) {
                    return outsideProxy(result, returned);
                }
                return result;
            });
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws java.sql.SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws java.sql.SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws java.sql.SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws java.sql.SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
            return iface.isInstance(this) || delegate.isWrapperFor(iface);
        }
    }

    @FunctionalInterface
    private interface Connect {
        java.sql.Connection get() throws java.sql.SQLException;
    }

    /** @return the transaction manager */
    TransactionManager manager() {
        return manager;
    }
}
