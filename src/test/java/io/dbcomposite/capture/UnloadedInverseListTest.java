package io.dbcomposite.capture;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Hibernate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An inverse ({@code mappedBy}) list with an order column changed while it is not loaded. Hibernate queues the elements
 * added to it, numbers them from the rows already there at flush (with no event), and then fires the list's update event
 * with a wrapper that holds nothing: the remote must get the positions Hibernate wrote, in background sync, DUAL+FAIL
 * and DUAL+QUEUE, and the list must stay unloaded, as plain Hibernate leaves it. One unit open at a time.
 */
class UnloadedInverseListTest {

    private static Routing routing(String name) {
        return switch (name) {
            case "background" -> null;
            case "dualFail" -> Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
            case "dualQueue" -> Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static StandaloneUnit start(String routing) {
        return StandaloneUnit.start("UnloadedList" + routing, routing(routing), Album.class, Song.class, Credit.class, Musician.class);
    }

    private static void inTransaction(StandaloneUnit unit, Consumer<CompositeEntityManager> work) {
        Transactions.inTransaction(unit.emf.createEntityManager(), work);
    }

    /** The songs' rows, every column, the same on both sides after the commit (DUAL) and after sync() (every routing). */
    private static List<java.util.Map<String, Object>> assertConverged(StandaloneUnit unit, String routing) {
        if (!routing.equals("background")) {
            SideBySide.assertSame(unit, "song", "1 = 1", "id");
        }
        unit.emf.sync();
        assertThat(SqliteFiles.rows(unit.localUrl, "select id, status, last_error from dbc_sync_log where status <> 'SYNCED'"))
                .as("log rows not synced").isEmpty();
        return SideBySide.assertSame(unit, "song", "1 = 1", "id");
    }

    /** Adds a song at the end of the album's list without loading it (Hibernate queues the add). */
    private static void append(CompositeEntityManager em, Album album, Song song) {
        song.setAlbum(album);
        album.getSongs().add(song);
        em.persist(song);
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void songs_added_to_a_list_never_loaded_get_the_positions_hibernate_wrote_on_both_sides(String routing) {
        try (StandaloneUnit unit = start(routing)) {
            Album album = new Album(1, "Queued");
            album.addSong(0, new Song(10, "first"));
            album.addSong(1, new Song(11, "second"));
            inTransaction(unit, em -> {
                em.persist(album);
                em.persist(new Album(2, "Empty"));
            });

            List<Boolean> loaded = new ArrayList<>();
            inTransaction(unit, em -> {
                Album a = em.find(Album.class, 1L);
                Album e = em.find(Album.class, 2L);
                append(em, a, new Song(12, "third"));
                append(em, e, new Song(20, "only"));
                append(em, e, new Song(21, "encore"));
                em.flush();
                loaded.add(Hibernate.isInitialized(a.getSongs()));
                loaded.add(Hibernate.isInitialized(e.getSongs()));
            });

            assertThat(loaded).as("lists loaded by the flush").containsExactly(false, false);
            assertThat(assertConverged(unit, routing)).extracting(row -> row.get("song_order"))
                    .containsExactly(0L, 1L, 2L, 0L, 1L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void a_list_never_loaded_then_replaced_by_a_new_one_writes_the_same_positions_on_both_sides(String routing) {
        try (StandaloneUnit unit = start(routing)) {
            Album album = new Album(1, "Replaced");
            album.addSong(0, new Song(10, "first"));
            album.addSong(1, new Song(11, "second"));
            inTransaction(unit, em -> em.persist(album));

            inTransaction(unit, em -> {
                Album a = em.find(Album.class, 1L);
                Song opener = new Song(12, "opener");
                opener.setAlbum(a);
                em.persist(opener);
                a.setSongs(new ArrayList<>(List.of(opener, em.find(Song.class, 11L), em.find(Song.class, 10L))));
            });

            assertThat(assertConverged(unit, routing)).extracting(row -> row.get("song_order"))
                    .containsExactly(2L, 1L, 0L);
        }
    }
}
