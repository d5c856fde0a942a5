package io.dbcomposite;

import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.internal.config.SettingsReader;
import io.dbcomposite.internal.boot.UnitBuilder;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Bootstraps a composite persistence unit in plain Java.
 *
 * <pre>{@code
 * CompositeEntityManagerFactory emf = CompositePersistence.builder()
 *     .local("jdbc:sqlite:./data.db")
 *     .remote("jdbc:postgresql://db/app", "app", secret)
 *     .entities(Product.class, Order.class, Payment.class)
 *     .route(Event.class, Routing.builder().read(Read.REMOTE).write(Write.REMOTE).sync(Sync.NONE).build())
 *     .property("hibernate.hbm2ddl.auto", "update")
 *     .build();
 * }</pre>
 *
 * <p>Every typed method is a shorthand for a {@code dbcomposite.*} key of {@link CompositeSettings};
 * {@link Builder#property(String, Object)} takes any key exactly as {@code persistence.xml} would.
 */
public final class CompositePersistence {

    private CompositePersistence() {
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of one unit; {@link #build()} validates them all and opens the unit. */
    public static final class Builder {
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private final List<Class<?>> entities = new ArrayList<>();
        private final Map<Class<?>, Routing> routesByClass = new LinkedHashMap<>();
        private String unitName = "dbcomposite";
        private Clock clock = Clock.systemUTC();
        private ConflictResolver conflictResolver;
        private final java.util.List<SyncListener> listeners = new java.util.ArrayList<>();
        private Object meterRegistry;
        private ClassLoader classLoader;

        private Builder() {
        }

        /** @param name the unit's name, used in pool names and messages (default {@code dbcomposite}) @return this builder */
        public Builder name(String name) {
            this.unitName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param jdbcUrl the local database ({@link CompositeSettings#LOCAL_URL}) @return this builder */
        public Builder local(String jdbcUrl) {
            settings.put(CompositeSettings.LOCAL_URL, jdbcUrl);
            return this;
        }

        /** @param jdbcUrl the local database @param user its user @param password its password @return this builder */
        public Builder local(String jdbcUrl, String user, String password) {
            settings.put(CompositeSettings.LOCAL_URL, jdbcUrl);
            settings.put(CompositeSettings.LOCAL_USER, user);
            settings.put(CompositeSettings.LOCAL_PASSWORD, password);
            return this;
        }

        /** @param dataSource the local database ({@link CompositeSettings#LOCAL_DATASOURCE}); not closed by the unit @return this builder */
        public Builder local(DataSource dataSource) {
            settings.put(CompositeSettings.LOCAL_DATASOURCE, dataSource);
            return this;
        }

        /** @param jdbcUrl the remote database ({@link CompositeSettings#REMOTE_URL}) @return this builder */
        public Builder remote(String jdbcUrl) {
            settings.put(CompositeSettings.REMOTE_URL, jdbcUrl);
            return this;
        }

        /** @param jdbcUrl the remote database @param user its user @param password its password @return this builder */
        public Builder remote(String jdbcUrl, String user, String password) {
            settings.put(CompositeSettings.REMOTE_URL, jdbcUrl);
            settings.put(CompositeSettings.REMOTE_USER, user);
            settings.put(CompositeSettings.REMOTE_PASSWORD, password);
            return this;
        }

        /** @param dataSource the remote database ({@link CompositeSettings#REMOTE_DATASOURCE}); not closed by the unit @return this builder */
        public Builder remote(DataSource dataSource) {
            settings.put(CompositeSettings.REMOTE_DATASOURCE, dataSource);
            return this;
        }

        /** @param classes entity classes of the unit (SyncLogEntity is added by itself) @return this builder */
        public Builder entities(Class<?>... classes) {
            entities.addAll(Arrays.asList(classes));
            return this;
        }

        /** @param classes entity classes of the unit @return this builder */
        public Builder entities(List<Class<?>> classes) {
            entities.addAll(classes);
            return this;
        }

        /** @param defaults the routing of entities that say nothing themselves ({@code dbcomposite.defaults.*}) @return this builder */
        public Builder defaults(Routing defaults) {
            putUnlessDefault(CompositeSettings.DEFAULTS_READ, defaults.read(), Read.DEFAULT);
            putUnlessDefault(CompositeSettings.DEFAULTS_WRITE, defaults.write(), Write.DEFAULT);
            putUnlessDefault(CompositeSettings.DEFAULTS_SYNC, defaults.sync(), Sync.DEFAULT);
            putUnlessDefault(CompositeSettings.DEFAULTS_ON_REMOTE_FAIL, defaults.onRemoteFail(), OnRemoteFail.DEFAULT);
            putUnlessDefault(CompositeSettings.DEFAULTS_ON_CONFLICT, defaults.onConflict(), OnConflict.DEFAULT);
            return this;
        }

        /** @param entity an entity class @param routing its routing; wins over its annotation @return this builder */
        public Builder route(Class<?> entity, Routing routing) {
            routesByClass.put(Objects.requireNonNull(entity, "entity"), Objects.requireNonNull(routing, "routing"));
            return this;
        }

        /** @param entityName an entity name ({@code dbcomposite.routing.<EntityName>.*}) @param routing its routing @return this builder */
        public Builder route(String entityName, Routing routing) {
            String base = CompositeSettings.ROUTING_PREFIX + entityName + ".";
            putUnlessDefault(base + "read", routing.read(), Read.DEFAULT);
            putUnlessDefault(base + "write", routing.write(), Write.DEFAULT);
            putUnlessDefault(base + "sync", routing.sync(), Sync.DEFAULT);
            putUnlessDefault(base + "onRemoteFail", routing.onRemoteFail(), OnRemoteFail.DEFAULT);
            putUnlessDefault(base + "onConflict", routing.onConflict(), OnConflict.DEFAULT);
            return this;
        }

        /**
         * @param key any {@code hibernate.*}, {@code jakarta.*} or {@code dbcomposite.*} key
         * @param value its value (a string as in persistence.xml, or a typed value)
         * @return this builder
         */
        public Builder property(String key, Object value) {
            settings.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** @param properties settings to add, as {@link #property(String, Object)} @return this builder */
        public Builder properties(Map<String, ?> properties) {
            properties.forEach(this::property);
            return this;
        }

        /** @param interval pause between background sync runs ({@link CompositeSettings#SYNC_INTERVAL}) @return this builder */
        public Builder syncInterval(Duration interval) {
            settings.put(CompositeSettings.SYNC_INTERVAL, interval);
            return this;
        }

        /** @param enabled whether the background sync job runs ({@link CompositeSettings#SYNC_ENABLED}) @return this builder */
        public Builder syncEnabled(boolean enabled) {
            settings.put(CompositeSettings.SYNC_ENABLED, enabled);
            return this;
        }

        /**
         * @param resolver decides per conflict (a remote row not in the state a replayed change was based on) before the
         *        entity's {@code onConflict} policy applies
         * @return this builder
         */
        public Builder conflictResolver(ConflictResolver resolver) {
            this.conflictResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * @param listener hears of changes applied, failed, dead and in conflict, and of the remote going away and coming
         *        back; several listeners are told in the order given
         * @return this builder
         */
        public Builder listener(SyncListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Binds the unit's meters (see the README, "Observability") to a Micrometer registry; Micrometer is then needed on
         * the class path, and only then.
         *
         * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
         * @return this builder
         */
        public Builder meterRegistry(Object registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** @param clock the clock of the sync engine (backoff, timestamps); tests pass a settable one @return this builder */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param classLoader the application's class loader @return this builder */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        private void putUnlessDefault(String key, Enum<?> value, Enum<?> unset) {
            if (value != unset) {
                settings.put(key, value);
            }
        }

        /**
         * Validates every setting, opens both pools, builds both sides and starts the sync job.
         *
         * @return the open unit
         * @throws CompositeConfigurationException naming the key, the entity and the valid values
         */
        public CompositeEntityManagerFactory build() {
            if (entities.isEmpty()) {
                throw new CompositeConfigurationException("No entity classes given to persistence unit '" + unitName
                        + "': call entities(...) with the unit's @Entity classes");
            }
            ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
            CompositeConfiguration config = SettingsReader.read(unitName, settings, entities, routesByClass, clock, cl);
            if (meterRegistry == null) {
                return UnitBuilder.build(config, settings, conflictResolver, listeners);
            }
            // only here are Micrometer's classes loaded
            io.dbcomposite.micrometer.DbCompositeMetrics metrics = io.dbcomposite.micrometer.DbCompositeMetrics.of(meterRegistry,
                    config.clock());
            java.util.List<SyncListener> all = new java.util.ArrayList<>(listeners);
            all.add(metrics);
            io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl unit = UnitBuilder.build(config, settings,
                    conflictResolver, all);
            unit.onClose(metrics::unbind);
            try {
                metrics.bindTo(unit);
            } catch (RuntimeException | Error e) {
                unit.close();
                throw e;
            }
            return unit;
        }
    }
}
