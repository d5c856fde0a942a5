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
 * must carry the error (FAILED, as the sync engine marks a failed replay), never stay PENDING with no error.
 */
class QueuedReplayErrorTest {

    @Test
    void a_dual_queue_commit_whose_remote_replay_is_refused_leaves_its_changes_failed_with_the_error() {
        try (StandaloneUnit unit = AbstractReferencesReplayTest.start("QueuedReplayError", "dualQueue")) {
            PostgresTestDatabase.update(unit.schema, "alter table gallery add constraint gallery_never_closed"
                    + " check (name <> 'Closed')");

            AbstractReferencesReplayTest.inTransaction(unit, em -> em.persist(new Gallery(10, "Closed")));

            List<Map<String, Object>> log = SqliteFiles.rows(unit.localUrl,
                    "select entity_name, entity_id, status, attempts, last_error from dbc_sync_log");
            assertThat(log).hasSize(1);
            assertThat(log.get(0)).containsEntry("entity_name", "Gallery").containsEntry("status", "FAILED")
                    .containsEntry("attempts", 1);
            assertThat((String) log.get(0).get("last_error")).contains("gallery_never_closed");
            assertThat(unit.emf.getSyncStatus().lastError()).contains("gallery_never_closed");
            assertThat(SqliteFiles.rows(unit.localUrl, "select name from gallery").toString()).isEqualTo("[{name=Closed}]");
            assertThat(unit.remote("select count(*) from gallery")).isZero();
        }
    }
}
