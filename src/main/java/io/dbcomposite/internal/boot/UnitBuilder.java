package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeException;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.internal.capture.CaptureIntegrator;
import io.dbcomposite.internal.capture.ChangeCapture;
import io.dbcomposite.internal.capture.StoredValues;
import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.internal.config.SettingsReader;
import io.dbcomposite.internal.log.SyncLogRepository;
import io.dbcomposite.internal.remote.GuardedDataSource;
import io.dbcomposite.internal.remote.RemoteAvailability;
import io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl;
import io.dbcomposite.internal.routing.JtaTransactions;
import io.dbcomposite.internal.routing.RoutingHooks;
import io.dbcomposite.internal.routing.RoutingTable;
import io.dbcomposite.internal.sync.SyncEngine;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wires one composite unit, in the order the parts need each other: the pools (the remote one may be down), the two
 * SessionFactories with their listeners, the routing table resolved from the local metamodel, the sync engine, the
 * background job, then the unit. On any failure, everything opened so far is closed again.
 */
public final class UnitBuilder {

    /** While the remote is down, a probe thread tries it this often (each try waits at most the connect timeout). */
    private static final Duration PROBE_EVERY = Duration.ofMillis(500);

    private UnitBuilder() {
    }

    /**
     * @param config the validated configuration
     * @param properties the unit's properties, as {@code getProperties()} reports them (secrets are left out there)
     * @return the open unit
     */
    public static CompositeEntityManagerFactoryImpl build(CompositeConfiguration config, Map<String, Object> properties) {
        return build(config, properties, null);
    }

    /**
     * @param config the validated configuration
     * @param properties the unit's properties, as {@code getProperties()} reports them (secrets are left out there)
     * @param resolver decides per conflict before the entity's policy, or null
     * @return the open unit
     */
    public static CompositeEntityManagerFactoryImpl build(CompositeConfiguration config, Map<String, Object> properties,
                                                          io.dbcomposite.ConflictResolver resolver) {
        return build(config, properties, resolver, List.of());
    }

    /**
     * @param config the validated configuration
     * @param properties the unit's properties, as {@code getProperties()} reports them (secrets are left out there)
     * @param resolver decides per conflict before the entity's policy, or null
     * @param listeners hear what the sync engine does, in this order
     * @return the open unit
     */
    public static CompositeEntityManagerFactoryImpl build(CompositeConfiguration config, Map<String, Object> properties,
                                                          io.dbcomposite.ConflictResolver resolver,
                                                          List<io.dbcomposite.SyncListener> listeners) {
        io.dbcomposite.internal.sync.SyncListeners told = io.dbcomposite.internal.sync.SyncListeners.of(listeners);
        RoutingHooks hooks = new RoutingHooks();
        ChangeCapture capture = null;
        DataSource localDs = null;
        DataSource remotePool = null;
        SessionFactory localSf = null;
        SessionFactory remoteSf = null;
        RemoteAvailability availability = null;
        SyncEngine engine = null;
        AutoCloseable job = null;
        LocalCheckpoints checkpoints = null;
        HibernateVersion.check(HibernateVersion.found());
        RoutingTable.precheck(config);
        try {
            // only where this library's coordinator counts the local commits (an application's own coordinator wins)
            boolean backgroundCheckpoints = config.localCheckpointsInBackground() && DataSources.ownsSqliteFile(config.local())
                    && !config.localHibernate().containsKey(org.hibernate.cfg.AvailableSettings.TRANSACTION_COORDINATOR_STRATEGY);
            localDs = DataSources.open(config.local(), config.unitName(), backgroundCheckpoints);
            SyncLogRepository log = new SyncLogRepository(localDs);
            // one per unit: what it learns about the local database holds for this unit's local side only
            StoredValues storedValues = new StoredValues();
            capture = new ChangeCapture(config.clock(), log, storedValues);
            remotePool = DataSources.openRemote(config.remote(), config.unitName(), config.remoteConnectTimeout(),
                    config.remoteSocketTimeout());
            Exception down = DataSources.probe(remotePool, config.remoteConnectTimeout());
            if (down != null && config.remoteRequiredAtStart()) {
                throw DataSources.unreachableAtStart(config.remote(), down);
            }
            Duration probeEvery = config.remoteConnectTimeout().compareTo(PROBE_EVERY) < 0 ? config.remoteConnectTimeout() : PROBE_EVERY;
            availability = new RemoteAvailability(config.unitName(), config.remote().describe(), probeEvery, config.clock());
            if (!told.isEmpty()) {
                availability.syncListener(told);
            }
            GuardedDataSource remoteDs = new GuardedDataSource(remotePool, availability);
            availability.probe(() -> {
                remoteDs.getConnection().close();
                return null;
            });
            localSf = SideFactoryBuilder.build(config, config.local(), localDs, config.localHibernate(), List.of(SyncLogEntity.class),
                    List.of(hooks.localIntegrator(storedValues, capture.columnDefaults()), new CaptureIntegrator(capture)));
            log.prepare(config.unitName()); // the log's indexes, after the local schema management made its table
            SqliteTransactionCoordinatorBuilder localTransactions = SqliteTransactionCoordinatorBuilder.of((SessionFactoryImplementor) localSf);
            if (backgroundCheckpoints && localTransactions != null) {
                checkpoints = LocalCheckpoints.start(localDs, config.unitName());
                if (checkpoints != null) {
                    localTransactions.afterEachCommit(checkpoints::committed);
                }
            }
            SideFactoryBuilder.Built remote = SideFactoryBuilder.build(config, config.remote(), remoteDs, config.remoteHibernate(),
                    List.of(), List.of(hooks.remoteIntegrator(capture.columnDefaults())), down != null);
            remoteSf = remote.factory();
            // the library's own writes on either side keep the generated values the source row holds
            io.dbcomposite.internal.apply.RowApplier.keepGeneratedValues((SessionFactoryImplementor) localSf);
            io.dbcomposite.internal.apply.RowApplier.keepGeneratedValues((SessionFactoryImplementor) remoteSf);
            JtaTransactions jta = config.jta() ? JtaTransactions.of((SessionFactoryImplementor) remoteSf, config.unitName()) : null;
            availability.listener(new DeferredRemoteWork(remotePool, remote.deferredSchema(), config));
            if (down != null) {
                availability.startDown(down);
            }
            RoutingTable routes = hooks.resolve(config, localSf);
            capture.modes(routes::captureOf);
            // MySQL and MariaDB refuse NaN, the infinities and floats past their FLOAT range: held locally like lengths
            capture.limits().floatLimits(((org.hibernate.engine.spi.SessionFactoryImplementor) remoteSf).getJdbcServices()
                    .getDialect() instanceof org.hibernate.dialect.MySQLDialect);
            capture.limits().textWithoutNul(((org.hibernate.engine.spi.SessionFactoryImplementor) remoteSf).getJdbcServices()
                    .getDialect() instanceof org.hibernate.dialect.PostgreSQLDialect);
            if (((SessionFactoryImplementor) remoteSf).getJdbcServices().getDialect() instanceof org.hibernate.dialect.MySQLDialect) {
                // MySQL and MariaDB size a LOB column by its mapped length (tinytext, text, mediumtext, longtext)
                capture.limits().lobCapacities(((SessionFactoryImplementor) remoteSf).getTypeConfiguration().getDdlTypeRegistry());
            }
            capture.limits().reachesRemote(routes::reachesRemote);
            SessionFactoryImplementor remoteFactory = (SessionFactoryImplementor) remoteSf;
            engine = new SyncEngine(config.unitName(), log, remoteFactory, jta == null ? remoteDs : jta.outside(remoteDs), availability,
                    config.local().storeIdentity(), remoteFactory.getJdbcServices().getDialect(), config.sync(), config.clock(),
                    routes.remoteOnlyEntities(), new SyncEngine.Conflicts(routes::onConflictOf, resolver,
                            (SessionFactoryImplementor) localSf, capture));
            engine.listeners(told);
            SyncEngine runner = engine;
            SyncJobs.Job started = config.sync().enabled() ? SyncJobs.start(config, () -> runner.run(false)) : null;
            if (started != null && config.sync().afterCommit() != null) {
                RemoteAvailability known = availability;
                // no wake-up while the remote is known to be down: the runs would end at once; the interval resumes it
                capture.onCommitted(() -> {
                    if (known.isAvailable()) {
                        started.nudge();
                    }
                });
                // a run that found another applier of this JVM at work (a sync(), a commit taking changes along) asks again
                // once that one lets go, else the commits behind it would wait for the interval
                engine.whenRunMissed(started::nudge);
            }
            job = started;
            DataSource local = localDs;
            DataSource pool = remotePool;
            LocalCheckpoints localCheckpoints = checkpoints;
            CompositeEntityManagerFactoryImpl unit = new CompositeEntityManagerFactoryImpl(config, hooks, () -> {
                if (localCheckpoints != null) {
                    localCheckpoints.close();
                }
                DataSources.close(local);
                DataSources.close(pool);
            }, availability, (SessionFactoryImplementor) localSf, remoteFactory, capture, engine, job,
                    SettingsReader.visibleProperties(properties), jta);
            unit.managementName(io.dbcomposite.internal.jmx.CompositeUnitMBeans.register(unit, config.unitName(), config.clock()));
            return unit;
        } catch (RuntimeException | Error e) {
            // an Error too (a class missing from the application, such as a dependency of another Hibernate ORM version):
            // nothing opened so far may outlive the failed start
            if (job != null) {
                try {
                    job.close();
                } catch (Exception ignored) {
                    // already failing; the first error is the one to report
                }
            }
            if (engine != null) {
                engine.close();
            }
            if (availability != null) {
                availability.close();
            }
            if (checkpoints != null) {
                checkpoints.close();
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

    private static void closeQuietly(SessionFactory sf) {
        if (sf != null) {
            try {
                sf.close();
            } catch (RuntimeException ignored) {
                // already failing; the first error is the one to report
            }
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
                    throw new CompositeException("Remote schema management of persistence unit '" + config.unitName()
                            + "' failed when the remote first answered; nothing is replayed until it succeeds: "
                            + Failures.rootMessage(e) + SideFactoryBuilder.schemaHint(e), e);
                }
                schema = null;
            }
        }
    }
}
