package io.dbcomposite.sync;

import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 3: replaying changes the remote already holds changes nothing. The log rows of a synced random
 * workload are set back to PENDING straight in SQLite (all of them, or the tail of the log, as a crash between
 * the remote commit and the local "SYNCED" mark would leave them) and replayed: the run succeeds, and every
 * remote row, versions and collection rows included, is exactly as before.
 */
class SyncedReplayIdempotenceTest extends SyncTestBase {

    @BeforeAll
    void workloadAlreadySynced() {
        ShopWorkload workload = new ShopWorkload(new Random(100), "idem");
        workload.seed(emf);
        workload.run(emf, 25);
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.remaining()).isZero();
        assertRemoteEqualsLocal();
    }

    /** Every row of every captured table on the remote, as text, table by table, in a stable order. */
    private Map<String, List<String>> remoteRows() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : CAPTURED_TABLES) {
            out.put(table, PostgresTestDatabase.rows(schema, "select * from " + table).stream()
                    .map(Object::toString).sorted().toList());
        }
        return out;
    }

    private SyncResult replayAfterResetting(String where) {
        Map<String, List<String>> before = remoteRows();
        int reset = SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'PENDING', synced_at = null where " + where);
        // the log's floor moves only after the marks landed: it is still below them
        SqliteFiles.update(localUrl, "update dbc_sync_floor set next_id = 0");
        assertThat(reset).isPositive();
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(reset);

        SyncResult r = emf.sync();

        assertThat(SqliteFiles.rows(localUrl, "select id, entity_name, entity_id, operation, status, last_error"
                + " from dbc_sync_log where status <> 'SYNCED'")).as("changes not replayed").isEmpty();
        assertThat(r.failed()).isZero();
        assertThat(r.deadLettered()).isZero();
        assertThat(r.applied()).isEqualTo(reset);
        assertThat(r.remaining()).isZero();
        assertThat(remoteRows()).as("every remote row after the replay").isEqualTo(before);
        assertRemoteEqualsLocal();
        return r;
    }

    @Test
    void replaying_the_whole_synced_log_again_leaves_every_remote_row_unchanged() {
        replayAfterResetting("1 = 1");
    }

    @Test
    void replaying_the_tail_of_the_log_again_from_several_points_leaves_every_remote_row_unchanged() {
        long max = ((Number) SqliteFiles.rows(localUrl, "select max(id) as m from dbc_sync_log").get(0).get("m")).longValue();
        Random random = new Random(5);
        for (int i = 0; i < 3; i++) {
            long from = 1 + random.nextInt((int) max);
            replayAfterResetting("id >= " + from);
        }
    }

    @Test
    void replaying_the_log_twice_in_a_row_leaves_every_remote_row_unchanged() {
        replayAfterResetting("1 = 1");
        replayAfterResetting("1 = 1");
    }
}
