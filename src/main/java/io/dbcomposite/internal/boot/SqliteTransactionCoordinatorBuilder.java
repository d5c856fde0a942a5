package io.dbcomposite.internal.boot;

import org.hibernate.HibernateException;
import org.hibernate.engine.jdbc.spi.JdbcCoordinator;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.generator.Generator;
import org.hibernate.id.enhanced.Optimizer;
import org.hibernate.id.enhanced.SequenceStyleGenerator;
import org.hibernate.id.enhanced.TableGenerator;
import org.hibernate.jdbc.WorkExecutor;
import org.hibernate.jdbc.WorkExecutorVisitable;
import org.hibernate.jpa.spi.JpaCompliance;
import org.hibernate.resource.jdbc.spi.PhysicalConnectionHandlingMode;
import org.hibernate.resource.transaction.backend.jdbc.internal.JdbcResourceLocalTransactionCoordinatorBuilderImpl;
import org.hibernate.resource.transaction.spi.DdlTransactionIsolator;
import org.hibernate.resource.transaction.spi.IsolationDelegate;
import org.hibernate.resource.transaction.spi.SynchronizationRegistry;
import org.hibernate.resource.transaction.spi.TransactionCoordinator;
import org.hibernate.resource.transaction.spi.TransactionCoordinatorBuilder;
import org.hibernate.resource.transaction.spi.TransactionCoordinatorOwner;
import org.hibernate.resource.transaction.spi.TransactionObserver;
import org.hibernate.resource.transaction.spi.TransactionStatus;
import org.hibernate.tool.schema.internal.exec.JdbcContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The local SQLite side's resource-local transactions, with one change: work Hibernate wants "isolated" from the
 * session's transaction (the table behind a {@code TABLE}, {@code SEQUENCE} or {@code AUTO} id, SQLite having no
 * sequences) runs on the session's own connection, inside its transaction.
 *
 * <p>Why: Hibernate runs that work on a second connection so the allocation commits on its own. On SQLite the
 * session's transaction already holds the database's one write lock (the pool begins every transaction
 * {@code IMMEDIATE}), so the second connection waits {@code busy_timeout} for a lock its own caller holds and fails
 * with {@code SQLITE_BUSY}. On the session's connection the allocation is serialized by that same write lock, so no
 * other transaction can read the same table value; only its durability changes: it commits or rolls back with the
 * caller.
 *
 * <p>A rolled-back allocation gives its values back to the table. Values never committed anywhere may be handed out
 * again, which is harmless; but a pooled optimizer (allocation size above 1) keeps the rolled-back block in memory and
 * would hand it out a second time once the table gives the same block again. So when a transaction that allocated
 * rolls back, the local factory's table-backed optimizers forget their blocks (before the rollback lets another writer
 * in, and again after a failed commit), and the next id reads the table.
 */
final class SqliteTransactionCoordinatorBuilder implements TransactionCoordinatorBuilder {

    private final TransactionCoordinatorBuilder standard = JdbcResourceLocalTransactionCoordinatorBuilderImpl.INSTANCE;
    /** The optimizers of the local factory's table-backed generators; set once the factory is built. */
    private volatile List<Optimizer> tableOptimizers = List.of();

    /** Collects the optimizers to reset after a rolled-back allocation from the built local factory. */
    void attach(SessionFactoryImplementor factory) {
        List<Optimizer> found = new ArrayList<>();
        factory.getMappingMetamodel().forEachEntityDescriptor(persister -> {
            Optimizer optimizer = tableOptimizerOf(persister.getGenerator());
            if (optimizer != null && !found.contains(optimizer)) {
                found.add(optimizer);
            }
        });
        tableOptimizers = List.copyOf(found);
    }

    private static Optimizer tableOptimizerOf(Generator generator) {
        if (generator instanceof SequenceStyleGenerator sequence && !sequence.getDatabaseStructure().isPhysicalSequence()) {
            return sequence.getOptimizer();
        }
        if (generator instanceof TableGenerator table) {
            return table.getOptimizer();
        }
        return null;
    }

    private void forgetAllocatedBlocks() {
        for (Optimizer optimizer : tableOptimizers) {
            optimizer.reset();
        }
    }

    @Override
    public TransactionCoordinator buildTransactionCoordinator(TransactionCoordinatorOwner owner, Options options) {
        TransactionCoordinator coordinator = standard.buildTransactionCoordinator(owner, options);
        if (!(owner instanceof JdbcCoordinator jdbc)) {
            return coordinator;
        }
        return new Coordinator(coordinator, jdbc);
    }

    @Override
    public boolean isJta() {
        return standard.isJta();
    }

    @Override
    public PhysicalConnectionHandlingMode getDefaultConnectionHandlingMode() {
        return standard.getDefaultConnectionHandlingMode();
    }

    @Override
    public DdlTransactionIsolator buildDdlTransactionIsolator(JdbcContext jdbcContext) {
        return standard.buildDdlTransactionIsolator(jdbcContext);
    }

    /** A session's coordinator: the standard one, isolated work on the session's connection. */
    private final class Coordinator implements TransactionCoordinator, TransactionObserver {

        private final TransactionCoordinator standardCoordinator;
        private final JdbcCoordinator jdbc;
        /** The current transaction has written to an id table (which its rollback undoes). */
        private volatile boolean allocated;

        Coordinator(TransactionCoordinator standardCoordinator, JdbcCoordinator jdbc) {
            this.standardCoordinator = standardCoordinator;
            this.jdbc = jdbc;
            standardCoordinator.addObserver(this);
        }

        @Override
        public IsolationDelegate createIsolationDelegate() {
            return new IsolationDelegate() {
                @Override
                public <T> T delegateWork(WorkExecutorVisitable<T> work, boolean transacted) throws HibernateException {
                    Connection connection = jdbc.getLogicalConnection().getPhysicalConnection();
                    try {
                        // outside a transaction the work's statements commit as they run, as on a connection of their own
                        if (!connection.getAutoCommit()) {
                            allocated = true;
                        }
                        return work.accept(new WorkExecutor<>(), connection);
                    } catch (SQLException e) {
                        throw jdbc.getJdbcSessionOwner().getSqlExceptionHelper().convert(e,
                                "Cannot allocate an id from its table in the local SQLite transaction");
                    }
                }

                @Override
                public <T> T delegateCallable(Callable<T> callable, boolean transacted) throws HibernateException {
                    return standardCoordinator.createIsolationDelegate().delegateCallable(callable, transacted);
                }
            };
        }

        @Override
        public TransactionDriver getTransactionDriverControl() {
            TransactionDriver driver = standardCoordinator.getTransactionDriverControl();
            return new TransactionDriver() {
                @Override
                public void begin() {
                    driver.begin();
                }

                @Override
                public void commit() {
                    driver.commit();
                }

                @Override
                public void rollback() {
                    // while this transaction still holds the write lock: no other writer can take a value of the
                    // forgotten block from memory after the table has given it back
                    if (allocated) {
                        forgetAllocatedBlocks();
                    }
                    driver.rollback();
                }

                @Override
                public TransactionStatus getStatus() {
                    return driver.getStatus();
                }

                @Override
                public void markRollbackOnly() {
                    driver.markRollbackOnly();
                }
            };
        }

        @Override
        public void afterBegin() {
            allocated = false;
        }

        @Override
        public void beforeCompletion() {
            // nothing to do before a commit
        }

        @Override
        public void afterCompletion(boolean successful, boolean delayed) {
            // a commit that failed rolled back too
            if (allocated && !successful) {
                forgetAllocatedBlocks();
            }
            allocated = false;
        }

        @Override
        public TransactionCoordinatorBuilder getTransactionCoordinatorBuilder() {
            return SqliteTransactionCoordinatorBuilder.this;
        }

        @Override
        public SynchronizationRegistry getLocalSynchronizations() {
            return standardCoordinator.getLocalSynchronizations();
        }

        @Override
        public JpaCompliance getJpaCompliance() {
            return standardCoordinator.getJpaCompliance();
        }

        @Override
        public void explicitJoin() {
            standardCoordinator.explicitJoin();
        }

        @Override
        public boolean isJoined() {
            return standardCoordinator.isJoined();
        }

        @Override
        public void pulse() {
            standardCoordinator.pulse();
        }

        @Override
        public boolean isActive() {
            return standardCoordinator.isActive();
        }

        @Override
        public void addObserver(TransactionObserver observer) {
            standardCoordinator.addObserver(observer);
        }

        @Override
        public void removeObserver(TransactionObserver observer) {
            standardCoordinator.removeObserver(observer);
        }

        @Override
        public void setTimeOut(int seconds) {
            standardCoordinator.setTimeOut(seconds);
        }

        @Override
        public int getTimeOut() {
            return standardCoordinator.getTimeOut();
        }

        @Override
        public void invalidate() {
            standardCoordinator.invalidate();
        }
    }
}
