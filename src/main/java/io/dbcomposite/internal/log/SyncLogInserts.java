package io.dbcomposite.internal.log;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * Writes a transaction's changes as {@code dbc_sync_log} rows on the transaction's own connection, in multi-row
 * inserts of up to {@value #ROWS_PER_INSERT} rows, in the transaction's order (the database gives the rows of one
 * insert ascending ids in the order listed).
 */
final class SyncLogInserts {

    /** Rows a multi-row insert takes at most: one statement per 32 rows, not one execution per row. */
    static final int ROWS_PER_INSERT = 32;
    /**
     * The leading comment keeps sqlite-jdbc from running {@code SELECT last_insert_rowid()} after every execution (it
     * does so for any statement that starts with {@code insert}, to serve {@code getGeneratedKeys()}): nothing reads
     * the log rows' ids at insert, and that select was a second prepared statement in every captured commit.
     */
    private static final String INSERT_HEAD = "/* no generated keys */ insert into dbc_sync_log (tx_id, entity_name, entity_id,"
            + " operation, payload, status, attempts, created_at, synced_at, base_state) values ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";
    private static final int PARAMS_PER_ROW = 9;

    private final SqliteLogCustomization sqlite = new SqliteLogCustomization();

    static String insertOf(int rows) {
        return INSERT_HEAD + String.join(", ", java.util.Collections.nCopies(rows, ROW));
    }

    void write(Connection connection, String txId, List<SyncLogRepository.NewRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        Timestamp created = Timestamp.from(now);
        try {
            LogCustomization db = LogCustomization.of(connection, sqlite);
            // the same instant for every row: formatted once, not once a row as setTimestamp does on SQLite
            String createdText = db.timestampText(connection, created, utc);
            for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
                List<SyncLogRepository.NewRow> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
                PreparedStatement kept = db.insert(connection, chunk.size());
                try {
                    insert(kept, txId, chunk, created, createdText, utc);
                    db.done(kept);
                    continue;
                } catch (SQLException | RuntimeException stale) {
                    db.failed(connection, chunk.size(), kept);
                    if (stale instanceof SQLException sql && rolledBackTheTransaction(sql)) {
                        // SQLite may have rolled the whole transaction back: log rows alone must never commit
                        throw sql;
                    }
                    // try once more with a fresh statement (a failed insert statement left no row behind)
                }
                try (PreparedStatement fresh = connection.prepareStatement(insertOf(chunk.size()))) {
                    insert(fresh, txId, chunk, created, createdText, utc);
                }
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot write " + rows.size() + " change(s) of local transaction " + txId
                    + " to the sync log (dbc_sync_log); the transaction is rolled back: " + e.getMessage(), e);
        }
    }

    /**
     * @return true for the errors after which SQLite may roll the transaction back by itself (full disk, I/O error,
     *     corruption, out of memory, interrupt): a retry would then insert log rows in a transaction of their own
     */
    private static boolean rolledBackTheTransaction(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 7 || primary == 9 || primary == 10 || primary == 11 || primary == 13 || primary == 26;
    }



    private static void insert(PreparedStatement ps, String txId, List<SyncLogRepository.NewRow> rows, Timestamp created,
                               String createdText, Calendar utc) throws SQLException {
        for (int r = 0; r < rows.size(); r++) {
            bindRow(ps, r * PARAMS_PER_ROW, txId, rows.get(r), created, createdText, utc);
        }
        ps.executeUpdate();
    }

    private static void bindRow(PreparedStatement ps, int at, String txId, SyncLogRepository.NewRow row, Timestamp created,
                                String createdText, Calendar utc) throws SQLException {
        ps.setString(at + 1, txId);
        ps.setString(at + 2, row.entityName());
        ps.setString(at + 3, row.entityId());
        ps.setString(at + 4, row.operation().name());
        if (row.payload() == null) {
            ps.setNull(at + 5, Types.VARCHAR);
        } else {
            ps.setString(at + 5, row.payload());
        }
        ps.setString(at + 6, (row.synced() ? ChangeStatus.SYNCED : ChangeStatus.PENDING).name());
        if (createdText != null) {
            ps.setString(at + 7, createdText);
        } else {
            ps.setTimestamp(at + 7, created, utc);
        }
        if (!row.synced()) {
            ps.setNull(at + 8, Types.TIMESTAMP);
        } else if (createdText != null) {
            ps.setString(at + 8, createdText);
        } else {
            ps.setTimestamp(at + 8, created, utc);
        }
        if (row.base() == null) {
            ps.setNull(at + 9, Types.VARCHAR);
        } else {
            ps.setString(at + 9, row.base());
        }
    }
}
