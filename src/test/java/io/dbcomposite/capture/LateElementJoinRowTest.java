package io.dbcomposite.capture;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An element added to a many-to-many before it is persisted, in the same transaction: the owner's logged insert
 * carries the join row, and the element's insert is logged after it. The replay writes the join rows of a transaction
 * after its rows, so the remote's foreign key holds (the join row went first and every replay failed until DEAD).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LateElementJoinRowTest {

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("LateElementJoinRow", Playlist.class, Track.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void an_element_persisted_after_it_joined_the_owners_many_to_many_replays_with_its_join_row() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist playlist = new Playlist();
            playlist.id = 1L;
            playlist.name = "morning";
            em.persist(playlist);
            Track first = new Track();
            first.id = 10L;
            first.title = "first";
            Track second = new Track();
            second.id = 11L;
            second.title = "second";
            playlist.tracks.add(first);
            playlist.tracks.add(second);
            em.persist(first);
            em.persist(second);
        });
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
        assertThat(PostgresTestDatabase.rows(unit.schema, "select playlist_id, track_id from playlist_track order by track_id"))
                .containsExactly(Map.of("playlist_id", 1L, "track_id", 10L), Map.of("playlist_id", 1L, "track_id", 11L));
        assertThat(PostgresTestDatabase.count(unit.schema, "track")).isEqualTo(2);
    }

    @Test
    void an_element_persisted_after_it_joined_an_existing_owner_replays_with_its_join_row() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist playlist = new Playlist();
            playlist.id = 2L;
            playlist.name = "evening";
            em.persist(playlist);
        });
        assertThat(unit.emf.sync().failed()).isZero();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist playlist = em.find(Playlist.class, 2L);
            Track late = new Track();
            late.id = 20L;
            late.title = "late";
            playlist.tracks.add(late);
            playlist.name = "late evening";
            em.persist(late);
        });
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
        assertThat(PostgresTestDatabase.rows(unit.schema, "select track_id from playlist_track where playlist_id = 2"))
                .containsExactly(Map.of("track_id", 20L));
    }
}
