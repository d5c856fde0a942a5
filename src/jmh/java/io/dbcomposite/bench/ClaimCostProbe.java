package io.dbcomposite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A diagnostic for the backlog-1m row (not part of the measured suite): what one claim page (the sync engine's
 * query for the next 500 due changes) costs on SQLite as a function of the number of PENDING rows: the engine's
 * query on the sync log as the library creates it (fresh changes from the floor up by rowid, the others off the
 * partial index of rows with an error), the previous version's query once an index on {@code (status, id)} exists,
 * and a primary-key range from the cursor (no index).
 *
 * <p>The sync log of a fresh composite unit is filled with {@code rows} PENDING rows by SQL (not through the
 * capture, which would take minutes); then, for shrinking backlogs, every row before the first pending one is
 * marked SYNCED, as a drain in progress leaves them, and each query is timed (best of 7) from that point. The
 * backlog is filled twice: once for the library's schema, once with the extra index.
 * Arguments: {@code [rows=1000000]}.
 */
public final class ClaimCostProbe {

    static final String COLUMNS = "id, tx_id, entity_name, entity_id, operation, payload, status, attempts, next_attempt_at";
    /** The query of {@code SyncLogRepository.candidates} on SQLite (cursor, limit, cursor, limit); merged by id in Java. */
    static final String ENGINE = "select * from (select " + COLUMNS + ", 1 from dbc_sync_log where id > max(?, coalesce((select"
            + " next_id from dbc_sync_floor where id = 1), 0) - 1) and status = 'PENDING' and last_error is null order by id"
            + " limit ?) union all select * from (select " + COLUMNS + ", 0 from dbc_sync_log where last_error is not null and"
            + " status in ('PENDING', 'FAILED') and id > ? order by id limit ?)";
    /** The same with the outer {@code order by 1 limit ?} it had until 2026-12-06 (a sorter holding the whole page). */
    static final String ENGINE_SORTED = ENGINE + " order by 1 limit ?";
    /** The previous version's claim, over its {@code (status, id)} index (cursor, limit). */
    static final String PREVIOUS = "select " + COLUMNS + " from dbc_sync_log where status in ('PENDING', 'FAILED') and id > ? order by id limit ?";
    /** The primary key range from the cursor, the status index disabled with a unary plus. */
    static final String BY_ID = "select " + COLUMNS + " from dbc_sync_log where +status in ('PENDING', 'FAILED') and id > ? order by id limit ?";

    private ClaimCostProbe() {
    }

    public static void main(String[] args) throws SQLException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int[] pendings = {rows, rows / 2, rows / 10, rows / 100};
        double[][] ms = new double[4][pendings.length];
        for (int variant = 0; variant < 2; variant++) {
            try (BenchDatabases db = BenchDatabases.create("claim_cost")) {
                db.composite(false, null);
                String payload = "{\"createdAt\":\"2023-11-14T22:13:20.001Z\",\"name\":\"item-1\",\"price\":\"1.01\","
                        + "\"quantity\":1,\"version\":0}";
                db.sqliteExecute("with recursive n(i) as (select 1 union all select i + 1 from n where i < " + rows + ")"
                        + " insert into dbc_sync_log (id, tx_id, entity_name, entity_id, operation, payload, status, attempts,"
                        + " created_at) select i, 'tx-' || (i / 500), 'BenchItem', cast(i as text), 'INSERT', '" + payload
                        + "', 'PENDING', 0, '2026-01-01 00:00:00.000' from n");
                if (variant == 1) {
                    db.sqliteExecute("create index probe_status_id on dbc_sync_log (status, id)");
                }
                try (Connection c = db.sqlite()) {
                    String query = variant == 0 ? ENGINE : PREVIOUS;
                    System.out.printf(Locale.ROOT, "%s: %s%n", variant == 0 ? "engine query, library schema"
                            : "previous engine query with an index on (status, id)", plan(c, query));
                    if (variant == 0) {
                        System.out.printf(Locale.ROOT, "by id (+status): %s%n", plan(c, BY_ID));
                    }
                    for (int p = 0; p < pendings.length; p++) {
                        long first = (long) rows - pendings[p] + 1;
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("update dbc_sync_log set status = 'SYNCED' where status = 'PENDING' and id < " + first);
                            // as the engine leaves it after the run that marked them
                            s.executeUpdate("update dbc_sync_floor set next_id = " + first);
                        }
                        ms[variant][p] = best(c, query, first - 1);
                        if (variant == 0) {
                            ms[2][p] = best(c, BY_ID, first - 1);
                            ms[3][p] = best(c, ENGINE_SORTED, first - 1);
                        }
                    }
                }
            }
        }
        System.out.println("| pending rows | engine query, library schema (ms/page) | the same with an outer order by |"
                + " previous query, index on (status, id) | by id (+status) |");
        System.out.println("|---|---|---|---|---|");
        for (int p = 0; p < pendings.length; p++) {
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f | %.2f |%n", pendings[p], ms[0][p], ms[3][p], ms[1][p],
                    ms[2][p]);
        }
        System.exit(0);
    }

    private static String plan(Connection c, String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("explain query plan " + sql.replace("?", "0"))) {
            while (rs.next()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(rs.getString(4));
            }
        }
        return sb.toString();
    }

    /** @return the best of 7 runs of one page, in ms */
    private static double best(Connection c, String sql, long cursor) throws SQLException {
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 7; k++) {
            long t0 = System.nanoTime();
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, cursor);
                ps.setInt(2, BenchDatabases.BATCH);
                if (sql == ENGINE || sql == ENGINE_SORTED) {
                    ps.setLong(3, cursor);
                    ps.setInt(4, BenchDatabases.BATCH);
                }
                if (sql == ENGINE_SORTED) {
                    ps.setInt(5, BenchDatabases.BATCH);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n += rs.getString(6).length() > 0 ? 1 : 0; // the payload read, as the engine reads it
                    }
                }
            }
            best = Math.min(best, System.nanoTime() - t0);
            if (n != BenchDatabases.BATCH) {
                throw new IllegalStateException("a page of " + n + " rows");
            }
        }
        return best / 1e6;
    }
}
