package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;
import org.sqlite.date.FastDateFormat;

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
 * <p>The rows go in multi-row inserts of up to {@value #ROWS_PER_INSERT} rows, in the transaction's order
 * (SQLite gives the rows of one insert ascending ids in the order listed). On SQLite each insert is prepared
 * once per physical connection and kept: sqlite-jdbc has no statement cache, and parsing the statement again
 * in every transaction was 7.5% of a one-entity write. A kept statement is only ever used by the thread that
 * holds its connection, inside that connection's transaction, and it is closed with the connection.
 */
final class SyncLogWriter {

    /** Rows a multi-row insert takes at most: one statement per 32 rows, not one execution per row. */
    static final int ROWS_PER_INSERT = 32;
    private static final String INSERT_HEAD = "insert into dbc_sync_log (tx_id, entity_name, entity_id, operation,"
            + " payload, status, attempts, created_at, synced_at) values ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, 0, ?, ?)";
    private static final int PARAMS_PER_ROW = 8;

    /** SQLite connection to its prepared inserts by row count (index 1 to ROWS_PER_INSERT); guarded by itself. */
    private final Map<SQLiteConnection, PreparedStatement[]> prepared = new IdentityHashMap<>();

    SyncLogWriter() {
    }

    static String insertOf(int rows) {
        return INSERT_HEAD + String.join(", ", java.util.Collections.nCopies(rows, ROW));
    }

    /** @return the SQLite connection behind a (pooled) connection, or null for another database */
    private static SQLiteConnection sqliteOf(Connection connection) throws SQLException {
        return connection.isWrapperFor(SQLiteConnection.class) ? connection.unwrap(SQLiteConnection.class) : null;
    }

    /** @return the kept insert of {@code rows} rows of this SQLite connection */
    private PreparedStatement keptInsert(SQLiteConnection raw, int rows) throws SQLException {
        synchronized (prepared) {
            PreparedStatement[] byRows = prepared.get(raw);
            if (byRows == null) {
                // forget the statements of connections the pool has closed since
                prepared.entrySet().removeIf(e -> isClosed(e.getKey()));
                byRows = new PreparedStatement[ROWS_PER_INSERT + 1];
                prepared.put(raw, byRows);
            }
            PreparedStatement ps = byRows[rows];
            if (ps == null || ps.isClosed()) {
                ps = raw.prepareStatement(insertOf(rows));
                byRows[rows] = ps;
            }
            return ps;
        }
    }

    /** Drops a kept insert that failed, so the next transaction on this connection prepares it afresh. */
    private void forget(SQLiteConnection raw, int rows, PreparedStatement failed) {
        synchronized (prepared) {
            PreparedStatement[] byRows = prepared.get(raw);
            if (byRows != null && byRows[rows] == failed) {
                byRows[rows] = null;
            }
        }
        try {
            failed.close();
        } catch (SQLException ignored) {
            // already closed natively
        }
    }

    /**
     * @return the text sqlite-jdbc's {@code setTimestamp} would bind for {@code value} on this connection (its
     *     configured date format), or null if the connection stores dates as numbers
     */
    private static String sqliteText(SQLiteConnection raw, Timestamp value, Calendar zone) {
        SQLiteConnectionConfig config = raw.getConnectionConfig();
        if (config.getDateClass() != SQLiteConfig.DateClass.TEXT) {
            return null;
        }
        return FastDateFormat.getInstance(config.getDateStringFormat(), zone.getTimeZone())
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
        try {
            SQLiteConnection sqlite = sqliteOf(connection);
            // the same instant for every row: formatted once, not once a row as setTimestamp does on SQLite
            String createdText = sqlite != null ? sqliteText(sqlite, created, utc) : null;
            for (int from = 0; from < changes.size(); from += ROWS_PER_INSERT) {
                List<ChangeBuffer.Change> chunk = changes.subList(from, Math.min(changes.size(), from + ROWS_PER_INSERT));
                if (sqlite != null) {
                    PreparedStatement kept = keptInsert(sqlite, chunk.size());
                    try {
                        insert(kept, chunk, buffer, created, createdText, utc);
                        clear(kept);
                        continue;
                    } catch (SQLException | RuntimeException stale) {
                        // sqlite-jdbc closes the native statement on most errors (no such table, disk full, I/O, a
                        // schema changed under it) while isClosed() still says open: drop it, and try once more
                        // with a fresh statement (a failed insert statement left no row behind)
                        forget(sqlite, chunk.size(), kept);
                    }
                }
                try (PreparedStatement fresh = connection.prepareStatement(insertOf(chunk.size()))) {
                    insert(fresh, chunk, buffer, created, createdText, utc);
                }
            }
            if (buffer.wantsLogIds()) {
                rememberIds(connection, buffer, changes.size());
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot write " + changes.size() + " change(s) of local transaction " + buffer.txId()
                    + " to the sync log (dbc_sync_log); the transaction is rolled back: " + e.getMessage(), e);
        }
    }

    private static void insert(PreparedStatement ps, List<ChangeBuffer.Change> rows, ChangeBuffer buffer, Timestamp created,
                               String createdText, Calendar utc) throws SQLException {
        for (int r = 0; r < rows.size(); r++) {
            bindRow(ps, r * PARAMS_PER_ROW, rows.get(r), buffer, created, createdText, utc);
        }
        ps.executeUpdate();
    }

    private static void bindRow(PreparedStatement ps, int at, ChangeBuffer.Change c, ChangeBuffer buffer, Timestamp created,
                                String createdText, Calendar utc) throws SQLException {
        EntityPersister p = c.persister();
        boolean synced = buffer.isSynced(c);
        ps.setString(at + 1, buffer.txId());
        ps.setString(at + 2, p.getJpaEntityName());
        ps.setString(at + 3, c.entityId());
        ps.setString(at + 4, c.operation().name());
        if (c.payload() == null) {
            ps.setNull(at + 5, Types.VARCHAR);
        } else {
            ps.setString(at + 5, c.payload());
        }
        ps.setString(at + 6, (synced ? ChangeStatus.SYNCED : ChangeStatus.PENDING).name());
        if (createdText != null) {
            ps.setString(at + 7, createdText);
        } else {
            ps.setTimestamp(at + 7, created, utc);
        }
        if (!synced) {
            ps.setNull(at + 8, Types.TIMESTAMP);
        } else if (createdText != null) {
            ps.setString(at + 8, createdText);
        } else {
            ps.setTimestamp(at + 8, created, utc);
        }
    }

    /** A kept statement keeps no payload referenced between transactions. */
    private static void clear(PreparedStatement kept) {
        try {
            kept.clearParameters();
        } catch (SQLException ignored) {
            // a closed connection: the statement goes with it
        }
    }
}
