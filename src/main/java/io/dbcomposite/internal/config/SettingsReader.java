package io.dbcomposite.internal.config;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.dbcomposite.CompositeSettings.*;

/**
 * Turns the raw settings of a unit (builder, properties, {@code persistence.xml}) into one validated
 * {@link CompositeConfiguration}. Every error names the key, the entity and the valid values.
 */
public final class SettingsReader {

    /** The attributes of {@code dbcomposite.routing.<EntityName>.<attribute>}. */
    static final List<String> ROUTING_ATTRIBUTES = List.of("read", "write", "sync", "onRemoteFail", "onConflict");

    /** What a Hibernate or Jakarta Persistence connection setting would set, and so which of ours replaces it. */
    private enum ConnectionPart { URL, USER, PASSWORD, DATASOURCE, DRIVER, PROVIDER, LOGIN_TIMEOUT }

    /**
     * Connection settings that are never used: each side connects through the DataSource this library hands
     * Hibernate ({@code hibernate.connection.datasource}), built from {@code dbcomposite.<side>.*}. Hibernate then
     * ignores the URL, driver and credentials settings, and a provider class would replace that DataSource.
     */
    private static final Map<String, ConnectionPart> CONNECTION_KEYS = keys(
            Map.entry("hibernate.connection.url", ConnectionPart.URL),
            Map.entry("jakarta.persistence.jdbc.url", ConnectionPart.URL),
            Map.entry("javax.persistence.jdbc.url", ConnectionPart.URL),
            Map.entry("hibernate.connection.username", ConnectionPart.USER),
            Map.entry("hibernate.connection.user", ConnectionPart.USER),
            Map.entry("jakarta.persistence.jdbc.user", ConnectionPart.USER),
            Map.entry("javax.persistence.jdbc.user", ConnectionPart.USER),
            Map.entry("hibernate.connection.password", ConnectionPart.PASSWORD),
            Map.entry("jakarta.persistence.jdbc.password", ConnectionPart.PASSWORD),
            Map.entry("javax.persistence.jdbc.password", ConnectionPart.PASSWORD),
            Map.entry("hibernate.connection.datasource", ConnectionPart.DATASOURCE),
            Map.entry("jakarta.persistence.nonJtaDataSource", ConnectionPart.DATASOURCE),
            Map.entry("jakarta.persistence.jtaDataSource", ConnectionPart.DATASOURCE),
            Map.entry("javax.persistence.nonJtaDataSource", ConnectionPart.DATASOURCE),
            Map.entry("javax.persistence.jtaDataSource", ConnectionPart.DATASOURCE),
            Map.entry("hibernate.connection.driver_class", ConnectionPart.DRIVER),
            Map.entry("jakarta.persistence.jdbc.driver", ConnectionPart.DRIVER),
            Map.entry("javax.persistence.jdbc.driver", ConnectionPart.DRIVER),
            Map.entry("hibernate.connection.provider_class", ConnectionPart.PROVIDER),
            Map.entry("hibernate.connection.login_timeout", ConnectionPart.LOGIN_TIMEOUT));

    /**
     * A map of keys that tolerates a key given twice: a server that transforms deployments from Java EE to Jakarta EE
     * (WildFly Preview) rewrites the string constants {@code "javax.persistence..."} to {@code "jakarta.persistence..."}
     * in the application's classes, this library's included, so both names of a key can arrive as one.
     */
    @SafeVarargs
    private static <V> Map<String, V> keys(Map.Entry<String, V>... entries) {
        Map<String, V> map = new java.util.HashMap<>();
        for (Map.Entry<String, V> e : entries) {
            map.putIfAbsent(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Prefixes of the settings of Hibernate's own connection handling and pools. Beside a DataSource Hibernate
     * applies none of them (pool sizes, isolation, autocommit, init SQL, driver properties such as
     * {@code hibernate.connection.sslmode}) except {@link #HONOURED_CONNECTION_SETTINGS}.
     */
    private static final List<String> POOL_PREFIXES =
            List.of("hibernate.connection.", "hibernate.hikari.", "hibernate.c3p0.", "hibernate.agroal.");

    private static final String PROVIDER_DISABLES_AUTOCOMMIT = "hibernate.connection.provider_disables_autocommit";

    /** The {@code hibernate.connection.*} settings Hibernate does apply to connections from a DataSource. */
    private static final Set<String> HONOURED_CONNECTION_SETTINGS = Set.of(
            "hibernate.connection.handling_mode", PROVIDER_DISABLES_AUTOCOMMIT);

    /** The longest sync interval and retry wait: a year. */
    private static final Duration MAX_WAIT = Duration.ofDays(365);
    /** The longest retention: a hundred years (the purge computes now minus the retention). */
    private static final Duration MAX_RETENTION = Duration.ofDays(36500);
    /** The pool cannot wait less than this for a connection (HikariCP's floor). */
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    /** The longest connect timeout: an hour. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofHours(1);
    private static final Duration ONE_MILLISECOND = Duration.ofMillis(1);

    private SettingsReader() {
    }

    /**
     * @param unitName the unit's name, for messages
     * @param settings every setting, as a persistence.xml or the builder gives them
     * @param entities the entity classes
     * @param routesByClass per-entity routing given by class through the builder
     * @param clock the sync engine's clock
     * @param classLoader the application's class loader
     * @return the validated configuration
     * @throws CompositeConfigurationException naming the key and the valid values
     */
    public static CompositeConfiguration read(String unitName, Map<String, ?> settings, List<Class<?>> entities,
                                              Map<Class<?>, Routing> routesByClass, Clock clock, ClassLoader classLoader) {
        Map<String, Object> shared = new LinkedHashMap<>();
        Map<String, Object> localOnly = new LinkedHashMap<>();
        Map<String, Object> remoteOnly = new LinkedHashMap<>();
        Map<String, Object> own = new LinkedHashMap<>();
        Properties quartz = new Properties();
        Map<String, Map<String, Object>> routing = new LinkedHashMap<>();

        settings.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (key.startsWith(LOCAL_HIBERNATE_PREFIX)) {
                String hibernateKey = "hibernate." + key.substring(LOCAL_HIBERNATE_PREFIX.length());
                refuseUnusedConnectionSetting(key, hibernateKey, "local");
                localOnly.put(hibernateKey, value);
            } else if (key.startsWith(REMOTE_HIBERNATE_PREFIX)) {
                String hibernateKey = "hibernate." + key.substring(REMOTE_HIBERNATE_PREFIX.length());
                refuseUnusedConnectionSetting(key, hibernateKey, "remote");
                remoteOnly.put(hibernateKey, value);
            } else if (key.startsWith(QUARTZ_PREFIX)) {
                quartz.setProperty(key.substring(QUARTZ_PREFIX.length()), String.valueOf(value));
            } else if (key.startsWith(ROUTING_PREFIX)) {
                String rest = key.substring(ROUTING_PREFIX.length());
                int dot = rest.lastIndexOf('.');
                String attribute = dot < 0 ? "" : rest.substring(dot + 1);
                if (dot <= 0 || !ROUTING_ATTRIBUTES.contains(attribute)) {
                    throw new CompositeConfigurationException("Unknown setting '" + key + "': per-entity routing keys are "
                            + ROUTING_PREFIX + "<EntityName>.{" + String.join(",", ROUTING_ATTRIBUTES) + "}");
                }
                routing.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>()).put(attribute, value);
            } else if (key.startsWith(PREFIX)) {
                if (!KEYS.contains(key)) {
                    // dbcomposite.remote.jakarta.persistence.jdbc.url and the like: say which key is meant
                    for (String side : List.of("local", "remote")) {
                        String sidePrefix = PREFIX + side + ".";
                        if (key.startsWith(sidePrefix)) {
                            refuseUnusedConnectionSetting(key, key.substring(sidePrefix.length()), side);
                        }
                    }
                    throw new CompositeConfigurationException("Unknown setting '" + key + "'" + suggestion(key)
                            + ". Valid keys: " + new TreeSet<>(KEYS) + ", and the prefixes " + ROUTING_PREFIX
                            + "<EntityName>.{read,write,sync,onRemoteFail,onConflict}, " + QUARTZ_PREFIX + "*, "
                            + LOCAL_HIBERNATE_PREFIX + "*, " + REMOTE_HIBERNATE_PREFIX + "*");
                }
                own.put(key, value);
            } else if (key.startsWith("hibernate.") || key.startsWith("jakarta.") || key.startsWith("javax.")) {
                refuseUnusedConnectionSetting(key, key, null);
                shared.put(key, value);
            }
            // other keys (a container's own, system properties) are not ours to judge
        });

        boolean jta = jta(unitName, shared);
        if (jta) {
            requireJtaConnections(unitName, own);
        }
        ConnectionSpec local = localConnection(own);
        ConnectionSpec remote = connection("remote", own, REMOTE_URL, REMOTE_USER, REMOTE_PASSWORD, REMOTE_DATASOURCE, null);
        if (remote.url() == null && remote.dataSource() == null && remote.jndiName() == null) {
            throw new CompositeConfigurationException("Missing setting '" + REMOTE_URL + "' of persistence unit '" + unitName
                    + "': give the remote database's JDBC URL (e.g. jdbc:postgresql://host:5432/db) or a DataSource through '"
                    + REMOTE_DATASOURCE + "'");
        }

        Routing defaults = Routing.builder()
                .read(enumValue(own, DEFAULTS_READ, Read.class, null))
                .write(enumValue(own, DEFAULTS_WRITE, Write.class, null))
                .sync(enumValue(own, DEFAULTS_SYNC, Sync.class, null))
                .onRemoteFail(enumValue(own, DEFAULTS_ON_REMOTE_FAIL, OnRemoteFail.class, null))
                .onConflict(enumValue(own, DEFAULTS_ON_CONFLICT, io.dbcomposite.OnConflict.class, null))
                .build()
                .orElse(Routing.BUILT_IN);

        Map<String, Routing> routesByName = new LinkedHashMap<>();
        routing.forEach((entity, attributes) -> {
            Routing.Builder b = Routing.builder();
            String base = ROUTING_PREFIX + entity + ".";
            b.read(enumValue(attributes, "read", Read.class, base + "read", entity));
            b.write(enumValue(attributes, "write", Write.class, base + "write", entity));
            b.sync(enumValue(attributes, "sync", Sync.class, base + "sync", entity));
            b.onRemoteFail(enumValue(attributes, "onRemoteFail", OnRemoteFail.class, base + "onRemoteFail", entity));
            b.onConflict(enumValue(attributes, "onConflict", io.dbcomposite.OnConflict.class, base + "onConflict", entity));
            routesByName.put(entity, b.build());
        });

        Duration initial = duration(own, SYNC_INITIAL_BACKOFF, "1s", ONE_MILLISECOND, MAX_WAIT);
        Duration max = duration(own, SYNC_MAX_BACKOFF, "5m", ONE_MILLISECOND, MAX_WAIT);
        if (max.compareTo(initial) < 0) {
            throw new CompositeConfigurationException("Setting '" + SYNC_MAX_BACKOFF + "' (" + max + ") is shorter than '"
                    + SYNC_INITIAL_BACKOFF + "' (" + initial + "); the longest wait must be at least the first one");
        }
        SyncSettings sync = new SyncSettings(
                bool(own, SYNC_ENABLED, true),
                duration(own, SYNC_INTERVAL, "1s", ONE_MILLISECOND, MAX_WAIT),
                integer(own, SYNC_BATCH_SIZE, 500, 1, Integer.MAX_VALUE),
                initial,
                max,
                integer(own, SYNC_MAX_ATTEMPTS, 10, 1, Integer.MAX_VALUE),
                duration(own, SYNC_RETENTION, "7d", ONE_MILLISECOND, MAX_RETENTION),
                executor(own),
                afterCommit(own));

        Map<String, Object> localHibernate = new LinkedHashMap<>(shared);
        // the local side always runs resource-local transactions of its own (SQLite cannot join a JTA transaction); under
        // JTA the composite drives them from the container's transaction
        TRANSACTION_SETTINGS.forEach(localHibernate::remove);
        localHibernate.putAll(localOnly);
        Map<String, Object> remoteHibernate = new LinkedHashMap<>(shared);
        remoteHibernate.putAll(remoteOnly);
        if (jta) {
            remoteHibernate.putIfAbsent(TRANSACTION_COORDINATOR, "jta");
            // the remote session's connection stays the same until the JTA transaction ends: the composite's own remote
            // steps (taken-along changes, held writes) run on it beside the session's statements
            remoteHibernate.putIfAbsent(CONNECTION_HANDLING, "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION");
        }

        refuseAutoCommitClaim(localOnly.containsKey(PROVIDER_DISABLES_AUTOCOMMIT) ? LOCAL_HIBERNATE_PREFIX : "",
                localHibernate, local);
        refuseAutoCommitClaim(remoteOnly.containsKey(PROVIDER_DISABLES_AUTOCOMMIT) ? REMOTE_HIBERNATE_PREFIX : "",
                remoteHibernate, remote);

        Duration connectTimeout = duration(own, REMOTE_CONNECT_TIMEOUT, "5s", MIN_CONNECT_TIMEOUT, MAX_CONNECT_TIMEOUT);
        Duration socketTimeout = duration(own, REMOTE_SOCKET_TIMEOUT, "30s", Duration.ofSeconds(1), Duration.ofDays(1));
        boolean requiredAtStart = bool(own, REMOTE_REQUIRED_AT_START, false);

        return new CompositeConfiguration(unitName, local, remote, defaults, Map.copyOf(routesByName),
                Map.copyOf(routesByClass), connectTimeout, socketTimeout, requiredAtStart, sync, quartz, localHibernate, remoteHibernate, List.copyOf(entities),
                classLoader, clock, jta, checkpointsInBackground(own));
    }

    /** @return true for {@code background} (the default), false for {@code inline} */
    private static boolean checkpointsInBackground(Map<String, Object> own) {
        Object v = own.get(LOCAL_CHECKPOINT);
        if (v == null) {
            return true;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("background") || s.equals("inline")) {
            return s.equals("background");
        }
        throw new CompositeConfigurationException("Bad value '" + v + "' for setting '" + LOCAL_CHECKPOINT
                + "': valid values are background, inline");
    }

    /** @return the after-commit delay, or null for {@code off} */
    private static Duration afterCommit(Map<String, Object> own) {
        Object v = own.getOrDefault(SYNC_AFTER_COMMIT, "5ms");
        if (v instanceof String text && "off".equalsIgnoreCase(text.trim())) {
            return null;
        }
        try {
            return DurationParser.read(SYNC_AFTER_COMMIT, v, Duration.ZERO, Duration.ofMinutes(1));
        } catch (CompositeConfigurationException e) {
            throw new CompositeConfigurationException(e.getMessage() + ", or 'off'", e);
        }
    }

    private static Object executor(Map<String, Object> own) {
        Object v = own.get(SYNC_EXECUTOR);
        if (v == null) {
            return "auto";
        }
        if (v instanceof java.util.concurrent.ScheduledExecutorService || v instanceof org.quartz.Scheduler) {
            return v;
        }
        if (v instanceof String text && !text.isBlank()) {
            String t = text.trim();
            return "auto".equalsIgnoreCase(t) || "quartz".equalsIgnoreCase(t) ? t.toLowerCase(java.util.Locale.ROOT) : t;
        }
        throw new CompositeConfigurationException("Setting '" + SYNC_EXECUTOR + "' must be 'auto', 'quartz', the JNDI name of"
                + " a ScheduledExecutorService, a java.util.concurrent.ScheduledExecutorService or an org.quartz.Scheduler, not "
                + (v instanceof String ? "an empty string" : v.getClass().getName()));
    }

    /** The standard key of a unit's transaction type, as a container or {@code persistence.xml} gives it. */
    public static final String TRANSACTION_TYPE = "jakarta.persistence.transactionType";
    private static final String TRANSACTION_COORDINATOR = "hibernate.transaction.coordinator_class";
    private static final String CONNECTION_HANDLING = "hibernate.connection.handling_mode";
    /** Settings of a side's transactions: the remote side's only (the local side never joins a JTA transaction). */
    private static final List<String> TRANSACTION_SETTINGS = List.of(TRANSACTION_TYPE, "javax.persistence.transactionType",
            TRANSACTION_COORDINATOR, "hibernate.transaction.jta.platform", "hibernate.transaction.jta.platform_resolver");

    /** @return true for a JTA unit ({@code transaction-type="JTA"}) */
    private static boolean jta(String unitName, Map<String, Object> shared) {
        Object type = shared.get(TRANSACTION_TYPE);
        if (type == null) {
            type = shared.get("javax.persistence.transactionType");
        }
        if (type == null) {
            return false;
        }
        String name = type instanceof Enum<?> e ? e.name() : String.valueOf(type).trim();
        if ("JTA".equalsIgnoreCase(name)) {
            return true;
        }
        if ("RESOURCE_LOCAL".equalsIgnoreCase(name)) {
            return false;
        }
        throw new CompositeConfigurationException("Setting '" + TRANSACTION_TYPE + "' of persistence unit '" + unitName
                + "' is '" + name + "'; valid values: JTA, RESOURCE_LOCAL");
    }

    /**
     * A JTA unit's remote is the container's transactional data source ({@code <jta-data-source>}), enlisted in its
     * transactions; a pool of this library's (a URL) would not be. Its local side is named, never the default file.
     */
    private static void requireJtaConnections(String unitName, Map<String, Object> own) {
        if (own.get(REMOTE_URL) != null) {
            throw new CompositeConfigurationException("Setting '" + REMOTE_URL + "' cannot be used by persistence unit '"
                    + unitName + "' of transaction-type JTA: its remote is the container's transactional data source, enlisted"
                    + " in the JTA transaction. Name it in <jta-data-source> (or '" + REMOTE_DATASOURCE + "') and remove '"
                    + REMOTE_URL + "'");
        }
        if (own.get(REMOTE_DATASOURCE) == null) {
            throw new CompositeConfigurationException("Persistence unit '" + unitName + "' of transaction-type JTA has no"
                    + " <jta-data-source>: name the remote database's transactional data source there (e.g."
                    + " <jta-data-source>java:jboss/datasources/AppDS</jta-data-source>), or through '" + REMOTE_DATASOURCE + "'");
        }
        if (own.get(LOCAL_URL) == null && own.get(LOCAL_DATASOURCE) == null) {
            throw new CompositeConfigurationException("Persistence unit '" + unitName + "' of transaction-type JTA has no local"
                    + " connection: set '" + LOCAL_URL + "' (e.g. jdbc:sqlite:/var/lib/app/local.db) or name a"
                    + " <non-jta-data-source> (or '" + LOCAL_DATASOURCE + "'); the local side runs transactions of its own,"
                    + " committed and rolled back with the JTA transaction");
        }
    }

    /**
     * The unit's settings as {@code EntityManagerFactory.getProperties()} reports them: without a secret. Every key
     * whose name contains {@code password} (in any case) is left out, and every JDBC URL (a string value starting
     * with {@code jdbc:}) is shown through {@link ConnectionSpec#redact(String)}.
     *
     * @param settings the unit's settings, as given
     * @return an unmodifiable copy without secrets, in the order given
     */
    public static Map<String, Object> visibleProperties(Map<String, ?> settings) {
        Map<String, Object> visible = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key == null || key.toLowerCase(Locale.ROOT).contains("password")) {
                return;
            }
            boolean jdbcUrl = value instanceof String s && s.strip().regionMatches(true, 0, "jdbc:", 0, 5);
            visible.put(key, jdbcUrl ? ConnectionSpec.redact((String) value) : value);
        });
        return Collections.unmodifiableMap(visible);
    }

    /**
     * Refuses a connection setting Hibernate would not use, naming the setting to use instead.
     *
     * @param key the key as given
     * @param hibernateKey the key as Hibernate would see it
     * @param side "local" or "remote" for a side-prefixed key, null for a key that goes to both sides
     */
    private static void refuseUnusedConnectionSetting(String key, String hibernateKey, String side) {
        ConnectionPart part = CONNECTION_KEYS.get(hibernateKey);
        if (part != null) {
            String instead = replacement(part, side);
            if (side == null && part != ConnectionPart.PROVIDER && part != ConnectionPart.LOGIN_TIMEOUT) {
                throw new CompositeConfigurationException("Setting '" + key + "' would point both sides at one database;"
                        + " use " + instead + " instead");
            }
            throw new CompositeConfigurationException("Setting '" + key + "' is not used: "
                    + (side == null ? "each side" : "the " + side + " side") + " connects through " + sideKeys(side, ".url")
                    + " or " + sideKeys(side, ".datasource") + "; use " + instead + " instead");
        }
        if (POOL_PREFIXES.stream().anyMatch(hibernateKey::startsWith) && !HONOURED_CONNECTION_SETTINGS.contains(hibernateKey)) {
            throw new CompositeConfigurationException("Setting '" + key + "' would be ignored: Hibernate gets "
                    + (side == null ? "each side's" : "the " + side + " side's") + " connections from the pool this library"
                    + " opens for " + sideKeys(side, ".url") + " or from the DataSource of " + sideKeys(side, ".datasource")
                    + ", and applies no pool or driver setting to them. Put driver properties in the JDBC URL ("
                    + sideKeys(side, ".url") + "), or give a DataSource set up as you need through "
                    + sideKeys(side, ".datasource"));
        }
    }

    private static String replacement(ConnectionPart part, String side) {
        return switch (part) {
            case URL -> sideKeys(side, ".url");
            case USER -> sideKeys(side, ".user");
            case PASSWORD -> sideKeys(side, ".password");
            case DATASOURCE -> sideKeys(side, ".datasource");
            case DRIVER -> sideKeys(side, ".url") + " (the driver is found from the URL) or " + sideKeys(side, ".datasource");
            case PROVIDER -> "a DataSource of your own through " + sideKeys(side, ".datasource");
            case LOGIN_TIMEOUT -> "local".equals(side)
                    ? "a DataSource of your own through " + LOCAL_DATASOURCE
                    : "'" + REMOTE_CONNECT_TIMEOUT + "'";
        };
    }

    private static String sideKeys(String side, String suffix) {
        return side == null
                ? "'" + PREFIX + "local" + suffix + "' / '" + PREFIX + "remote" + suffix + "'"
                : "'" + PREFIX + side + suffix + "'";
    }

    /**
     * {@code hibernate.connection.provider_disables_autocommit=true} tells Hibernate not to switch auto-commit off
     * when a transaction begins. The pool this library opens hands out auto-commit connections, so every statement
     * would commit at once and a rollback would undo nothing (nor keep a change and its sync-log row together).
     */
    private static void refuseAutoCommitClaim(String prefix, Map<String, Object> hibernate, ConnectionSpec spec) {
        Object v = hibernate.get(PROVIDER_DISABLES_AUTOCOMMIT);
        if (v == null || spec.url() == null || !"true".equalsIgnoreCase(String.valueOf(v).trim())) {
            return;
        }
        String key = prefix.isEmpty() ? PROVIDER_DISABLES_AUTOCOMMIT
                : prefix + PROVIDER_DISABLES_AUTOCOMMIT.substring("hibernate.".length());
        throw new CompositeConfigurationException("Setting '" + key + "' = true cannot be used with the pool this library"
                + " opens for '" + PREFIX + spec.side() + ".url': its connections start in auto-commit mode, so every"
                + " statement would commit at once and a rollback would undo nothing. Remove it, or give a DataSource"
                + " whose connections start with auto-commit off through '" + PREFIX + spec.side() + ".datasource'");
    }

    /**
     * @param settings {@code dbcomposite.*} settings
     * @return how the local side connects, as {@link #read} would find it (the default file when nothing is given)
     * @throws CompositeConfigurationException for the same mistakes {@link #read} names
     */
    public static ConnectionSpec localConnection(Map<String, Object> settings) {
        return connection("local", settings, LOCAL_URL, LOCAL_USER, LOCAL_PASSWORD, LOCAL_DATASOURCE,
                "jdbc:sqlite:./dbcomposite-local.db");
    }

    private static ConnectionSpec connection(String side, Map<String, Object> own, String urlKey, String userKey,
                                             String passwordKey, String dataSourceKey, String defaultUrl) {
        Object ds = own.get(dataSourceKey);
        DataSource dataSource = null;
        String jndi = null;
        if (ds instanceof DataSource d) {
            dataSource = d;
        } else if (ds instanceof String s && !s.isBlank()) {
            jndi = s.trim();
        } else if (ds != null) {
            throw new CompositeConfigurationException("Setting '" + dataSourceKey + "' must be a javax.sql.DataSource or a JNDI name,"
                    + " not " + ds.getClass().getName());
        }
        String url = string(own, urlKey);
        if (url != null && (dataSource != null || jndi != null)) {
            throw new CompositeConfigurationException("Settings '" + urlKey + "' and '" + dataSourceKey
                    + "' are both given for the " + side + " side; give one of them");
        }
        if (url != null && !url.startsWith("jdbc:")) {
            throw new CompositeConfigurationException("Setting '" + urlKey + "' must be a JDBC URL starting with 'jdbc:', not '"
                    + ConnectionSpec.redact(url) + "'");
        }
        if (url == null && dataSource == null && jndi == null) {
            url = defaultUrl;
        }
        return ConnectionSpec.of(side, url, string(own, userKey), string(own, passwordKey), dataSource, jndi);
    }

    private static String string(Map<String, Object> own, String key) {
        Object v = own.get(key);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> own, String key, Class<E> type, String entity) {
        return enumValue(own, key, type, key, entity);
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> map, String mapKey, Class<E> type, String key, String entity) {
        Object v = map.get(mapKey);
        E unset = type.getEnumConstants()[0];
        if (v == null) {
            return unset;
        }
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        String s = String.valueOf(v).trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw new CompositeConfigurationException("Bad value '" + s + "' for setting '" + key + "'"
                + (entity == null ? "" : " of entity '" + entity + "'") + ": valid values are " + valid);
    }

    private static Duration duration(Map<String, Object> own, String key, String fallback, Duration min, Duration max) {
        return DurationParser.read(key, own.getOrDefault(key, fallback), min, max);
    }

    private static int integer(Map<String, Object> own, String key, int fallback, int min, int max) {
        Object v = own.get(key);
        if (v == null) {
            return fallback;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else {
            try {
                n = Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                // not a whole number, or one beyond any valid value: the same advice either way
                n = Long.MIN_VALUE;
            }
        }
        if (n < min || n > max) {
            throw new CompositeConfigurationException("Bad value '" + v + "' for setting '" + key
                    + "': valid values are whole numbers from " + min + " to " + max);
        }
        return (int) n;
    }

    private static boolean bool(Map<String, Object> own, String key, boolean fallback) {
        Object v = own.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new CompositeConfigurationException("Bad value '" + v + "' for setting '" + key + "': valid values are true, false");
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

}
