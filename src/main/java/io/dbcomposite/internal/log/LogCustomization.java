package io.dbcomposite.internal.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * What writing the log needs that differs per local database: how a multi-row insert is prepared (and kept), and how a
 * timestamp is bound. The repository picks one per connection ({@link #of(Connection)}).
 */
interface LogCustomization {

    /** @return the multi-row insert of {@code rows} rows on this connection */
    PreparedStatement insert(Connection connection, int rows) throws SQLException;

    /** The insert ran: keep it for the next transaction, or close it. */
    void done(PreparedStatement insert);

    /** The insert failed: never use it again. */
    void failed(Connection connection, int rows, PreparedStatement insert);

    /**
     * @return the text to bind for a timestamp the way the driver would (formatted once for every row of a
     *     transaction), or null to bind it with {@code setTimestamp}
     */
    String timestampText(Connection connection, Timestamp value, Calendar zone) throws SQLException;

    /** @return the customization for this connection's database */
    static LogCustomization of(Connection connection, SqliteLogCustomization sqlite) throws SQLException {
        return SqliteLogCustomization.accepts(connection) ? sqlite : StandardLogCustomization.INSTANCE;
    }
}
