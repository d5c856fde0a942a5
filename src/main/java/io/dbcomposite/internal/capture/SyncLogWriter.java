package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * Writes a transaction's buffered changes as {@code dbc_sync_log} rows on the transaction's own connection.
 *
 * <p>On SQLite the insert is prepared once per physical connection and kept: sqlite-jdbc has no statement
 * cache, and parsing the statement again in every transaction was 7.5% of a one-entity write. The statement
 * is only ever used by the thread that holds its connection, inside that connection's transaction, and it
 * is closed with the connection.
 */
final class SyncLogWriter {

    /** SQLite connection to its prepared insert; guarded by itself. */
    private final Map<Connection, PreparedStatement> prepared = new IdentityHashMap<>();

    static final String INSERT = "insert into dbc_sync_log (tx_id, entity_name, entity_id, operation, payload, status,"
            + " attempts, created_at, synced_at) values (?, ?, ?, ?, ?, ?, 0, ?, ?)";

    SyncLogWriter() {
    }

    /** @return the kept insert of a SQLite connection, or null for another database (prepare it per use) */
    private PreparedStatement keptInsert(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(org.sqlite.SQLiteConnection.class)) {
            return null;
        }
        Connection raw = connection.unwrap(org.sqlite.SQLiteConnection.class);
        synchronized (prepared) {
            PreparedStatement ps = prepared.get(raw);
            if (ps != null && !ps.isClosed()) {
                return ps;
            }
            // forget the statements of connections the pool has closed since
            prepared.entrySet().removeIf(e -> isClosed(e.getKey()));
            ps = raw.prepareStatement(INSERT);
            prepared.put(raw, ps);
            return ps;
        }
    }

    /**
     * @return the text sqlite-jdbc's {@code setTimestamp} would bind for {@code value} on this connection (its
     *     configured date format), or null if the connection stores dates as numbers
     */
    private static String sqliteText(Connection connection, Timestamp value, Calendar zone) throws SQLException {
        org.sqlite.SQLiteConnectionConfig config = connection.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig();
        if (config.getDateClass() != org.sqlite.SQLiteConfig.DateClass.TEXT) {
            return null;
        }
        return org.sqlite.date.FastDateFormat.getInstance(config.getDateStringFormat(), zone.getTimeZone())
                .format(new java.util.Date(value.getTime()));
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** One transaction's rows are inserted together under the write lock, so they are contiguous. */
    private static void rememberIds(Connection connection, ChangeBuffer buffer, int count) throws SQLException {
        try (PreparedStatement last = connection.prepareStatement("select max(id) from dbc_sync_log");
             java.sql.ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                buffer.written(rs.getLong(1) - count + 1, rs.getLong(1));
            }
        }
    }

    void write(SharedSessionContractImplementor session, ChangeBuffer buffer, Instant now) {
        List<ChangeBuffer.Change> changes = buffer.toWrite();
        if (changes.isEmpty()) {
            return;
        }
        Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        Timestamp created = Timestamp.from(now);
        PreparedStatement kept = null;
        PreparedStatement ps = null;
        try {
            kept = keptInsert(connection);
            ps = kept != null ? kept : connection.prepareStatement(INSERT);
            // the same instant for every row: formatted once, not once a row as setTimestamp does on SQLite
            String createdText = kept != null ? sqliteText(connection, created, utc) : null;
            for (ChangeBuffer.Change c : changes) {
                EntityPersister p = c.persister();
                String name = p.getJpaEntityName();
                boolean synced = buffer.isSynced(p.getEntityName());
                ps.setString(1, buffer.txId());
                ps.setString(2, name);
                ps.setString(3, c.entityId());
                ps.setString(4, c.operation().name());
                if (c.payload() == null) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, c.payload());
                }
                ps.setString(6, (synced ? ChangeStatus.SYNCED : ChangeStatus.PENDING).name());
                if (createdText != null) {
                    ps.setString(7, createdText);
                } else {
                    ps.setTimestamp(7, created, utc);
                }
                if (synced && createdText != null) {
                    ps.setString(8, createdText);
                } else if (synced) {
                    ps.setTimestamp(8, created, utc);
                } else {
                    ps.setNull(8, Types.TIMESTAMP);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            if (buffer.wantsLogIds()) {
                rememberIds(connection, buffer, changes.size());
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot write " + changes.size() + " change(s) of local transaction " + buffer.txId()
                    + " to the sync log (dbc_sync_log); the transaction is rolled back: " + e.getMessage(), e);
        } finally {
            release(ps, kept != null);
        }
    }

    private static void release(PreparedStatement ps, boolean kept) {
        if (ps == null) {
            return;
        }
        try {
            if (kept) {
                ps.clearBatch(); // a failed batch leaves nothing behind for the next transaction
                ps.clearParameters();
            } else {
                ps.close();
            }
        } catch (SQLException ignored) {
            // a closed connection: the statement goes with it
        }
    }
}
