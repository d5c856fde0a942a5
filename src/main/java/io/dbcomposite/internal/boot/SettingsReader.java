package io.dbcomposite.internal.boot;

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
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.dbcomposite.CompositeSettings.*;

/**
 * Turns the raw settings of a unit (builder, properties, {@code persistence.xml}) into one validated
 * {@link CompositeConfiguration}. Every error names the key, the entity and the valid values.
 */
public final class SettingsReader {

    /** The attributes of {@code dbcomposite.routing.<EntityName>.<attribute>}. */
    static final List<String> ROUTING_ATTRIBUTES = List.of("read", "write", "sync", "onRemoteFail");

    /** Connection keys that would point both sides at one database. */
    private static final Map<String, String> CONNECTION_KEYS = Map.ofEntries(
            Map.entry("jakarta.persistence.jdbc.url", LOCAL_URL + " / " + REMOTE_URL),
            Map.entry("jakarta.persistence.jdbc.user", LOCAL_USER + " / " + REMOTE_USER),
            Map.entry("jakarta.persistence.jdbc.password", LOCAL_PASSWORD + " / " + REMOTE_PASSWORD),
            Map.entry("jakarta.persistence.nonJtaDataSource", LOCAL_DATASOURCE + " / " + REMOTE_DATASOURCE),
            Map.entry("jakarta.persistence.jtaDataSource", LOCAL_DATASOURCE + " / " + REMOTE_DATASOURCE),
            Map.entry("hibernate.connection.url", LOCAL_URL + " / " + REMOTE_URL),
            Map.entry("hibernate.connection.username", LOCAL_USER + " / " + REMOTE_USER),
            Map.entry("hibernate.connection.password", LOCAL_PASSWORD + " / " + REMOTE_PASSWORD),
            Map.entry("hibernate.connection.datasource", LOCAL_DATASOURCE + " / " + REMOTE_DATASOURCE));

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
                localOnly.put("hibernate." + key.substring(LOCAL_HIBERNATE_PREFIX.length()), value);
            } else if (key.startsWith(REMOTE_HIBERNATE_PREFIX)) {
                remoteOnly.put("hibernate." + key.substring(REMOTE_HIBERNATE_PREFIX.length()), value);
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
                    throw new CompositeConfigurationException("Unknown setting '" + key + "'" + suggestion(key)
                            + ". Valid keys: " + new TreeSet<>(KEYS) + ", and the prefixes " + ROUTING_PREFIX
                            + "<EntityName>.{read,write,sync,onRemoteFail}, " + QUARTZ_PREFIX + "*, "
                            + LOCAL_HIBERNATE_PREFIX + "*, " + REMOTE_HIBERNATE_PREFIX + "*");
                }
                own.put(key, value);
            } else if (CONNECTION_KEYS.containsKey(key)) {
                throw new CompositeConfigurationException("Setting '" + key + "' would point both sides at one database;"
                        + " use " + CONNECTION_KEYS.get(key) + " instead");
            } else if (key.startsWith("hibernate.") || key.startsWith("jakarta.") || key.startsWith("javax.")) {
                shared.put(key, value);
            }
            // other keys (a container's own, system properties) are not ours to judge
        });

        ConnectionSpec local = connection("local", own, LOCAL_URL, LOCAL_USER, LOCAL_PASSWORD, LOCAL_DATASOURCE,
                "jdbc:sqlite:./dbcomposite-local.db");
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
                duration(own, SYNC_RETENTION, "7d", ONE_MILLISECOND, MAX_RETENTION));

        Map<String, Object> localHibernate = new LinkedHashMap<>(shared);
        localHibernate.putAll(localOnly);
        Map<String, Object> remoteHibernate = new LinkedHashMap<>(shared);
        remoteHibernate.putAll(remoteOnly);

        Duration connectTimeout = duration(own, REMOTE_CONNECT_TIMEOUT, "5s", MIN_CONNECT_TIMEOUT, MAX_CONNECT_TIMEOUT);
        Duration socketTimeout = duration(own, REMOTE_SOCKET_TIMEOUT, "30s", Duration.ofSeconds(1), Duration.ofDays(1));
        boolean requiredAtStart = bool(own, REMOTE_REQUIRED_AT_START, false);

        return new CompositeConfiguration(unitName, local, remote, defaults, Map.copyOf(routesByName),
                Map.copyOf(routesByClass), connectTimeout, socketTimeout, requiredAtStart, sync, quartz, localHibernate, remoteHibernate, List.copyOf(entities),
                classLoader, clock);
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
