package io.dbcomposite.internal.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;

/** Any local database but SQLite (H2 in the tests): a statement prepared per transaction, timestamps bound as such. */
final class StandardLogCustomization implements LogCustomization {

    static final StandardLogCustomization INSTANCE = new StandardLogCustomization();

    private StandardLogCustomization() {
    }

    @Override
    public PreparedStatement insert(Connection connection, int rows) throws SQLException {
        return connection.prepareStatement(SyncLogInserts.insertOf(rows));
    }

    @Override
    public void done(PreparedStatement insert) {
        close(insert);
    }

    @Override
    public void failed(Connection connection, int rows, PreparedStatement insert) {
        close(insert);
    }

    private static void close(PreparedStatement insert) {
        try {
            insert.close();
        } catch (SQLException ignored) {
            // the connection's transaction reports what went wrong
        }
    }

    @Override
    public String timestampText(Connection connection, Timestamp value, Calendar zone) {
        return null;
    }
}
