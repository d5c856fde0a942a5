package io.dbcomposite.capture;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DUAL+QUEUE commit replays its local transaction on the remote right after the local commit. When the remote refuses
 * that replay (it answers, it is not an outage), the commit still succeeds, as the routing promises, but its changes
 * must carry the error: they stay PENDING for the background sync (the contract), never PENDING with no error.
 */
class QueuedReplayErrorTest {

    @Test
    void a_dual_queue_commit_whose_remote_replay_is_refused_leaves_its_changes_pending_with_the_error() {
        try (StandaloneUnit unit = AbstractReferencesReplayTest.start("QueuedReplayError", "dualQueue")) {
            PostgresTestDatabase.update(unit.schema, "alter table gallery add constraint gallery_never_closed"
                    + " check (name <> 'Closed')");

            AbstractReferencesReplayTest.inTransaction(unit, em -> em.persist(new Gallery(10, "Closed")));

            String sql = "select entity_name, status, attempts, last_error from dbc_sync_log";
            List<Map<String, Object>> log = SqliteFiles.rows(unit.localUrl, sql);
            assertThat(log).hasSize(1);
            // PENDING and due at once for the background sync, as the contract says; but never without the reason
            assertThat(log.get(0)).containsEntry("entity_name", "Gallery").containsEntry("status", "PENDING")
                    .containsEntry("attempts", 0);
            assertThat((String) log.get(0).get("last_error")).contains("gallery_never_closed");
            assertThat(SqliteFiles.rows(unit.localUrl, "select name from gallery").toString()).isEqualTo("[{name=Closed}]");
            assertThat(unit.remote("select count(*) from gallery")).isZero();

            PostgresTestDatabase.update(unit.schema, "alter table gallery drop constraint gallery_never_closed");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(SqliteFiles.rows(unit.localUrl, sql).get(0)).containsEntry("status", "SYNCED");
            assertThat(unit.remote("select count(*) from gallery")).isEqualTo(1);
        }
    }
}
