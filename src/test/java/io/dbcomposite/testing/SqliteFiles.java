package io.dbcomposite.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The local SQLite database files of integration tests, reached over plain JDBC (independently of
 * Hibernate) to check what really landed locally.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * String localUrl = SqliteFiles.urlIn(dir, "local.db");
 * ...
 * assertThat(SqliteFiles.count(localUrl, "product")).isEqualTo(3);
 * }</pre>
 *
 * <p>Each call opens its own short connection with a busy timeout, so it can read while the library
 * holds the file open. Values come back as SQLite stores them (see {@link #rows}).
 */
public final class SqliteFiles {

    private static final String PREFIX = "jdbc:sqlite:";
    private static final String BUSY_TIMEOUT_MILLIS = "10000";

    private SqliteFiles() {
    }

    /** {@code jdbc:sqlite:<absolute path of dir/name>}. */
    public static String urlIn(Path dir, String name) {
        return PREFIX + dir.resolve(name).toAbsolutePath().normalize();
    }

    /** {@code select count(*)} of a table, straight over JDBC. */
    public static long count(String sqliteUrl, String table) {
        List<Map<String, Object>> result = rows(sqliteUrl, "select count(*) as n from " + table);
        return ((Number) result.get(0).get("n")).longValue();
    }

    /**
     * Runs a query straight over JDBC.
     *
     * @param sqliteUrl a {@code jdbc:sqlite:} URL
     * @param sql a query, with {@code ?} for the parameters
     * @param params the parameters, bound with {@code setObject}
     * @return one map per row, column label to {@code getObject}: SQLite's storage classes come back
     *         as {@code Integer}/{@code Long}, {@code Double}, {@code String} or {@code byte[]}
     */
    public static List<Map<String, Object>> rows(String sqliteUrl, String sql, Object... params) {
        try (Connection c = connect(sqliteUrl)) {
            return Jdbc.query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + sqliteUrl + ": " + sql, e);
        }
    }

    /**
     * Runs a statement straight over JDBC (for test setup, or to change the local file behind the
     * library's back).
     *
     * @return the update count
     */
    public static int update(String sqliteUrl, String sql, Object... params) {
        try (Connection c = connect(sqliteUrl)) {
            return Jdbc.update(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed on " + sqliteUrl + ": " + sql, e);
        }
    }

    /** A new connection with a busy timeout; the caller closes it. */
    public static Connection connect(String sqliteUrl) throws SQLException {
        if (!sqliteUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a SQLite JDBC URL: " + sqliteUrl);
        }
        Properties props = new Properties();
        props.setProperty("busy_timeout", BUSY_TIMEOUT_MILLIS);
        return DriverManager.getConnection(sqliteUrl, props);
    }
}
