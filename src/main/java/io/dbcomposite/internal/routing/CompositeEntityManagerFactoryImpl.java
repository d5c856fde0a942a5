package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.Routing;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.internal.boot.CompositeConfiguration;
import io.dbcomposite.internal.boot.DataSources;
import io.dbcomposite.internal.boot.SideFactoryBuilder;
import io.dbcomposite.internal.capture.CaptureIntegrator;
import io.dbcomposite.internal.capture.CaptureMode;
import io.dbcomposite.internal.capture.ChangeCapture;
import io.dbcomposite.internal.remote.GuardedDataSource;
import io.dbcomposite.internal.remote.RemoteAvailability;
import io.dbcomposite.internal.sync.SyncEngine;
import io.dbcomposite.quartz.QuartzSyncScheduler;
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

    private final CompositeConfiguration config;
    private final SessionRegistry registry;
    private final DataSource localDataSource;
    private final DataSource remoteDataSource;
    private final GuardedDataSource remoteGuarded;
    private final RemoteAvailability availability;
    private final SessionFactoryImplementor localFactory;
    private final SessionFactoryImplementor remoteFactory;
    private final RoutingTable routes;
    private final QueryRouter queries;
    private final ChangeCapture capture;
    private final SyncEngine engine;
    private QuartzSyncScheduler job;
    private final Map<String, Object> properties;
    private volatile boolean open = true;

    private CompositeEntityManagerFactoryImpl(CompositeConfiguration config, SessionRegistry registry,
                                              DataSource localDataSource, DataSource remoteDataSource,
                                              GuardedDataSource remoteGuarded, RemoteAvailability availability,
                                              SessionFactoryImplementor localFactory, SessionFactoryImplementor remoteFactory,
                                              RoutingTable routes, ChangeCapture capture, Map<String, Object> properties) {
        this.config = config;
        this.registry = registry;
        this.localDataSource = localDataSource;
        this.remoteDataSource = remoteDataSource;
        this.remoteGuarded = remoteGuarded;
        this.availability = availability;
        this.localFactory = localFactory;
        this.remoteFactory = remoteFactory;
        this.routes = routes;
        this.queries = new QueryRouter(localFactory, routes);
        this.capture = capture;
        this.engine = new SyncEngine(config.unitName(), localDataSource, remoteFactory, remoteGuarded, availability,
                config.local().storeIdentity(), remoteFactory.getJdbcServices().getDialect(), config.sync(), config.clock(),
                routes.remoteOnlyEntities());
        this.properties = properties;
    }

    /**
     * Opens both pools, builds both SessionFactories and resolves the routing table. On any failure,
     * everything opened so far is closed again.
     *
     * @param config the validated configuration
     * @param properties the unit's properties, as {@link #getProperties()} reports them
     * @return the open unit
     */
    public static CompositeEntityManagerFactoryImpl create(CompositeConfiguration config, Map<String, Object> properties) {
        SessionRegistry registry = new SessionRegistry();
        ChangeCapture capture = new ChangeCapture(config.clock());
        RoutingTable[] table = new RoutingTable[1];
        DataSource localDs = null;
        DataSource remotePool = null;
        SessionFactory localSf = null;
        SessionFactory remoteSf = null;
        RemoteAvailability[] availabilityHolder = new RemoteAvailability[1];
        RoutingTable.precheck(config);
        try {
            localDs = DataSources.open(config.local(), config.unitName());
            remotePool = DataSources.openRemote(config.remote(), config.unitName(), config.remoteConnectTimeout(),
                    config.remoteSocketTimeout());
            Exception down = DataSources.probe(remotePool, config.remoteConnectTimeout());
            if (down != null && config.remoteRequiredAtStart()) {
                throw DataSources.unreachableAtStart(config.remote(), down);
            }
            // while the remote is down, a probe thread tries it twice a second (each try waits at most the connect timeout)
            java.time.Duration probeEvery = config.remoteConnectTimeout().compareTo(java.time.Duration.ofMillis(500)) < 0
                    ? config.remoteConnectTimeout() : java.time.Duration.ofMillis(500);
            RemoteAvailability availability = new RemoteAvailability(config.unitName(), config.remote().describe(), probeEvery,
                    config.clock());
            availabilityHolder[0] = availability;
            GuardedDataSource remoteDs = new GuardedDataSource(remotePool, availability);
            availability.probe(() -> {
                remoteDs.getConnection().close();
                return null;
            });
            localSf = SideFactoryBuilder.build(config, config.local(), localDs, config.localHibernate(), List.of(SyncLogEntity.class),
                    List.of(new MirrorIntegrator(Side.LOCAL, registry, () -> table[0]), new CaptureIntegrator(capture)));
            SideFactoryBuilder.Built remote = SideFactoryBuilder.build(config, config.remote(), remoteDs, config.remoteHibernate(),
                    List.of(), List.of(new MirrorIntegrator(Side.REMOTE, registry, () -> table[0])), down != null);
            remoteSf = remote.factory();
            DataSource pool = remotePool;
            availability.listener(new DeferredRemoteWork(pool, remote.deferredSchema(), config));
            if (down != null) {
                availability.startDown(down);
            }
            table[0] = RoutingTable.resolve(config, localSf);
            RoutingTable routes = table[0];
            capture.modes(routes::captureOf);
            CompositeEntityManagerFactoryImpl emf = new CompositeEntityManagerFactoryImpl(config, registry, localDs, remotePool,
                    remoteDs, availability, (SessionFactoryImplementor) localSf, (SessionFactoryImplementor) remoteSf, table[0],
                    capture, io.dbcomposite.internal.boot.SettingsReader.visibleProperties(properties));
            if (config.sync().enabled()) {
                emf.job = QuartzSyncScheduler.start(config.unitName(), emf.engine, config.sync().interval(), config.quartz());
            }
            return emf;
        } catch (RuntimeException e) {
            if (availabilityHolder[0] != null) {
                availabilityHolder[0].close();
            }
            closeQuietly(localSf);
            closeQuietly(remoteSf);
            if (localDs != null) {
                DataSources.close(localDs);
            }
            if (remotePool != null) {
                DataSources.close(remotePool);
            }
            throw e;
        }
    }

    /** What waits for the remote: the pooled connections an outage broke are retired, deferred schema management runs once. */
    private static final class DeferredRemoteWork implements RemoteAvailability.Listener {
        private final DataSource pool;
        private final CompositeConfiguration config;
        private Runnable schema;

        DeferredRemoteWork(DataSource pool, Runnable schema, CompositeConfiguration config) {
            this.pool = pool;
            this.schema = schema;
            this.config = config;
        }

        @Override
        public void outage() {
            DataSources.evictPooled(pool);
        }

        @Override
        public synchronized void recovered() {
            DataSources.evictPooled(pool);
            if (schema != null) {
                try {
                    schema.run();
                } catch (RuntimeException e) {
                    throw new io.dbcomposite.CompositeException("Remote schema management of persistence unit '"
                            + config.unitName() + "' failed when the remote first answered; nothing is replayed until it"
                            + " succeeds: " + io.dbcomposite.internal.boot.Failures.rootMessage(e), e);
                }
                schema = null;
            }
        }
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
        throw new IllegalStateException("Persistence unit '" + config.unitName() + "' uses resource-local transactions;"
                + " a SynchronizationType applies to JTA units only");
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
        return engine.run(true);
    }

    @Override
    public SyncStatus getSyncStatus() {
        checkOpen();
        return engine.status();
    }

    @Override
    public int retryDeadLetters() {
        checkOpen();
        return engine.retryDeadLetters();
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
        engine.stop();
        if (job != null) {
            job.close();
        }
        engine.close();
        availability.close();
        closeQuietly(localFactory);
        closeQuietly(remoteFactory);
        DataSources.close(localDataSource);
        DataSources.close(remoteDataSource);
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
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public SchemaManager getSchemaManager() {
        checkOpen();
        return new CompositeSchemaManager(localFactory.getSchemaManager(), remoteFactory.getSchemaManager());
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
