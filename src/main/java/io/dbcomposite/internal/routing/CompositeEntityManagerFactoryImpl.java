package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.apply.PendingChanges;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.internal.config.SettingsReader;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.Routing;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.internal.capture.ChangeCapture;
import io.dbcomposite.internal.apply.SyncRunner;
import io.dbcomposite.internal.remote.RemoteAvailability;
import jakarta.persistence.Cache;
import jakarta.persistence.EntityGraph;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceUnitTransactionType;
import jakarta.persistence.PersistenceUnitUtil;
import jakarta.persistence.Query;
import jakarta.persistence.SchemaManager;
import jakarta.persistence.SynchronizationType;
import jakarta.persistence.TypedQueryReference;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.metamodel.Metamodel;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The composite persistence unit: two SessionFactories built from the same entity classes, each on its
 * own pool, and the routing table over them.
 */
public final class CompositeEntityManagerFactoryImpl implements CompositeEntityManagerFactory {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");

    private final CompositeConfiguration config;
    private final SessionRegistry registry;
    /** Closes the pools this library opened for the two sides. */
    private final Runnable closePools;
    private final RemoteAvailability availability;
    private final SessionFactoryImplementor localFactory;
    private final SessionFactoryImplementor remoteFactory;
    private final RoutingTable routes;
    private final QueryRouter queries;
    private final ChangeCapture capture;
    private final SyncRunner engine;
    private final AutoCloseable job;
    private final Map<String, Object> properties;
    /** The container's transactions of a JTA unit, or null. */
    private final JtaTransactions jta;
    private volatile boolean open = true;

    /**
     * @param config the unit's configuration
     * @param hooks the routing hooks built into both factories, their table resolved
     * @param closePools closes the pools this library opened for the two sides (never a data source it was given)
     * @param availability what the unit knows of the remote
     * @param localFactory the local side
     * @param remoteFactory the remote side
     * @param capture the local side's change capture
     * @param engine the sync engine
     * @param job the background job, or null
     * @param properties the unit's properties without secrets
     * @param jta the container's transactions of a JTA unit, or null
     */
    public CompositeEntityManagerFactoryImpl(CompositeConfiguration config, RoutingHooks hooks, Runnable closePools,
                                             RemoteAvailability availability,
                                             SessionFactoryImplementor localFactory, SessionFactoryImplementor remoteFactory,
                                             ChangeCapture capture, SyncRunner engine, AutoCloseable job,
                                             Map<String, Object> properties, JtaTransactions jta) {
        this.jta = jta;
        this.foreignTransactions = jta == null ? JtaTransactions.available(remoteFactory) : null;
        this.config = config;
        this.registry = hooks.registry();
        this.closePools = closePools;
        this.availability = availability;
        this.localFactory = localFactory;
        this.remoteFactory = remoteFactory;
        this.routes = hooks.table();
        this.queries = new QueryRouter(localFactory, routes);
        this.capture = capture;
        this.engine = engine;
        this.job = job;
        this.properties = properties;
    }

    private static void closeQuietly(SessionFactory sf) {
        if (sf != null) {
            try {
                sf.close();
            } catch (RuntimeException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    private PendingChanges pendingChanges;

    /** @return the log's side of commits that write to the remote */
    synchronized PendingChanges pendingChanges() {
        if (pendingChanges == null) {
            pendingChanges = engine.pendingChanges();
        }
        return pendingChanges;
    }

    /** @return what the unit knows of the remote's availability */
    RemoteAvailability availability() {
        return availability;
    }

    RoutingTable routes() {
        return routes;
    }

    QueryRouter queries() {
        return queries;
    }

    /** @return the change capture of the local side */
    public ChangeCapture capture() {
        return capture;
    }

    SessionRegistry registry() {
        return registry;
    }

    /** @return the unit's configuration */
    public CompositeConfiguration configuration() {
        return config;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("Composite persistence unit '" + config.unitName() + "' is closed");
        }
    }

    @Override
    public CompositeEntityManager createEntityManager() {
        checkOpen();
        return new CompositeEntityManagerImpl(this, null);
    }

    @Override
    public EntityManager createEntityManager(Map<?, ?> map) {
        checkOpen();
        return new CompositeEntityManagerImpl(this, map);
    }

    @Override
    public EntityManager createEntityManager(SynchronizationType synchronizationType) {
        return createEntityManager(synchronizationType, null);
    }

    @Override
    public EntityManager createEntityManager(SynchronizationType synchronizationType, Map<?, ?> map) {
        checkOpen();
        if (jta == null) {
            throw new IllegalStateException("Persistence unit '" + config.unitName() + "' uses resource-local transactions;"
                    + " a SynchronizationType applies to JTA units only");
        }
        if (synchronizationType == null) {
            throw new IllegalArgumentException("The synchronization type of an entity manager of persistence unit '"
                    + config.unitName() + "' is null; valid values: SYNCHRONIZED, UNSYNCHRONIZED");
        }
        return new CompositeEntityManagerImpl(this, map, synchronizationType);
    }

    /**
     * A resource-local unit's view of JTA transactions (a container's, or a transaction manager on the class path), or
     * null: a resource-local transaction begun inside one is refused (it would commit apart from it).
     */
    private final JtaTransactions foreignTransactions;

    /** @return the JTA transactions a resource-local unit can see, or null */
    JtaTransactions foreignTransactions() {
        return foreignTransactions;
    }

    private final java.util.List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param step runs when the unit closes (an integration taking its meters away) */
    public void onClose(Runnable step) {
        onClose.add(step);
    }

    private final java.util.List<Runnable> afterClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param step runs once the unit is closed: job stopped, sides and own pools closed (an integration shutting down
     *        the executor or the data source it gave the unit)
     */
    public void afterClose(Runnable step) {
        afterClose.add(step);
    }

    /** The unit's management bean's name, or null. */
    private volatile javax.management.ObjectName managementName;

    /** @param name the name the unit's management bean is registered under (unregistered on close) */
    public void managementName(javax.management.ObjectName name) {
        this.managementName = name;
    }

    /** @return the container's transactions of a JTA unit, or null for a resource-local one */
    JtaTransactions jta() {
        return jta;
    }

    @Override
    public SessionFactory localFactory() {
        return localFactory;
    }

    @Override
    public SessionFactory remoteFactory() {
        return remoteFactory;
    }

    @Override
    public Routing routingOf(Class<?> entityType) {
        Routing r = routes.of(entityType);
        if (r == null) {
            throw new IllegalArgumentException(entityType.getName() + " is not an entity of persistence unit '"
                    + config.unitName() + "': valid entities are " + routes.entityNames());
        }
        return r;
    }

    @Override
    public Routing routingOf(String entityName) {
        Routing r = routes.of(entityName);
        if (r == null) {
            throw new IllegalArgumentException("'" + entityName + "' is not an entity of persistence unit '"
                    + config.unitName() + "': valid entities are " + routes.entityNames());
        }
        return r;
    }

    @Override
    public SyncResult sync() {
        checkOpen();
        // never inside the caller's JTA transaction: the replay's remote transactions are its own
        return jta == null ? engine.run(true) : jta.outside(() -> engine.run(true));
    }

    @Override
    public SyncStatus getSyncStatus() {
        checkOpen();
        return engine.status();
    }

    @Override
    public int retryDeadLetters() {
        checkOpen();
        return jta == null ? engine.retryDeadLetters() : jta.outside(() -> engine.retryDeadLetters());
    }

    @Override
    public int retry(long... changeIds) {
        checkOpen();
        return jta == null ? engine.retry(changeIds) : jta.outside(() -> engine.retry(changeIds));
    }

    @Override
    public int discard(long... changeIds) {
        checkOpen();
        return jta == null ? engine.discard(changeIds) : jta.outside(() -> engine.discard(changeIds));
    }

    @Override
    public CriteriaBuilder getCriteriaBuilder() {
        checkOpen();
        return localFactory.getCriteriaBuilder();
    }

    @Override
    public Metamodel getMetamodel() {
        checkOpen();
        return localFactory.getMetamodel();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        io.dbcomposite.internal.jmx.CompositeUnitMBeans.unregister(managementName);
        for (Runnable r : onClose) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "db-composite: a close step of unit '" + config.unitName() + "' failed", e);
            }
        }
        // each step runs whatever the one before did: a failure to stop the job leaks no thread, pool or factory
        try {
            engine.stop();
            if (job != null) {
                try {
                    job.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot stop the background sync job of unit '" + config.unitName() + "': "
                            + e.getMessage(), e);
                }
            }
        } finally {
            try {
                // a sync() running now finishes its batch in flight (and marks it) before the pools close under it
                java.time.Duration wait = config.remoteSocketTimeout().multipliedBy(2).compareTo(java.time.Duration.ofSeconds(30)) > 0
                        ? config.remoteSocketTimeout().multipliedBy(2) : java.time.Duration.ofSeconds(30);
                if (!engine.awaitIdle(wait)) {
                    LOG.log(System.Logger.Level.WARNING, "db-composite: a sync run of unit '" + config.unitName()
                            + "' did not end within " + wait + " of close(); it is cut short, and its changes stay PENDING"
                            + " for the next start");
                }
            } finally {
                try {
                    engine.close();
                    availability.close();
                } finally {
                    try {
                        closeQuietly(localFactory);
                        closeQuietly(remoteFactory);
                    } finally {
                        try {
                            closePools.run();
                        } finally {
                            for (Runnable r : afterClose) {
                                try {
                                    r.run();
                                } catch (RuntimeException e) {
                                    LOG.log(System.Logger.Level.WARNING, "db-composite: a close step of unit '"
                                            + config.unitName() + "' failed", e);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public String getName() {
        return config.unitName();
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }

    @Override
    public Cache getCache() {
        checkOpen();
        return localFactory.getCache();
    }

    @Override
    public PersistenceUnitUtil getPersistenceUnitUtil() {
        return localFactory.getPersistenceUnitUtil();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return jta != null ? PersistenceUnitTransactionType.JTA : PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public SchemaManager getSchemaManager() {
        checkOpen();
        return new CompositeSchemaManager(localFactory.getSchemaManager(), remoteFactory.getSchemaManager(), engine::logTablesReset);
    }

    @Override
    public void addNamedQuery(String name, Query query) {
        checkOpen();
        localFactory.addNamedQuery(name, query);
        remoteFactory.addNamedQuery(name, query);
    }

    @Override
    public <T> T unwrap(Class<T> cls) {
        if (cls.isInstance(this)) {
            return cls.cast(this);
        }
        return localFactory.unwrap(cls);
    }

    @Override
    public <T> void addNamedEntityGraph(String graphName, EntityGraph<T> entityGraph) {
        checkOpen();
        localFactory.addNamedEntityGraph(graphName, entityGraph);
    }

    @Override
    public <R> Map<String, TypedQueryReference<R>> getNamedQueries(Class<R> resultType) {
        return localFactory.getNamedQueries(resultType);
    }

    @Override
    public <E> Map<String, EntityGraph<? extends E>> getNamedEntityGraphs(Class<E> entityType) {
        return localFactory.getNamedEntityGraphs(entityType);
    }

    @Override
    public void runInTransaction(Consumer<EntityManager> work) {
        callInTransaction(em -> {
            work.accept(em);
            return null;
        });
    }

    @Override
    public <R> R callInTransaction(Function<EntityManager, R> work) {
        if (jta != null) {
            // the caller's JTA transaction, or one of its own: the entity manager joins it as it is created
            return jta.inTransaction(() -> {
                try (CompositeEntityManager em = createEntityManager()) {
                    return work.apply(em);
                }
            });
        }
        try (CompositeEntityManager em = createEntityManager()) {
            em.getTransaction().begin();
            try {
                R result = work.apply(em);
                em.getTransaction().commit();
                return result;
            } catch (RuntimeException | Error e) {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                throw e;
            }
        }
    }
}
