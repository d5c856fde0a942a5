package io.dbcomposite.capture;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delete of an entity that maps the inverse side of a many-to-many, while join rows still point at it. Plain
 * Hibernate leaves those rows, and a database with foreign keys refuses the delete: the local SQLite side declares the
 * join table's keys (issue 11), so the caller's commit fails naming the join table, nothing is logged, and the remote's
 * rows never go silently. In background sync, DUAL+FAIL and DUAL+QUEUE. One unit open at a time.
 */
class InverseSideDeleteTest {

    private static StandaloneUnit start(String routing) {
        return StandaloneUnit.start("InverseDelete" + routing, AbstractReferencesReplayTest.routing(routing),
                Poster.class, Venue.class);
    }

    private static void seed(StandaloneUnit unit) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Venue hall = new Venue(1, "Hall");
            em.persist(hall);
            Poster poster = new Poster(2, "Concert");
            poster.getVenues().add(hall);
            em.persist(poster);
        });
        unit.emf.sync();
    }

    private static List<Map<String, Object>> remoteJoinRows(StandaloneUnit unit) {
        return PostgresTestDatabase.rows(unit.schema, "select poster_id, venue_id from poster_venue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void deleting_a_row_join_rows_still_point_at_never_deletes_them_silently_on_the_remote(String routing) {
        try (StandaloneUnit unit = start(routing)) {
            seed(unit);
            Runnable remove = () -> Transactions.inTransaction(unit.emf.createEntityManager(),
                    em -> em.remove(em.find(Venue.class, 1L)));

            // the local side declares the join table's keys, as the remote does: it refuses the delete itself
            assertThatThrownBy(remove::run).hasMessageContaining("poster_venue").hasMessageContaining("Venue");
            assertThat(SqliteFiles.rows(unit.localUrl, "select id from venue")).hasSize(1);
            assertThat(SqliteFiles.rows(unit.localUrl, "select id from dbc_sync_log where status <> 'SYNCED'"))
                    .as("nothing logged").isEmpty();
            assertThat(remoteJoinRows(unit)).hasSize(1);
            assertThat(unit.remote("select count(*) from venue")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void unlinking_then_deleting_in_one_transaction_reaches_the_remote(String routing) {
        try (StandaloneUnit unit = start(routing)) {
            seed(unit);

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Venue hall = em.find(Venue.class, 1L);
                em.find(Poster.class, 2L).getVenues().remove(hall);
                em.remove(hall);
            });
            unit.emf.sync();

            assertThat(SqliteFiles.rows(unit.localUrl, "select id from dbc_sync_log where status <> 'SYNCED'")).isEmpty();
            assertThat(remoteJoinRows(unit)).isEmpty();
            assertThat(unit.remote("select count(*) from venue")).isZero();
            assertThat(unit.remote("select count(*) from poster")).isEqualTo(1);
        }
    }
}
