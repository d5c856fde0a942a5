package io.dbcomposite.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A LOCAL database and a REMOTE database the scenario suites run against: how to make a fresh local store in a
 * folder, a fresh remote schema (a database of its own on MariaDB), the remote's URL through a {@link TcpProxy},
 * and plain-JDBC helpers on both sides that do not go through the library. Result maps have lower-case column
 * labels on every database (H2 reports upper case).
 */
public enum DatabasePair {

    /** The default pair: a SQLite file and PostgreSQL. */
    SQLITE_POSTGRESQL(LocalKind.SQLITE, RemoteKind.POSTGRESQL),
    /** A SQLite file and MariaDB, the MySQL-family remote. */
    SQLITE_MARIADB(LocalKind.SQLITE, RemoteKind.MARIADB),
    /** An H2 file and PostgreSQL. */
    H2_POSTGRESQL(LocalKind.H2, RemoteKind.POSTGRESQL);

    /** A local store: the URL and credentials the unit opens it with. */
    public record LocalStore(String url, String user, String password) {
    }

    private enum LocalKind { SQLITE, H2 }

    private enum RemoteKind { POSTGRESQL, MARIADB }

    private final LocalKind local;
    private final RemoteKind remote;

    DatabasePair(LocalKind local, RemoteKind remote) {
        this.local = local;
        this.remote = remote;
    }

    // ---- local ----------------------------------------------------------------------------------------

    /** A new, empty local store named {@code name} in {@code dir}. */
    public LocalStore newLocal(Path dir, String name) {
        return switch (local) {
            case SQLITE -> new LocalStore(SqliteFiles.urlIn(dir, name + ".db"), null, null);
            case H2 -> new LocalStore("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath().normalize(), "sa", "");
        };
    }

    /**
     * Whether the local database makes writers take turns for the whole transaction, so that sync-log ids commit in
     * id order under concurrent writers (SQLite's IMMEDIATE transactions); H2 does not.
     */
    public boolean localSerialisesWriters() {
        return local == LocalKind.SQLITE;
    }

    /** A query on the local store, over a short connection of its own. */
    public List<Map<String, Object>> localRows(LocalStore store, String sql, Object... params) {
        try (Connection c = connectLocal(store)) {
            return lowerCase(Jdbc.query(c, sql, params));
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + store.url() + ": " + sql, e);
        }
    }

    /** A statement on the local store, over a short connection of its own; the update count. */
    public int localUpdate(LocalStore store, String sql, Object... params) {
        try (Connection c = connectLocal(store)) {
            return Jdbc.update(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed on " + store.url() + ": " + sql, e);
        }
    }

    /**
     * As a crash between the remote commit and the local SYNCED marks leaves the log: these rows PENDING again and, on
     * SQLite, the log's floor below them (it moves only after the marks landed).
     *
     * @return how many rows are PENDING again
     */
    public int unmarkSynced(LocalStore store, String where) {
        int reset = localUpdate(store, "update dbc_sync_log set status = 'PENDING', synced_at = null where " + where);
        if (local == LocalKind.SQLITE) {
            localUpdate(store, "update dbc_sync_floor set next_id = 0");
        }
        return reset;
    }

    /** A new connection to the local store; the caller closes it. */
    public Connection connectLocal(LocalStore store) throws SQLException {
        if (local == LocalKind.SQLITE) {
            return SqliteFiles.connect(store.url());
        }
        Properties props = new Properties();
        props.setProperty("user", store.user());
        props.setProperty("password", store.password());
        return DriverManager.getConnection(store.url(), props);
    }

    /** How the local side stores a UUID, for a bound parameter: SQLite a 16-byte blob, H2 its uuid type. */
    public Object localUuid(UUID id) {
        if (local == LocalKind.H2) {
            return id;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return b.array();
    }

    // ---- remote ---------------------------------------------------------------------------------------

    /** Creates a fresh, empty remote schema (a database on MariaDB); returns its name. */
    public String createRemote(String prefix) {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.createSchema(prefix) : MariaDbTestDatabase.createSchema(prefix);
    }

    /** Drops a remote schema made by {@link #createRemote(String)}. */
    public void dropRemote(String schema) {
        if (remote == RemoteKind.POSTGRESQL) {
            PostgresTestDatabase.dropSchema(schema);
        } else {
            MariaDbTestDatabase.dropSchema(schema);
        }
    }

    public String remoteHost() {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.host() : MariaDbTestDatabase.host();
    }

    public int remotePort() {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.port() : MariaDbTestDatabase.port();
    }

    public String remoteUser() {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.user() : MariaDbTestDatabase.user();
    }

    public String remotePassword() {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.password() : MariaDbTestDatabase.password();
    }

    /** The remote schema's URL, reached directly. */
    public String remoteUrl(String schema) {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.urlFor(schema) : MariaDbTestDatabase.urlFor(schema);
    }

    /** The remote schema's URL through a proxy to {@link #remoteHost()}:{@link #remotePort()}. */
    public String remoteUrlThrough(TcpProxy proxy, String schema) {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.urlThrough(proxy, schema)
                : MariaDbTestDatabase.urlThrough(proxy, schema);
    }

    /** Whether the remote is MariaDB. */
    public boolean remoteIsMariaDb() {
        return remote == RemoteKind.MARIADB;
    }

    /** A query in the remote schema, straight over JDBC. */
    public List<Map<String, Object>> remoteRows(String schema, String sql, Object... params) {
        return lowerCase(remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.rows(schema, sql, params)
                : MariaDbTestDatabase.rows(schema, sql, params));
    }

    /** A statement in the remote schema, straight over JDBC; the update count. */
    public int remoteUpdate(String schema, String sql, Object... params) {
        return remote == RemoteKind.POSTGRESQL ? PostgresTestDatabase.update(schema, sql, params)
                : MariaDbTestDatabase.update(schema, sql, params);
    }

    /** A UUID as a bound parameter the remote compares with its uuid column. */
    public Object remoteUuid(UUID id) {
        return remote == RemoteKind.POSTGRESQL ? id : id.toString();
    }

    /** The SQL expression of the current time on the remote. */
    public String remoteNow() {
        return remote == RemoteKind.POSTGRESQL ? "now()" : "current_timestamp(6)";
    }

    @Override
    public String toString() {
        return local.name().charAt(0) + local.name().substring(1).toLowerCase(Locale.ROOT) + "+"
                + (remote == RemoteKind.POSTGRESQL ? "PostgreSQL" : "MariaDB");
    }

    private static List<Map<String, Object>> lowerCase(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Object> out = new LinkedHashMap<>();
            row.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
            return Collections.unmodifiableMap(out);
        }).toList();
    }
}
