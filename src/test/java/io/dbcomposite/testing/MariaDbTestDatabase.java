package io.dbcomposite.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The real MariaDB that integration tests use as the MySQL-family remote database, reached over plain JDBC
 * (independently of Hibernate). MariaDB has no schemas inside a database: each test class gets a database of its
 * own instead, which {@link #createSchema(String)} creates and {@link #dropSchema(String)} drops.
 *
 * <p>Configured by environment variables:
 * <ul>
 *   <li>{@code DBCOMPOSITE_TEST_MARIADB_URL}, default {@code jdbc:mariadb://127.0.0.1:3306/test}</li>
 *   <li>{@code DBCOMPOSITE_TEST_MARIADB_USER}, default {@code root}</li>
 *   <li>{@code DBCOMPOSITE_TEST_MARIADB_PASSWORD}, default empty</li>
 * </ul>
 */
public final class MariaDbTestDatabase {

    /** Environment variable of the JDBC URL. */
    public static final String URL_ENV = "DBCOMPOSITE_TEST_MARIADB_URL";
    /** Environment variable of the user. */
    public static final String USER_ENV = "DBCOMPOSITE_TEST_MARIADB_USER";
    /** Environment variable of the password. */
    public static final String PASSWORD_ENV = "DBCOMPOSITE_TEST_MARIADB_PASSWORD";

    /** The URL used when {@value #URL_ENV} is not set. */
    public static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    /** The user used when {@value #USER_ENV} is not set. */
    public static final String DEFAULT_USER = "root";

    private static final String PREFIX = "jdbc:mariadb://";
    private static final int DEFAULT_PORT = 3306;
    /** MariaDB allows 64 characters in a database name. */
    private static final int MAX_NAME_LENGTH = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MariaDbTestDatabase() {
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

    /** The host of {@link #url()}. */
    public static String host() {
        return authority()[0];
    }

    /** The port of {@link #url()}; 3306 when the URL names none. */
    public static int port() {
        return Integer.parseInt(authority()[1]);
    }

    /**
     * Creates a fresh, empty database named {@code <prefix>_<8 random hex digits>} (the prefix lower-cased, every
     * character other than {@code a-z 0-9 _} replaced by {@code _}, the whole at most 60 characters).
     *
     * @return the database's name (safe to use unquoted)
     */
    public static String createSchema(String prefix) {
        String clean = (prefix == null ? "" : prefix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
            clean = "t_" + clean;
        }
        if (clean.length() > MAX_NAME_LENGTH - 9) {
            clean = clean.substring(0, MAX_NAME_LENGTH - 9);
        }
        String name = clean + "_" + String.format("%08x", RANDOM.nextInt());
        execute("create database " + name + " character set utf8mb4");
        return name;
    }

    /** Drops a database and everything in it. */
    public static void dropSchema(String database) {
        execute("drop database if exists `" + database.replace("`", "``") + "`");
    }

    /** {@link #url()} pointed at another database, its parameters kept. */
    public static String urlFor(String database) {
        return PREFIX + hostPort() + "/" + database + query();
    }

    /**
     * {@link #urlFor(String)} with host and port replaced by the proxy's. The library bounds the connect and every
     * statement itself (dbcomposite.remote.connect-timeout and socket-timeout).
     */
    public static String urlThrough(TcpProxy proxy, String database) {
        String host = proxy.host().contains(":") ? "[" + proxy.host() + "]" : proxy.host();
        return PREFIX + host + ":" + proxy.port() + "/" + (database == null ? databaseOfUrl() : database) + query();
    }

    /** {@code select count(*)} of a table in a database, straight over JDBC. */
    public static long count(String database, String table) {
        return ((Number) rows(database, "select count(*) as n from " + table).get(0).get("n")).longValue();
    }

    /** Runs a query in {@code database}; one map per row, column label to {@code getObject}. */
    public static List<Map<String, Object>> rows(String database, String sql, Object... params) {
        try (Connection c = connect(urlFor(database))) {
            return Jdbc.query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed in database " + database + ": " + sql, e);
        }
    }

    /** Runs a statement in {@code database}; returns the update count. */
    public static int update(String database, String sql, Object... params) {
        try (Connection c = connect(urlFor(database))) {
            return Jdbc.update(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed in database " + database + ": " + sql, e);
        }
    }

    /** A new connection to {@code url} with the configured user and password; the caller closes it. */
    public static Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        if (!password().isEmpty()) {
            props.setProperty("password", password());
        }
        return DriverManager.getConnection(url, props);
    }

    private static void execute(String sql) {
        try (Connection c = connect(url()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed at " + url() + " as " + user(), e);
        }
    }

    private static String rest() {
        String url = url();
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a MariaDB JDBC URL (" + PREFIX + "host:port/database): " + url);
        }
        return url.substring(PREFIX.length());
    }

    private static String hostPort() {
        String rest = rest();
        int slash = rest.indexOf('/');
        int q = rest.indexOf('?');
        int end = slash >= 0 ? slash : q >= 0 ? q : rest.length();
        return rest.substring(0, end);
    }

    private static String[] authority() {
        String hp = hostPort();
        if (hp.startsWith("[")) {
            int close = hp.indexOf(']');
            String port = hp.length() > close + 1 ? hp.substring(close + 2) : String.valueOf(DEFAULT_PORT);
            return new String[] {hp.substring(1, close), port};
        }
        int colon = hp.lastIndexOf(':');
        return colon < 0 ? new String[] {hp, String.valueOf(DEFAULT_PORT)}
                : new String[] {hp.substring(0, colon), hp.substring(colon + 1)};
    }

    private static String databaseOfUrl() {
        String rest = rest();
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return "";
        }
        int q = rest.indexOf('?', slash);
        return rest.substring(slash + 1, q < 0 ? rest.length() : q);
    }

    private static String query() {
        String rest = rest();
        int q = rest.indexOf('?');
        return q < 0 ? "" : rest.substring(q);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
