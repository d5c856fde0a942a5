package io.dbcomposite.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The real PostgreSQL that integration tests use as the remote database, reached over plain JDBC
 * (independently of Hibernate) to set up isolated schemas and to check what really landed remotely.
 *
 * <p>Configured by environment variables:
 * <ul>
 *   <li>{@code DBCOMPOSITE_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test}</li>
 *   <li>{@code DBCOMPOSITE_TEST_PG_USER}, default {@code postgres}</li>
 *   <li>{@code DBCOMPOSITE_TEST_PG_PASSWORD}, default empty</li>
 * </ul>
 *
 * <pre>{@code
 * String schema = PostgresTestDatabase.createSchema("payments_it");
 * try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
 *     String remoteUrl = PostgresTestDatabase.urlThrough(proxy, schema);
 *     ...
 *     assertThat(PostgresTestDatabase.count(schema, "payment")).isEqualTo(1);
 * } finally {
 *     PostgresTestDatabase.dropSchema(schema);
 * }
 * }</pre>
 */
public final class PostgresTestDatabase {

    /** Environment variable of the JDBC URL. */
    public static final String URL_ENV = "DBCOMPOSITE_TEST_PG_URL";
    /** Environment variable of the user. */
    public static final String USER_ENV = "DBCOMPOSITE_TEST_PG_USER";
    /** Environment variable of the password. */
    public static final String PASSWORD_ENV = "DBCOMPOSITE_TEST_PG_PASSWORD";

    /** The URL used when {@value #URL_ENV} is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The user used when {@value #USER_ENV} is not set. */
    public static final String DEFAULT_USER = "postgres";

    private static final String PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;
    private static final int MAX_SCHEMA_LENGTH = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static volatile Boolean available;

    private PostgresTestDatabase() {
    }

    /** The JDBC URL of the test database, as configured. */
    public static String url() {
        return env(URL_ENV, DEFAULT_URL);
    }

    /** The user, as configured. */
    public static String user() {
        return env(USER_ENV, DEFAULT_USER);
    }

    /** The password, as configured; empty if none. */
    public static String password() {
        String value = System.getenv(PASSWORD_ENV);
        return value == null ? "" : value;
    }

    /** The host of {@link #url()} (without brackets for an IPv6 literal). */
    public static String host() {
        return parse(url()).host;
    }

    /** The port of {@link #url()}; 5432 when the URL names none. */
    public static int port() {
        return parse(url()).port;
    }

    /** Whether the database answers (checked once, with a short timeout); for {@code assumeTrue}. */
    public static boolean isAvailable() {
        Boolean known = available;
        if (known == null) {
            try (Connection c = DriverManager.getConnection(withParams(url(), Map.of("connectTimeout", "3")), properties())) {
                known = c.isValid(3);
            } catch (SQLException e) {
                known = false;
            }
            available = known;
        }
        return known;
    }

    /**
     * Creates a fresh, empty schema named {@code <prefix>_<8 random hex digits>}: the prefix lower-cased,
     * every character other than {@code a-z 0-9 _} replaced by {@code _}, and cut so that the whole
     * name has at most 60 characters.
     *
     * @param prefix what the schema is for, e.g. the test class name
     * @return the schema's name (safe to use unquoted)
     */
    public static String createSchema(String prefix) {
        String schema = schemaName(prefix);
        execute("create schema " + schema);
        return schema;
    }

    /** Drops a schema and everything in it ({@code drop schema if exists ... cascade}). */
    public static void dropSchema(String schema) {
        execute("drop schema if exists " + quote(schema) + " cascade");
    }

    /** Whether the schema exists. */
    public static boolean schemaExists(String schema) {
        try (Connection c = connect(url());
             PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.schemata where schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up schema " + schema + " at " + url(), e);
        }
    }

    /** {@link #url()} with {@code currentSchema=<schema>} (replacing any {@code currentSchema} already there). */
    public static String urlFor(String schema) {
        return withParams(url(), Map.of("currentSchema", schema));
    }

    /**
     * {@link #urlFor(String)} with host and port replaced by the proxy's ({@code 127.0.0.1:<proxy port>}). The
     * library bounds the connect and every statement itself (dbcomposite.remote.connect-timeout and socket-timeout).
     *
     * @param proxy a proxy to {@link #host()}:{@link #port()}
     * @param schema the current schema, or null to keep the URL's
     * @return the URL through the proxy
     */
    public static String urlThrough(TcpProxy proxy, String schema) {
        Map<String, String> params = new LinkedHashMap<>();
        if (schema != null) {
            params.put("currentSchema", schema);
        }
        return withParams(withHostPort(url(), proxy.host(), proxy.port()), params);
    }

    /** {@code select count(*)} of a table in a schema, straight over JDBC. */
    public static long count(String schema, String table) {
        List<Map<String, Object>> result = rows(schema, "select count(*) as n from " + quote(schema) + "." + table);
        return ((Number) result.get(0).get("n")).longValue();
    }

    /**
     * Runs a query with {@code currentSchema=<schema>}, straight over JDBC.
     *
     * @param schema the schema unqualified table names resolve to
     * @param sql a query, with {@code ?} for the parameters
     * @param params the parameters, bound with {@code setObject}
     * @return one map per row, column label (as PostgreSQL reports it, normally lower case) to {@code getObject}
     */
    public static List<Map<String, Object>> rows(String schema, String sql, Object... params) {
        try (Connection c = connect(urlFor(schema))) {
            return Jdbc.query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed in schema " + schema + ": " + sql, e);
        }
    }

    /**
     * Runs a statement with {@code currentSchema=<schema>}, straight over JDBC (for test setup, or to
     * change the remote behind the library's back).
     *
     * @return the update count
     */
    public static int update(String schema, String sql, Object... params) {
        try (Connection c = connect(urlFor(schema))) {
            return Jdbc.update(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed in schema " + schema + ": " + sql, e);
        }
    }

    /** A new connection to {@code url} with the configured user and password; the caller closes it. */
    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, properties());
    }

    // ---------------------------------------------------------------- internals, package-private for tests

    static String schemaName(String prefix) {
        String clean = (prefix == null ? "" : prefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0)) && clean.charAt(0) != '_') {
            clean = "t_" + clean;
        }
        if (clean.startsWith("pg_")) {
            clean = "t_" + clean; // pg_ is reserved for system schemas
        }
        int room = MAX_SCHEMA_LENGTH - 9;
        if (clean.length() > room) {
            clean = clean.substring(0, room);
        }
        return clean + "_" + String.format("%08x", RANDOM.nextInt());
    }

    /** {@code url} with host and port replaced; the database and parameters kept. */
    static String withHostPort(String url, String host, int port) {
        Parsed p = parse(url);
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return PREFIX + "//" + h + ":" + port + "/" + p.database + (p.query.isEmpty() ? "" : "?" + p.query);
    }

    /** {@code url} with the parameters set: existing ones of the same name (case-sensitive) replaced, new ones appended. */
    static String withParams(String url, Map<String, String> params) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        Map<String, String> merged = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                merged.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? null : pair.substring(eq + 1));
            }
        }
        merged.putAll(params);
        StringBuilder sb = new StringBuilder(base);
        char sep = '?';
        for (Map.Entry<String, String> e : merged.entrySet()) {
            sb.append(sep).append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
            sep = '&';
        }
        return sb.toString();
    }

    static Parsed parse(String url) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        String path = q < 0 ? rest : rest.substring(0, q);
        if (!path.startsWith("//")) {
            return new Parsed("localhost", DEFAULT_PORT, path, query); // jdbc:postgresql:database
        }
        path = path.substring(2);
        int slash = path.indexOf('/');
        String authority = slash < 0 ? path : path.substring(0, slash);
        String database = slash < 0 ? "" : path.substring(slash + 1);
        if (authority.contains(",")) {
            throw new IllegalArgumentException("several hosts are not supported: " + url);
        }
        String host;
        int port = DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = authority.substring(1, close);
            if (authority.length() > close + 1 && authority.charAt(close + 1) == ':') {
                port = Integer.parseInt(authority.substring(close + 2));
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = Integer.parseInt(authority.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        return new Parsed(host, port, database, query);
    }

    /** The parts of a PostgreSQL JDBC URL. */
    static final class Parsed {
        final String host;
        final int port;
        final String database;
        final String query;

        Parsed(String host, int port, String database, String query) {
            this.host = host;
            this.port = port;
            this.database = database;
            this.query = query;
        }
    }

    private static void execute(String sql) {
        try (Connection c = connect(url()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed at " + url() + " as " + user(), e);
        }
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.setProperty("user", user());
        if (!password().isEmpty()) {
            props.setProperty("password", password());
        }
        return props;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
