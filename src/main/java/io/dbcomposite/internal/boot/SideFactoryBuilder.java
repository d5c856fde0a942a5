package io.dbcomposite.internal.boot;

import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.internal.config.ConnectionSpec;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.internal.routing.RoutingTable;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.BootstrapServiceRegistry;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.boot.spi.MetadataBuilderImplementor;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.jpa.internal.JpaEntityNotFoundDelegate;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the SessionFactory of one side from the unit's entity classes: its own dialect, its own pool,
 * its own integrators (capture lives on the local side only) and the standard schema management settings. Both are
 * built as Jakarta Persistence units (not native Hibernate ones), so the sessions behave as a plain Hibernate
 * {@code EntityManager} does.
 */
public final class SideFactoryBuilder {

    private SideFactoryBuilder() {
    }

    /**
     * A built side, and what of its schema management waits for the database.
     *
     * @param factory the side's SessionFactory
     * @param deferredSchema runs the schema management left out of the build (the database was down), or null
     */
    public record Built(SessionFactory factory, Runnable deferredSchema) {
    }

    public static SessionFactory build(CompositeConfiguration config, ConnectionSpec spec, DataSource dataSource,
                                Map<String, Object> hibernateSettings, List<Class<?>> extraClasses,
                                List<Integrator> integrators) {
        return build(config, spec, dataSource, hibernateSettings, extraClasses, integrators, false).factory();
    }

    /**
     * @param offline true if the database cannot be reached now: the factory is built without touching it (the
     *        dialect comes from the settings or the URL) and schema management is left for {@link Built#deferredSchema()}
     */
    /**
     * The MariaDB version a remote side started while MariaDB is down is built for, unless the unit names one
     * ({@code jakarta.persistence.database-product-version} or {@code -major-version}): the oldest maintained series.
     */
    static final String OFFLINE_MARIADB_VERSION = "10.11";

    public static Built build(CompositeConfiguration config, ConnectionSpec spec, DataSource dataSource,
                              Map<String, Object> hibernateSettings, List<Class<?>> extraClasses,
                              List<Integrator> integrators, boolean offline) {
        BootstrapServiceRegistryBuilder bootstrap = new BootstrapServiceRegistryBuilder();
        if (config.classLoader() != null) {
            bootstrap.applyClassLoader(config.classLoader());
        }
        integrators.forEach(bootstrap::applyIntegrator);
        BootstrapServiceRegistry bootstrapRegistry = bootstrap.build();

        Map<String, Object> settings = new LinkedHashMap<>();
        SqliteTransactionCoordinatorBuilder sqliteTransactions = null;
        if (spec.isSqlite() || (!offline && isSqlite(dataSource))) {
            settings.put(AvailableSettings.DIALECT, spec == config.local() ? LocalSqliteDialect.class.getName()
                    : "org.hibernate.community.dialect.SQLiteDialect");
            // the SQLite dialect types an IDENTITY id "integer" only if no earlier column already says
            // "integer"; the default column ordering can put such a column first and leave the id untyped
            // (not a rowid alias, so it stays NULL). The legacy order keeps the id first.
            settings.put("hibernate.column_ordering_strategy", "legacy");
            // table-backed ids (TABLE, SEQUENCE, AUTO) are allocated in the caller's transaction, not on a second
            // connection that would wait for the write lock the caller holds; a coordinator the application sets wins
            sqliteTransactions = new SqliteTransactionCoordinatorBuilder();
            settings.put(AvailableSettings.TRANSACTION_COORDINATOR_STRATEGY, sqliteTransactions);
            // Hibernate's data-source provider, which gives the pool a connection back in its own transaction mode (a
            // commit begins sqlite-jdbc's follow-up transaction DEFERRED); a provider the application sets wins, and
            // then no commit defers anything
            settings.put(AvailableSettings.CONNECTION_PROVIDER, new SqliteConnectionProvider(sqliteTransactions));
            // the driver has no getBlob/getClob: LOBs are bound and read as bytes and strings (see SqliteLobTypes);
            // the application's settings, put after this, can turn it off
            settings.put(SqliteLobTypes.SETTING, "true");
            // decimals kept with every digit and the column's scale, timestamps with microseconds (see SqliteExactTypes)
            settings.put(SqliteExactTypes.SETTING, "true");
        }
        settings.put(AvailableSettings.JDBC_TIME_ZONE, "UTC");
        // Hibernate ORM 7.2 only: values kept and bound as 7.4 keeps and binds them (see Hibernate72Types)
        settings.put(Hibernate72Types.SETTING, "true");
        // a timestamp Calendar written in the zone it is read back in, keeping its instant (see CalendarInstants)
        settings.put(CalendarInstants.SETTING, "true");
        if ("local".equals(spec.side())) {
            // an OffsetDateTime or a ZonedDateTime is kept as its instant at UTC, as a PostgreSQL, MariaDB or MySQL remote
            // keeps it: a local database that can keep the offset (H2) would otherwise read back another value than the
            // remote. The application's settings, put after this, can set another storage.
            settings.put(AvailableSettings.TIMEZONE_DEFAULT_STORAGE, "NORMALIZE_UTC");
        }
        settings.put(AvailableSettings.PERSISTENCE_UNIT_NAME, config.unitName() + "-" + spec.side());
        // a table the local side creates and the remote cannot (a column named like a keyword of the remote database)
        // would let a write commit locally and fail on the remote for ever: remote schema management that fails stops
        // the unit, naming the statement, unless the application says otherwise. The local side keeps Hibernate's
        // default: a local table that is missing fails the caller's own write at once, and SQLite refuses statements
        // that change nothing there (Hibernate's "comment on column" of a @SoftDelete indicator or a @Comment)
        if ("remote".equals(spec.side())) {
            settings.put(AvailableSettings.HBM2DDL_HALT_ON_ERROR, "true");
            // a MariaDB remote damages text LOBs sent as streams (see SqliteLobTypes): they go as strings
            settings.put(SqliteLobTypes.MYSQL_STRING_CLOBS, "true");
        }
        settings.putAll(hibernateSettings);
        if (config.jta() && "remote".equals(spec.side()) && !settings.containsKey(JTA_PLATFORM)
                && appServerTransactionManager()) {
            // an application server's transaction manager, which Hibernate bundled in the application cannot find by
            // its classes (a server's own Hibernate is handed its platform by the server)
            settings.put(JTA_PLATFORM, "JBossAS");
        }
        if (spec == config.local() && SQLITE_DIALECT.equals(nameOf(settings.get(AvailableSettings.DIALECT)))) {
            // the community dialect named by the application: the local side's version of it declares the keys
            settings.put(AvailableSettings.DIALECT, LocalSqliteDialect.class.getName());
        }
        if (spec != config.local() && !settings.containsKey(AvailableSettings.SCHEMA_MANAGEMENT_TOOL)) {
            // hbm2ddl=update leaves a column the remote's owner widened as it is
            settings.put(AvailableSettings.SCHEMA_MANAGEMENT_TOOL, new KeepWidenedColumnsTool());
        }
        settings.put(AvailableSettings.DATASOURCE, dataSource);
        Map<String, Object> schemaSettings = new LinkedHashMap<>();
        if (offline) {
            settings.keySet().removeIf(k -> {
                if (isSchemaManagement(k)) {
                    schemaSettings.put(k, settings.get(k));
                    return true;
                }
                return false;
            });
            settings.put("hibernate.boot.allow_jdbc_metadata_access", "false");
            if (!settings.containsKey(AvailableSettings.DIALECT) && !settings.containsKey(AvailableSettings.JAKARTA_HBM2DDL_DB_NAME)) {
                String dialect = dialectOf(spec.url());
                if (dialect == null) {
                    throw new CompositeConfigurationException("The " + spec.side() + " database " + spec.describe()
                            + " of persistence unit '" + config.unitName() + "' cannot be reached and its dialect cannot be"
                            + " told from " + (spec.url() == null ? "a DataSource" : "its URL") + ": set 'hibernate.dialect'"
                            + " (or 'dbcomposite.remote.hibernate.dialect') so the unit can start while it is down, or"
                            + " make it reachable");
                }
                settings.put(AvailableSettings.DIALECT, dialect);
            }
            Object named = settings.get(AvailableSettings.DIALECT);
            String dialectName = named instanceof Class<?> type ? type.getName() : named instanceof String text ? text.trim()
                    : named == null ? null : named.getClass().getName();
            if ("org.hibernate.dialect.MariaDBDialect".equals(dialectName)
                    && !settings.containsKey(AvailableSettings.JAKARTA_HBM2DDL_DB_VERSION)
                    && !settings.containsKey(AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION)) {
                // without a server to ask, Hibernate's MariaDB dialect assumes its oldest version (10.6) and creates
                // UUIDs as binary(16), where a unit started with the server up (10.7 and later) creates and binds
                // MariaDB's uuid type: both must map the same tables alike. The oldest maintained series is assumed
                settings.put(AvailableSettings.JAKARTA_HBM2DDL_DB_NAME, "MariaDB");
                settings.put(AvailableSettings.JAKARTA_HBM2DDL_DB_VERSION, OFFLINE_MARIADB_VERSION);
                settings.put(AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION, OFFLINE_MARIADB_VERSION.split("\\.")[0]);
                settings.put(AvailableSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION, OFFLINE_MARIADB_VERSION.split("\\.")[1]);
            }
        }

        StandardServiceRegistry registry = new StandardServiceRegistryBuilder(bootstrapRegistry).applySettings(settings).build();
        if (config.jta() && "remote".equals(spec.side())) {
            try {
                // before anything touches the database: without a transaction manager nothing else can work
                io.dbcomposite.internal.routing.JtaTransactions.managerOf(registry.requireService(
                        org.hibernate.engine.transaction.jta.platform.spi.JtaPlatform.class), config.unitName());
            } catch (RuntimeException e) {
                StandardServiceRegistryBuilder.destroy(registry);
                throw e;
            }
        }
        try {
            MetadataSources sources = new MetadataSources(registry);
            config.entities().forEach(sources::addAnnotatedClass);
            extraClasses.forEach(sources::addAnnotatedClass);
            org.hibernate.boot.MetadataBuilder metadataBuilder = sources.getMetadataBuilder();
            // each side is a Jakarta Persistence unit, as HibernatePersistenceProvider would build it: a detached
            // instance cannot be removed, failures convert to the jakarta.persistence exceptions, a failed commit
            // rolls back and throws RollbackException, native queries flush first
            ((MetadataBuilderImplementor) metadataBuilder).getBootstrapContext().markAsJpaBootstrap();
            org.hibernate.boot.Metadata metadata = metadataBuilder.build();
            LocalSqliteDialect localSqlite = registry.requireService(org.hibernate.engine.jdbc.spi.JdbcServices.class)
                    .getDialect() instanceof LocalSqliteDialect d ? d : null;
            if (localSqlite != null) {
                localSqlite.constraints(LocalConstraints.of(metadata, entity -> RoutingTable.writesLocally(config, entity)));
            }
            // a missing row behind a reference or a proxy is EntityNotFoundException, not ObjectNotFoundException
            SessionFactory factory = metadata.getSessionFactoryBuilder()
                    .applyEntityNotFoundDelegate(JpaEntityNotFoundDelegate.INSTANCE)
                    .build();
            if (sqliteTransactions != null) {
                sqliteTransactions.attach((org.hibernate.engine.spi.SessionFactoryImplementor) factory);
            }
            if (localSqlite != null) {
                MissingForeignKeys.warnOnce(config.unitName(), dataSource, localSqlite.constraints());
            }
            Runnable deferred = schemaSettings.isEmpty() ? null : () -> {
                Map<String, Object> all = new LinkedHashMap<>(registry.requireService(
                        org.hibernate.engine.config.spi.ConfigurationService.class).getSettings());
                all.putAll(schemaSettings);
                org.hibernate.tool.schema.spi.SchemaManagementToolCoordinator.process(metadata, registry, all,
                        org.hibernate.tool.schema.spi.DelayedDropRegistryNotAvailableImpl.INSTANCE);
            };
            return new Built(factory, deferred);
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw new CompositeConfigurationException("Cannot build the " + spec.side() + " side of persistence unit '"
                    + config.unitName() + "' on " + spec.describe() + ": " + Failures.rootMessage(e) + schemaHint(e), e);
        }
    }

    /**
     * @return for a failed schema management statement, the statement and what to do (the root message alone names
     *     neither); else empty
     */
    static String schemaHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.tool.schema.spi.CommandAcceptanceException) {
                return ". Schema management stopped at: " + t.getMessage() + ". Every table must exist on both sides, or a"
                        + " write would commit on one and fail on the other: change the mapping (a table or column named"
                        + " like a keyword of this database can be quoted with 'hibernate.auto_quote_keyword=true'), or set"
                        + " 'hibernate.hbm2ddl.halt_on_error=false' to start with the failed statement logged only";
            }
        }
        return "";
    }

    private static final String SQLITE_DIALECT = "org.hibernate.community.dialect.SQLiteDialect";
    private static final String JTA_PLATFORM = "hibernate.transaction.jta.platform";

    /** @return true if JNDI has WildFly's (or JBoss's) transaction manager */
    private static boolean appServerTransactionManager() {
        for (String name : java.util.List.of("java:jboss/TransactionManager", "java:/TransactionManager")) {
            try {
                if (new javax.naming.InitialContext().lookup(name) instanceof jakarta.transaction.TransactionManager) {
                    return true;
                }
            } catch (javax.naming.NamingException | RuntimeException | LinkageError e) {
                // not there
            }
        }
        return false;
    }

    private static String nameOf(Object dialect) {
        return dialect instanceof Class<?> c ? c.getName() : dialect == null ? null : dialect.toString();
    }

    private static boolean isSchemaManagement(String key) {
        return key.startsWith("hibernate.hbm2ddl.") || key.startsWith("jakarta.persistence.schema-generation.")
                || key.startsWith("javax.persistence.schema-generation.") || key.equals("jakarta.persistence.sql-load-script-source");
    }

    /** @return the Hibernate dialect a JDBC URL names, or null */
    static String dialectOf(String url) {
        if (url == null) {
            return null;
        }
        String u = url.toLowerCase(java.util.Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return "org.hibernate.dialect.PostgreSQLDialect";
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return "org.hibernate.dialect.MariaDBDialect";
        }
        if (u.startsWith("jdbc:mysql:")) {
            return "org.hibernate.dialect.MySQLDialect";
        }
        if (u.startsWith("jdbc:h2:")) {
            return "org.hibernate.dialect.H2Dialect";
        }
        if (u.startsWith("jdbc:sqlite:")) {
            return "org.hibernate.community.dialect.SQLiteDialect";
        }
        return null;
    }

    /** A data source given by the application or a container may be SQLite too. */
    private static boolean isSqlite(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return "SQLite".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
