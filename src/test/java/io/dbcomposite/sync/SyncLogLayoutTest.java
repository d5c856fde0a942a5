package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.internal.log.SyncLogRepository;
import io.dbcomposite.testing.CapturedLogs;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sync log's layout on SQLite (issue 15): a local commit writes the log's table page and no index page. Fresh
 * changes (PENDING, no error) are read from a floor up in rowid order; changes with an error (FAILED, DEAD, CONFLICT,
 * and PENDING ones held back behind those) are in the partial index {@code dbc_sync_log_errors}. These tests pin
 * the promises that layout makes: the plan of each read, the floor's moves, held-back changes that the floor
 * passes, a log created again under an old floor, and a log from before the layout.
 */
class SyncLogLayoutTest extends SyncTestBase {

    @org.junit.jupiter.api.BeforeEach
    void everythingSynced() {
        // the tests share one unit: each starts from a log with nothing pending
        assertThat(emf.sync().remaining()).isZero();
    }

    private static Product product(String sku, String price) {
        return new Product(sku, "Product " + sku, new BigDecimal(price), Category.BOOKS);
    }

    /** Commits {@code n} products, SKUs {@code prefix0} and on, in one transaction of {@code unit}. */
    private static void persistProducts(CompositeEntityManagerFactory unit, String prefix, int n) {
        inTransaction(unit, em -> {
            for (int i = 0; i < n; i++) {
                em.persist(product(prefix + i, "1.00"));
            }
        });
    }

    private long floor() {
        return ((Number) SqliteFiles.rows(localUrl, "select next_id from dbc_sync_floor where id = 1").get(0).get("next_id"))
                .longValue();
    }

    private long maxLogId() {
        return ((Number) SqliteFiles.rows(localUrl, "select coalesce(max(id), 0) as m from dbc_sync_log").get(0).get("m"))
                .longValue();
    }

    private List<String> planOf(String sql, Object... params) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : SqliteFiles.rows(localUrl, "explain query plan " + sql, params)) {
            out.add(String.valueOf(row.get("detail")));
        }
        return out;
    }

    @Test
    void the_log_has_one_index_and_it_holds_only_rows_with_an_error() {
        List<Map<String, Object>> indexes = SqliteFiles.rows(localUrl,
                "select name, sql from sqlite_master where type = 'index' and tbl_name = 'dbc_sync_log'");
        assertThat(SqliteFiles.rows(localUrl, "select name from sqlite_master where type = 'trigger' and tbl_name = 'dbc_sync_log'"))
                .as("a trigger on deletes only").extracting(r -> r.get("name")).containsExactly("dbc_sync_floor_on_delete");

        assertThat(indexes).singleElement().satisfies(i -> {
            assertThat(i.get("name")).isEqualTo("dbc_sync_log_errors");
            assertThat(String.valueOf(i.get("sql")).toLowerCase()).endsWith("where last_error is not null");
        });
        assertThat(SqliteFiles.rows(localUrl, "select sql from sqlite_master where name = 'dbc_sync_log'").get(0).get("sql")
                .toString().toLowerCase()).as("the id is the rowid (no index of its own)").contains("id integer");

        assertThat(SqliteFiles.rows(localUrl, "select sql from sqlite_master where name = 'dbc_sync_floor_on_delete'")
                .get(0).get("sql").toString().toLowerCase()).contains("after delete on dbc_sync_log");
    }

    /**
     * A page holds the first changes by id of both parts, fresh and with an error, interleaved (the statement returns
     * each part in id order, the repository merges them), and never more than the limit.
     */
    @Test
    void a_page_is_the_first_changes_by_id_of_both_parts_merged() {
        long top = maxLogId();
        persistProducts(emf, "page-", 10);
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> r : SqliteFiles.rows(localUrl, "select id from dbc_sync_log where id > " + top + " order by id")) {
            ids.add(((Number) r.get("id")).longValue());
        }
        assertThat(ids).hasSize(10);
        // the 2nd and 3rd held back with an error, the 7th FAILED and due: read off the partial index
        SqliteFiles.update(localUrl, "update dbc_sync_log set last_error = 'held' where id in (?, ?)", ids.get(1), ids.get(2));
        SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'FAILED', last_error = 'refused', next_attempt_at = null"
                + " where id = ?", ids.get(6));
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl(localUrl);
        SyncLogRepository log = new SyncLogRepository(file);
        log.prepare("pages");
        try {
            for (int limit : new int[] {1, 2, 3, 4, 7, 10, 50}) {
                List<Long> page = new ArrayList<>();
                List<Boolean> fresh = new ArrayList<>();
                log.candidates(top, limit).forEach(c -> {
                    page.add(c.id());
                    fresh.add(c.fresh());
                });
                assertThat(page).as("a page of %d", limit).containsExactlyElementsOf(ids.subList(0, Math.min(limit, 10)));
                for (int i = 0; i < page.size(); i++) {
                    assertThat(fresh.get(i)).as("change %d read as fresh", i).isEqualTo(i != 1 && i != 2 && i != 6);
                }
            }
            assertThat(log.candidates(ids.get(2), 3)).extracting(c -> c.id())
                    .as("after a cursor").containsExactly(ids.get(3), ids.get(4), ids.get(5));
        } finally {
            SqliteFiles.update(localUrl, "update dbc_sync_log set last_error = null, status = 'PENDING' where id in (?, ?, ?)",
                    ids.get(1), ids.get(2), ids.get(6));
        }
    }

    /**
     * A page read gives back every column as stored. A fresh row as the capture wrote it (no attempt, none due) is read
     * without its status, attempts and next attempt, so this pins that the shortcut is taken only for such rows: fresh
     * rows with attempts or a due time written on them (by an older version, or by hand) keep theirs. Text columns
     * come back character for character, outside ASCII included.
     */
    @Test
    void a_page_read_gives_back_every_column_as_stored_for_rows_as_new_and_fresh_rows_with_attempts() {
        long top = maxLogId();
        persistProducts(emf, "cols-", 3);
        List<Map<String, Object>> stored = SqliteFiles.rows(localUrl, "select * from dbc_sync_log where id > " + top + " order by id");
        assertThat(stored).hasSize(3);
        long first = ((Number) stored.get(0).get("id")).longValue();
        long second = ((Number) stored.get(1).get("id")).longValue();
        long third = ((Number) stored.get(2).get("id")).longValue();
        String payload = String.valueOf(stored.get(0).get("payload"));
        // fresh (PENDING, no error) but not as new: attempts on one, a due time on the other
        SqliteFiles.update(localUrl, "update dbc_sync_log set attempts = 3 where id = ?", second);
        SqliteFiles.update(localUrl, "update dbc_sync_log set next_attempt_at = '2030-01-02 03:04:05.678', entity_id = ?,"
                + " base_state = ? where id = ?", "Grüße-€-\uD83D\uDE00", "{\"name\":\"Ærø ✓\"}", third);
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl(localUrl);
        SyncLogRepository log = new SyncLogRepository(file);
        log.prepare("columns");
        try {
            List<io.dbcomposite.internal.log.LoggedChange> page = log.candidates(top, 10);
            assertThat(page).extracting(io.dbcomposite.internal.log.LoggedChange::id).containsExactly(first, second, third);
            for (int i = 0; i < 3; i++) {
                io.dbcomposite.internal.log.LoggedChange c = page.get(i);
                assertThat(c.txId()).isEqualTo(stored.get(i).get("tx_id"));
                assertThat(c.entityName()).isEqualTo(stored.get(i).get("entity_name"));
                assertThat(c.operation()).isEqualTo(io.dbcomposite.ChangeOperation.INSERT);
                assertThat(c.status()).isEqualTo(io.dbcomposite.ChangeStatus.PENDING);
                assertThat(c.fresh()).isTrue();
            }
            assertThat(page.get(0).payload()).isEqualTo(payload);
            assertThat(page.get(0).entityId()).isEqualTo(stored.get(0).get("entity_id"));
            assertThat(page.get(0).attempts()).isZero();
            assertThat(page.get(0).nextAttemptAt()).isNull();
            assertThat(page.get(0).base()).isNull();
            assertThat(page.get(1).attempts()).as("a fresh row's attempts").isEqualTo(3);
            assertThat(page.get(1).nextAttemptAt()).isNull();
            assertThat(page.get(2).attempts()).isZero();
            assertThat(page.get(2).nextAttemptAt()).as("a fresh row's due time")
                    .isEqualTo(java.time.Instant.parse("2030-01-02T03:04:05.678Z"));
            assertThat(page.get(2).entityId()).isEqualTo("Grüße-€-\uD83D\uDE00");
            assertThat(page.get(2).base()).isEqualTo("{\"name\":\"Ærø ✓\"}");
        } finally {
            // as the capture wrote them again: the next test's first sync replays them
            SqliteFiles.update(localUrl, "update dbc_sync_log set attempts = 0, next_attempt_at = null, entity_id = ?,"
                    + " base_state = null where id = ?", stored.get(2).get("entity_id"), third);
            SqliteFiles.update(localUrl, "update dbc_sync_log set attempts = 0 where id = ?", second);
        }
    }

    /** @return the URL of a new SQLite file made UTF-16 (its encoding is fixed by its first table) */
    private String utf16File(String prefix) throws java.sql.SQLException {
        String url = SqliteFiles.urlIn(dir, prefix + java.util.UUID.randomUUID() + ".db");
        try (java.sql.Connection c = SqliteFiles.connect(url); java.sql.Statement st = c.createStatement()) {
            st.execute("pragma encoding = 'UTF-16le'");
            st.execute("create table made_utf16 (id integer primary key)");
        }
        return url;
    }

    /**
     * A SQLite file made UTF-16 ({@code pragma encoding} before its first table) hands out a text column's bytes in
     * that encoding: the log's page read, which reads a UTF-8 file's text as bytes, reads this one as text, and its
     * changes replay with every character, outside the BMP included.
     */
    @Test
    void a_utf16_sqlite_file_replays_its_changes_with_every_character() throws Exception {
        String url = utf16File("utf16-");
        assertThat(SqliteFiles.rows(url, "pragma encoding").get(0).values()).containsExactly("UTF-16le");
        String schema = PostgresTestDatabase.createSchema("utf16");
        try (CompositeEntityManagerFactory unit = openUnit("utf16", url, schema, "create", b -> b)) {
            inTransaction(unit, em -> {
                em.persist(new Product("ü-1", "Grüße € \uD83D\uDE00 ✓", new BigDecimal("1.00"), Category.BOOKS));
                em.persist(new Product("ü-2", "Ærø", new BigDecimal("2.00"), Category.BOOKS));
            });
            SyncResult result = unit.sync();
            assertThat(result.failed()).isZero();
            assertThat(result.remaining()).isZero();
            assertRemoteEqualsLocal(unit, url, schema);
            try (var em = unit.createEntityManager()) {
                assertThat(em.createQuery("select p.name from Product p where p.sku = 'ü-1'", String.class)
                        .getSingleResult()).isEqualTo("Grüße € \uD83D\uDE00 ✓");
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    /**
     * A file restored in place from a UTF-16 backup ({@code restore from}) takes the backup's encoding: the log's
     * reader, which read it as UTF-8 before, reads the restored rows as stored (the encoding is asked at every read).
     */
    @Test
    void a_log_file_restored_in_place_from_a_utf16_backup_is_read_as_stored() throws Exception {
        String backup = utf16File("backup16-");
        String schema = PostgresTestDatabase.createSchema("backup16");
        try (CompositeEntityManagerFactory unit = openUnit("backup16", backup, schema, "create", b -> b)) {
            inTransaction(unit, em -> em.persist(new Product("ü-r", "Grüße \uD83D\uDE00", new BigDecimal("1.00"), Category.BOOKS)));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
        // a UTF-8 file with the same tables and an empty log, read once before the restore
        String live = SqliteFiles.urlIn(dir, "live8-" + java.util.UUID.randomUUID() + ".db");
        try (java.sql.Connection c = SqliteFiles.connect(live); java.sql.Statement st = c.createStatement()) {
            for (Map<String, Object> object : SqliteFiles.rows(backup,
                    "select sql from sqlite_master where sql is not null and type = 'table' order by rowid")) {
                st.execute(String.valueOf(object.get("sql")));
            }
        }
        assertThat(SqliteFiles.rows(live, "pragma encoding").get(0).values()).containsExactly("UTF-8");
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl(live);
        SyncLogRepository log = new SyncLogRepository(file);
        assertThat(log.candidates(0, 10)).isEmpty();

        try (java.sql.Connection c = SqliteFiles.connect(live); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("restore from '" + backup.substring("jdbc:sqlite:".length()) + "'");
        }
        assertThat(SqliteFiles.rows(live, "pragma encoding").get(0).values()).containsExactly("UTF-16le");
        List<Map<String, Object>> stored = SqliteFiles.rows(live, "select * from dbc_sync_log order by id");
        List<io.dbcomposite.internal.log.LoggedChange> read = log.candidates(0, 10);
        assertThat(read).hasSize(stored.size()).isNotEmpty();
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).entityName()).isEqualTo(stored.get(i).get("entity_name"));
            assertThat(read.get(i).entityId()).isEqualTo(stored.get(i).get("entity_id"));
            assertThat(read.get(i).payload()).isEqualTo(stored.get(i).get("payload"));
            assertThat(read.get(i).txId()).isEqualTo(stored.get(i).get("tx_id"));
        }
        assertThat(read).extracting(io.dbcomposite.internal.log.LoggedChange::payload).anySatisfy(payload ->
                assertThat(payload).contains("Grüße \uD83D\uDE00").contains("ü-r"));
    }

    @Test
    void the_engine_reads_fresh_changes_by_rowid_from_the_floor_and_the_others_off_the_partial_index() {
        // the repository's own statements, as a unit on this file prepares them
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl(localUrl);
        SyncLogRepository log = new SyncLogRepository(file);
        log.prepare("plans");

        for (List<String> plan : List.of(planOf(log.candidatesSql(), 0, 500, 0, 500), planOf(log.countsSql()))) {
            assertThat(plan).as("fresh changes: a rowid range from the floor")
                    .anySatisfy(step -> assertThat(step).contains("SEARCH dbc_sync_log USING INTEGER PRIMARY KEY (rowid>?)"));
            assertThat(plan).as("the others: the partial index")
                    .anySatisfy(step -> assertThat(step).contains("USING INDEX dbc_sync_log_errors"));
            assertThat(plan).as("no read of the whole log").noneSatisfy(step -> assertThat(step).startsWith("SCAN dbc_sync_log"));
        }
    }

    @Test
    void the_floor_moves_past_what_a_run_synced_and_stays_below_what_is_still_pending() {
        long before = floor();
        persistProducts(emf, "FLOOR-", 5);
        long lastCommitted = maxLogId();
        assertThat(floor()).as("a commit leaves the floor alone").isEqualTo(before);

        assertThat(emf.sync().remaining()).isZero();

        assertThat(floor()).as("past the last row, once the run's marks landed").isEqualTo(lastCommitted + 1);
        inTransaction(em -> em.persist(product("FLOOR-LATE", "1.00")));
        assertThat(emf.getSyncStatus().pendingChanges()).as("a change above the floor is counted").isEqualTo(1);
        assertThat(emf.sync().applied()).isEqualTo(1);
        assertThat(floor()).isEqualTo(maxLogId() + 1);
        assertRemoteEqualsLocal();
    }

    @Test
    void one_claim_replays_changes_from_both_parts_of_the_log_in_commit_order_and_the_oldest_is_the_one_with_an_error() {
        // refused by the remote until the constraint goes (and harmless to the other tests' constraints after)
        PostgresTestDatabase.update(schema, "alter table product add constraint order_price_cap check (sku <> 'ORDER-POISON')");
        Product poison = product("ORDER-POISON", "5.00");
        try {
            inTransaction(em -> em.persist(poison));
            inTransaction(em -> em.find(Product.class, poison.getId()).setName("second name"));
            assertThat(emf.sync().failed()).isEqualTo(1); // the insert FAILED, the update held back: both off the index
        } finally {
            PostgresTestDatabase.update(schema, "alter table product drop constraint if exists order_price_cap");
        }
        long failedId = ((Number) logRowsOf("Product", poison.getId()).get(0).get("id")).longValue();
        assertThat(emf.retry(failedId)).isEqualTo(1);
        // a fresh change of the same row, above the floor: it must land after the two below it
        inTransaction(em -> em.find(Product.class, poison.getId()).setName("third name"));
        Object created = SqliteFiles.rows(localUrl, "select created_at from dbc_sync_log where id = ?", failedId).get(0)
                .get("created_at");
        assertThat(emf.getSyncStatus().oldestPendingAt()).as("the retried change, below the floor")
                .isEqualTo(sqliteInstant(created));

        SyncResult r = emf.sync();

        assertThat(r.applied()).isEqualTo(3);
        assertThat(PostgresTestDatabase.rows(schema, "select name from product where id = " + poison.getId()))
                .singleElement().satisfies(row -> assertThat(row.get("name")).isEqualTo("third name"));
        assertRemoteEqualsLocal();
    }

    @Test
    void the_floor_moved_after_marks_in_one_statement_stops_at_the_first_change_still_fresh() {
        assertThat(emf.sync().remaining()).isZero();
        persistProducts(emf, "MARKED-", 4);
        long top = maxLogId();
        long first = top - 3;
        org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
        file.setUrl(localUrl);
        SyncLogRepository log = new SyncLogRepository(file);
        log.prepare("marked");
        try {
            // the three later changes marked, the first still fresh: a run's marks never let the floor pass it
            SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'SYNCED' where id > ?", first);
            log.advanceFloor(true);
            assertThat(floor()).isEqualTo(first);
            SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'SYNCED' where id = ?", first);
            log.advanceFloor(true);
            assertThat(floor()).isEqualTo(top + 1);
        } finally {
            // back as they were, so the unit replays them: pending, the floor below them
            SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'PENDING' where id >= ?", first);
            SqliteFiles.update(localUrl, "update dbc_sync_floor set next_id = ? where id = 1", first);
        }
        assertThat(emf.sync().applied()).isEqualTo(4);
        assertRemoteEqualsLocal();
    }

    @Test
    void a_run_cut_off_by_an_outage_leaves_the_floor_at_or_below_the_first_change_it_did_not_apply() {
        assertThat(emf.sync().remaining()).isZero();
        inTransaction(em -> em.persist(product("CUT-1", "1.00")));
        inTransaction(em -> em.persist(product("CUT-2", "2.00")));
        long firstPending = maxLogId() - 1;
        proxy.cut();
        try {
            assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);

            assertThat(floor()).as("the floor after a run that applied nothing").isLessThanOrEqualTo(firstPending);
            assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(2);
        } finally {
            restoreNetwork();
        }
        assertThat(emf.sync().applied()).isEqualTo(2);
        assertThat(floor()).isEqualTo(maxLogId() + 1);
        assertRemoteEqualsLocal();
    }

    @Test
    void changes_held_back_behind_a_failed_one_get_the_reason_and_the_floor_moves_past_them_without_losing_them() {
        PostgresTestDatabase.update(schema, "alter table product add constraint held_price_cap check (price < 1000)");
        try {
            Product poison = product("HELD-POISON", "5000.00");
            inTransaction(em -> em.persist(poison));
            inTransaction(em -> em.find(Product.class, poison.getId()).setName("renamed while failed"));
            Product other = product("HELD-OTHER", "3.00");
            inTransaction(em -> em.persist(other));

            SyncResult first = emf.sync();

            assertThat(first.applied()).isEqualTo(1);
            assertThat(first.failed()).isEqualTo(1);
            List<Map<String, Object>> rows = logRowsOf("Product", poison.getId());
            assertThat(rows).hasSize(2);
            long failedId = ((Number) rows.get(0).get("id")).longValue();
            assertThat(rows.get(0).get("status")).isEqualTo("FAILED");
            assertThat(rows.get(1).get("status")).isEqualTo("PENDING");
            assertThat((String) rows.get(1).get("last_error")).as("the held-back update says why it waits")
                    .contains("held back").contains("#" + failedId).contains("Product#" + poison.getId());
            assertThat(floor()).as("the floor passed the held-back change").isEqualTo(maxLogId() + 1);
            SyncStatus status = emf.getSyncStatus();
            assertStatusMatchesLog(status);
            assertThat(status.pendingChanges()).isEqualTo(2);
            assertThat(status.oldestPendingAt()).isNotNull();
            assertThat(status.lastError()).as("the status reports the failure, not the wait").contains("held_price_cap");

            PostgresTestDatabase.update(schema, "alter table product drop constraint held_price_cap");
            assertThat(emf.retry(failedId)).isEqualTo(1);
            SyncResult second = emf.sync();

            assertThat(second.applied()).as("the failed insert and the update it held back").isEqualTo(2);
            assertThat(second.remaining()).isZero();
            assertThat(logRowsOf("Product", poison.getId())).extracting(r -> r.get("status"))
                    .containsExactly("SYNCED", "SYNCED");
            assertThat(emf.getSyncStatus().oldestPendingAt()).isNull();
            assertRemoteEqualsLocal();
        } finally {
            PostgresTestDatabase.update(schema, "alter table product drop constraint if exists held_price_cap");
        }
    }

    @Test
    void truncating_through_the_units_schema_manager_starts_the_floor_over() {
        persistProducts(emf, "TRUNC-", 6);
        assertThat(emf.sync().remaining()).isZero();
        assertThat(floor()).isGreaterThan(6);

        emf.getSchemaManager().truncate(); // both sides, the log among the local tables: its ids start at 1 again
        inTransaction(em -> em.persist(product("TRUNC-NEW", "1.00")));

        assertThat(floor()).isZero();
        assertThat(emf.sync().applied()).as("the first run after the truncation").isEqualTo(1);
        assertRemoteEqualsLocal();
    }

    @Test
    void deleting_the_newest_log_rows_by_hand_brings_the_floor_down_before_their_ids_come_again() {
        persistProducts(emf, "GONE-", 6);
        assertThat(emf.sync().remaining()).isZero();
        long oldFloor = floor();

        // every SYNCED row deleted by hand (the log is the library's, but nothing stops this): SQLite hands out the
        // deleted ids again, and one transaction logs more changes than the old floor, all of them below it
        SqliteFiles.update(localUrl, "delete from dbc_sync_log where status = 'SYNCED'");
        assertThat(floor()).as("down to the new top by the delete itself").isEqualTo(1);
        int many = (int) oldFloor + 3;
        persistProducts(emf, "AFTER-GONE-", many);
        assertThat(maxLogId()).isEqualTo(many);

        assertThat(emf.sync().applied()).isEqualTo(many);
        assertThat(logRows(localUrl)).extracting(r -> r.get("status")).containsOnly("SYNCED").hasSize(many);
        assertRemoteEqualsLocal();
    }

    @Test
    void a_log_dropped_and_created_behind_the_running_unit_is_read_from_the_start_again() {
        persistProducts(emf, "DROPPED-", 4);
        assertThat(emf.sync().remaining()).isZero();
        long oldFloor = floor();
        // as another process starting with hbm2ddl=create on this file does: the table, its index and trigger go
        String ddl = String.valueOf(SqliteFiles.rows(localUrl, "select sql from sqlite_master where name = 'dbc_sync_log'")
                .get(0).get("sql"));
        SqliteFiles.update(localUrl, "drop table dbc_sync_log");
        SqliteFiles.update(localUrl, ddl);
        int many = (int) oldFloor + 2; // more changes than the old floor: no "floor above every id" to notice
        persistProducts(emf, "RECREATED-", many);

        emf.sync(); // finds the trigger gone: the floor starts over and the layout is made again
        emf.sync();

        assertThat(logRows(localUrl)).extracting(r -> r.get("status")).hasSize(many).containsOnly("SYNCED");
        assertThat(SqliteFiles.rows(localUrl, "select name from sqlite_master where tbl_name = 'dbc_sync_log'"
                + " and type in ('index', 'trigger') order by name")).extracting(r -> r.get("name"))
                .containsExactly("dbc_sync_floor_on_delete", "dbc_sync_log_errors");
        assertRemoteEqualsLocal();
    }

    @Test
    void a_run_makes_the_delete_trigger_again_when_it_is_gone_and_the_floor_is_already_at_zero() {
        inTransaction(em -> em.persist(product("NO-TRIGGER", "1.00")));
        SqliteFiles.update(localUrl, "update dbc_sync_floor set next_id = 0");
        SqliteFiles.update(localUrl, "drop trigger dbc_sync_floor_on_delete");

        assertThat(emf.sync().applied()).isEqualTo(1);
        emf.sync();

        assertThat(SqliteFiles.rows(localUrl, "select name from sqlite_master where type = 'trigger'"))
                .extracting(r -> r.get("name")).containsExactly("dbc_sync_floor_on_delete");
        assertThat(floor()).as("and the floor moves again").isEqualTo(maxLogId() + 1);
    }

    @Test
    void a_floor_above_every_id_found_by_a_run_starts_over() {
        inTransaction(em -> em.persist(product("STALE-1", "1.00")));
        assertThat(emf.sync().remaining()).isZero();
        // as an old copy of the floor table beside a newer log would be (the delete trigger keeps it right otherwise)
        SqliteFiles.update(localUrl, "update dbc_sync_floor set next_id = 1000");
        inTransaction(em -> em.persist(product("STALE-2", "1.00")));

        emf.sync();
        assertThat(floor()).as("the run found the floor above every id").isLessThanOrEqualTo(maxLogId() + 1);
        emf.sync();

        assertThat(logRows(localUrl)).extracting(r -> r.get("status")).containsOnly("SYNCED");
        assertRemoteEqualsLocal();
    }

    @Test
    void a_log_created_again_by_schema_management_starts_its_floor_over() {
        String url = SqliteFiles.urlIn(dir, "recreated.db");
        String remote = PostgresTestDatabase.createSchema("recreated_log");
        try {
            try (CompositeEntityManagerFactory first = openUnit("recreated_a", url, remote, "create", b -> b)) {
                persistProducts(first, "OLD-", 8);
                assertThat(first.sync().remaining()).isZero();
            }
            long oldFloor = ((Number) SqliteFiles.rows(url, "select next_id from dbc_sync_floor").get(0).get("next_id")).longValue();
            assertThat(oldFloor).isEqualTo(9);

            // hbm2ddl=create drops and creates the log (ids start at 1 again); the floor table is not Hibernate's
            try (CompositeEntityManagerFactory second = openUnit("recreated_b", url, remote, "create", b -> b)) {
                persistProducts(second, "NEW-", 3);
                assertThat(second.getSyncStatus().pendingChanges()).isEqualTo(3);

                SyncResult r = second.sync();

                assertThat(r.applied()).as("the new log's rows 1 to 3, below the old floor").isEqualTo(3);
                assertThat(PostgresTestDatabase.count(remote, "product")).isEqualTo(3);
            }
        } finally {
            PostgresTestDatabase.dropSchema(remote);
        }
    }

    @Test
    void a_log_from_before_the_floor_syncs_everything_and_a_warning_names_the_old_index() {
        String url = SqliteFiles.urlIn(dir, "upgraded.db");
        String remote = PostgresTestDatabase.createSchema("upgraded_log");
        List<LogRecord> records;
        try {
            try (CompositeEntityManagerFactory old = openUnit("upgraded_a", url, remote, "create", b -> b)) {
                inTransaction(old, em -> {
                    em.persist(product("UP-1", "1.00"));
                    em.persist(product("UP-2", "2.00"));
                });
                assertThat(old.sync().remaining()).isZero();
                inTransaction(old, em -> em.persist(product("UP-3", "3.00")));
            }
            // the layout of the previous release: one (status, id) index of every row, no floor, no partial index
            SqliteFiles.update(url, "drop trigger dbc_sync_floor_on_delete");
            SqliteFiles.update(url, "drop table dbc_sync_floor");
            SqliteFiles.update(url, "drop index dbc_sync_log_errors");
            SqliteFiles.update(url, "create index dbc_sync_log_status on dbc_sync_log (status, id)");

            try (CapturedLogs logs = CapturedLogs.of("io.dbcomposite");
                 CompositeEntityManagerFactory upgraded = openUnit("upgraded_b", url, remote, "update", b -> b)) {
                records = logs.records();
                assertThat(upgraded.getSyncStatus().pendingChanges()).isEqualTo(1);
                inTransaction(upgraded, em -> em.persist(product("UP-4", "4.00")));

                SyncResult r = upgraded.sync();

                assertThat(r.applied()).isEqualTo(2);
                assertThat(PostgresTestDatabase.count(remote, "product")).isEqualTo(4);
                assertThat(((Number) SqliteFiles.rows(url, "select next_id from dbc_sync_floor").get(0).get("next_id"))
                        .longValue()).as("past the four rows").isEqualTo(5);
            }
            assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("dbc_sync_log_status"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getMessage()).contains("upgraded_b")
                            .contains("drop index if exists dbc_sync_log_status"));
        } finally {
            PostgresTestDatabase.dropSchema(remote);
        }
    }
}
