package io.dbcomposite.internal.log;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;
import org.sqlite.date.FastDateFormat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * SQLite: each multi-row insert is prepared once per physical connection and kept (sqlite-jdbc has no statement
 * cache, and parsing the statement again in every transaction was 7.5% of a one-entity write). A kept statement is only
 * ever used by the thread that holds its connection, inside that connection's transaction, and it is closed with the
 * connection. Timestamps are formatted once per transaction in the connection's date format.
 */
final class SqliteLogCustomization implements LogCustomization {

    /** SQLite connection to its prepared inserts by row count (index 1 to ROWS_PER_INSERT); guarded by itself. */
    private final Map<SQLiteConnection, PreparedStatement[]> prepared = new IdentityHashMap<>();

    /** @return true if the (pooled) connection is SQLite's */
    static boolean accepts(Connection connection) throws SQLException {
        return connection.isWrapperFor(SQLiteConnection.class);
    }

    @Override
    public PreparedStatement insert(Connection connection, int rows) throws SQLException {
        SQLiteConnection raw = connection.unwrap(SQLiteConnection.class);
        synchronized (prepared) {
            PreparedStatement[] byRows = prepared.get(raw);
            if (byRows == null) {
                // forget the statements of connections the pool has closed since
                prepared.entrySet().removeIf(e -> isClosed(e.getKey()));
                byRows = new PreparedStatement[SyncLogInserts.ROWS_PER_INSERT + 1];
                prepared.put(raw, byRows);
            }
            PreparedStatement ps = byRows[rows];
            if (ps == null || ps.isClosed()) {
                ps = raw.prepareStatement(SyncLogInserts.insertOf(rows));
                byRows[rows] = ps;
            }
            return ps;
        }
    }

    /** A kept statement keeps no payload referenced between transactions. */
    @Override
    public void done(PreparedStatement insert) {
        try {
            insert.clearParameters();
        } catch (SQLException ignored) {
            // a closed connection: the statement goes with it
        }
    }

    /**
     * sqlite-jdbc closes the native statement on most errors (no such table, disk full, I/O, a schema changed under
     * it) while isClosed() still says open: drop it, so the next transaction prepares it afresh.
     */
    @Override
    public void failed(Connection connection, int rows, PreparedStatement insert) {
        try {
            SQLiteConnection raw = connection.unwrap(SQLiteConnection.class);
            synchronized (prepared) {
                PreparedStatement[] byRows = prepared.get(raw);
                if (byRows != null && byRows[rows] == insert) {
                    byRows[rows] = null;
                }
            }
        } catch (SQLException ignored) {
            // not unwrappable any more: nothing is kept for it
        }
        try {
            insert.close();
        } catch (SQLException ignored) {
            // already closed natively
        }
    }

    /** @return the text sqlite-jdbc's {@code setTimestamp} would bind (its configured date format), or null for numbers */
    @Override
    public String timestampText(Connection connection, Timestamp value, Calendar zone) throws SQLException {
        SQLiteConnectionConfig config = connection.unwrap(SQLiteConnection.class).getConnectionConfig();
        if (config.getDateClass() != SQLiteConfig.DateClass.TEXT) {
            return null;
        }
        if (DEFAULT_DATE_FORMAT.equals(config.getDateStringFormat()) && "UTC".equals(zone.getTimeZone().getID())
                && value.getTime() >= MODERN) {
            // the form the library's pools set, in UTC, for a date of the Gregorian calendar's (FastDateFormat's
            // calendar is Julian before 1582): the same characters without FastDateFormat's calendar
            String text = TimestampText.utcMillis(value.getTime());
            if (text != null) {
                return text;
            }
        }
        return FastDateFormat.getInstance(config.getDateStringFormat(), zone.getTimeZone()).format(new java.util.Date(value.getTime()));
    }

    /** The date format the library's SQLite pools set ({@code date_string_format}). */
    private static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd HH:mm:ss.SSS";
    /** 1900-01-01T00:00:00Z in epoch milliseconds: from there on, both calendars agree. */
    private static final long MODERN = -2_208_988_800_000L;

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
