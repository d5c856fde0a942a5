package io.dbcomposite.capture;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.LockModeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, items 2, 4, 6, 7 and 13: every way Hibernate changes a row (collection events, forced version increments,
 * the order column of an inverse list, the key column of a unidirectional one-to-many) reaches the same row of the
 * remote, in background sync, DUAL+FAIL and DUAL+QUEUE. Each test compares every column of the tables it touches on
 * both databases over JDBC, after the commit (DUAL) and after {@code sync()}; the local side is plain Hibernate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryRowWriteReplaysTest {

    private static final AtomicLong IDS = new AtomicLong(1);

    private StandaloneUnit background;
    private StandaloneUnit dualFail;
    private StandaloneUnit dualQueue;

    @BeforeAll
    void start() {
        background = StandaloneUnit.start("RowWritesBackground", Album.class, Song.class, Credit.class, Shelf.class, Review.class, Musician.class);
        dualFail = StandaloneUnit.start("RowWritesDualFail",
                Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build(), Album.class, Song.class, Credit.class, Shelf.class, Review.class, Musician.class);
        dualQueue = StandaloneUnit.start("RowWritesDualQueue",
                Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build(), Album.class, Song.class, Credit.class, Shelf.class, Review.class, Musician.class);
    }

    @AfterAll
    void stop() {
        for (StandaloneUnit unit : new StandaloneUnit[] {background, dualFail, dualQueue}) {
            if (unit != null) {
                unit.close();
            }
        }
    }

    private StandaloneUnit unit(String name) {
        return switch (name) {
            case "background" -> background;
            case "dualFail" -> dualFail;
            case "dualQueue" -> dualQueue;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void inTransaction(StandaloneUnit unit, Consumer<CompositeEntityManager> work) {
        Transactions.inTransaction(unit.emf.createEntityManager(), work);
    }

    /** The last log id before the test, so that a test sees only its own log rows. */
    private final Map<StandaloneUnit, Long> logMarks = new HashMap<>();

    @BeforeEach
    void markLogs() {
        for (StandaloneUnit unit : new StandaloneUnit[] {background, dualFail, dualQueue}) {
            logMarks.put(unit, unit.local("select coalesce(max(id), 0) from dbc_sync_log"));
        }
    }

    private List<Map<String, Object>> unsyncedLogRows(StandaloneUnit unit) {
        return SqliteFiles.rows(unit.localUrl, "select id, entity_name, operation, status from dbc_sync_log"
                + " where status <> 'SYNCED' and id > ?", logMarks.get(unit));
    }

    /** DUAL: the remote holds the commit at once, and a DUAL+QUEUE commit leaves nothing pending. */
    private void assertReachedAtCommit(StandaloneUnit unit, Runnable compare) {
        compare.run();
        assertThat(unsyncedLogRows(unit)).as("log rows left pending by a DUAL commit").isEmpty();
    }

    /** Compares after the commit (DUAL), then again after a sync() (every routing). */
    private void assertConverged(StandaloneUnit unit, Runnable compare) {
        if (unit != background) {
            assertReachedAtCommit(unit, compare);
        }
        unit.emf.sync();
        compare.run();
        assertThat(unsyncedLogRows(unit)).isEmpty();
    }

    private static long newId() {
        return IDS.getAndIncrement();
    }

    // item 4: a change of a collection alone fires no entity event of its owner

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_element_added_beside_a_persist_of_another_row_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Blue");
        album.getLabels().add("jazz");
        inTransaction(unit, em -> em.persist(album));
        Album other = new Album(newId(), "Green");

        inTransaction(unit, em -> {
            em.find(Album.class, album.getId()).getLabels().add("modal");
            em.persist(other);
        });

        String where = "album_id in (" + album.getId() + ", " + other.getId() + ")";
        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "album_label", where, "album_id, label"))
                    .extracting(row -> row.get("label")).containsExactly("jazz", "modal");
            SideBySide.assertSame(unit, "album", "id in (" + album.getId() + ", " + other.getId() + ")", "id");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_element_removed_alone_in_its_transaction_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Red");
        album.getLabels().add("rock");
        album.getLabels().add("live");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> em.find(Album.class, album.getId()).getLabels().remove("live"));

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "album_label", "album_id = " + album.getId(), "label"))
                    .extracting(row -> row.get("label")).containsExactly("rock");
            SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_element_added_to_an_unversioned_entity_beside_a_persist_of_another_row_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Shelf shelf = new Shelf(newId(), "top");
        shelf.getTags().add("poetry");
        inTransaction(unit, em -> em.persist(shelf));
        Shelf other = new Shelf(newId(), "bottom");

        inTransaction(unit, em -> {
            em.find(Shelf.class, shelf.getId()).getTags().add("essays");
            em.persist(other);
        });

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "shelf_tag", "shelf_id = " + shelf.getId(), "tag"))
                    .extracting(row -> row.get("tag")).containsExactly("essays", "poetry");
            SideBySide.assertSame(unit, "shelf", "id in (" + shelf.getId() + ", " + other.getId() + ")", "id");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_element_removed_from_an_unversioned_entity_alone_in_its_transaction_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Shelf shelf = new Shelf(newId(), "middle");
        shelf.getTags().add("novels");
        shelf.getTags().add("atlases");
        inTransaction(unit, em -> em.persist(shelf));

        inTransaction(unit, em -> em.find(Shelf.class, shelf.getId()).getTags().remove("atlases"));

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "shelf_tag", "shelf_id = " + shelf.getId(), "tag"))
                .extracting(row -> row.get("tag")).containsExactly("novels"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_element_added_to_a_collection_outside_optimistic_locking_reaches_the_remote_at_the_same_version(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Annotated");
        album.getNotes().add("remastered");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> em.find(Album.class, album.getId()).getNotes().add("mono"));

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "album_note", "album_id = " + album.getId(), "note"))
                    .extracting(row -> row.get("note")).containsExactly("mono", "remastered");
            assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                    .extracting(row -> row.get("version")).containsExactly(0L);
        });
    }

    // items 6 and 7: Hibernate forces a version with a bare update that fires no event

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_optimistic_force_increment_reaches_the_remote_at_commit_and_stays_optimistic(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Force");
        album.getLabels().add("soul");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            em.lock(a, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            assertThat(em.getLockMode(a)).isEqualTo(LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            assertThat(a.getVersion()).as("plain Hibernate increments at commit").isZero();
        });

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                    .extracting(row -> row.get("version")).containsExactly(1L);
            assertThat(SideBySide.assertSame(unit, "album_label", "album_id = " + album.getId(), "label")).hasSize(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void a_changed_entity_locked_optimistic_force_increment_ends_two_versions_up_on_both_sides(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Twice");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            a.setTitle("Twice, retitled");
            em.lock(a, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        });

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                .extracting(row -> row.get("version"), row -> row.get("title"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "Twice, retitled")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void a_pessimistic_force_increment_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Pessimist");
        album.getLabels().add("blues");
        Credit singer = new Credit(newId(), "singer");
        album.getCredits().add(singer);
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            em.lock(a, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            assertThat(a.getVersion()).isEqualTo(1);
        });
        inTransaction(unit, em -> em.find(Album.class, album.getId(), LockModeType.PESSIMISTIC_FORCE_INCREMENT));

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                    .extracting(row -> row.get("version")).containsExactly(2L);
            assertThat(SideBySide.assertSame(unit, "album_label", "album_id = " + album.getId(), "label")).hasSize(1);
            assertThat(SideBySide.assertSame(unit, "credit", "id = " + singer.getId(), "id"))
                    .extracting(row -> row.get("album_id")).containsExactly(album.getId());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void forced_increments_asked_by_find_and_refresh_reach_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Found");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId(), LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            assertThat(em.getLockMode(a)).isEqualTo(LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        });
        inTransaction(unit, em -> em.refresh(em.find(Album.class, album.getId()), LockModeType.PESSIMISTIC_FORCE_INCREMENT));

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                .extracting(row -> row.get("version")).containsExactly(2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void an_optimistic_force_increment_of_an_entity_locked_pessimistic_write_changes_nothing(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Held");
        inTransaction(unit, em -> em.persist(album));

        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId(), LockModeType.PESSIMISTIC_WRITE);
            em.lock(a, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            assertThat(em.getLockMode(a)).isEqualTo(LockModeType.PESSIMISTIC_WRITE);
        });

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                .extracting(row -> row.get("version")).containsExactly(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPTIMISTIC_FORCE_INCREMENT", "PESSIMISTIC_FORCE_INCREMENT"})
    void a_query_that_forces_the_version_of_a_captured_entity_is_refused_at_commit_and_nothing_is_written(String mode) {
        Album album = new Album(newId(), "Queried");
        inTransaction(background, em -> em.persist(album));

        assertThatThrownBy(() -> inTransaction(background, em -> em.createQuery("select a from Album a where a.id = :id", Album.class)
                .setParameter("id", album.getId())
                .setLockMode(LockModeType.valueOf(mode))
                .getSingleResult()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("'Album' #" + album.getId())
                .hasMessageContaining("CompositeEntityManager.lock");

        assertThat(background.local("select version from album where id = ?", album.getId())).isZero();
        assertThat(unsyncedLogRows(background)).as("only the persist is logged").extracting(row -> row.get("operation"))
                .containsExactly("INSERT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void the_next_transaction_of_an_entity_manager_that_forced_a_version_commits_as_usual(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Again");
        inTransaction(unit, em -> em.persist(album));

        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Album a = em.find(Album.class, album.getId());
            em.lock(a, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            em.lock(a, LockModeType.OPTIMISTIC_FORCE_INCREMENT); // weaker than the lock held: nothing more, as in Hibernate
            em.getTransaction().commit();
            em.getTransaction().begin();
            a.setTitle("Again, retitled");
            em.getTransaction().commit();
        }

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id"))
                .extracting(row -> row.get("version")).containsExactly(2L));
    }

    // item 2: Hibernate writes an inverse list's order column into its elements' rows, with no event of theirs

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void the_order_column_of_an_inverse_list_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Ordered");
        Song first = new Song(newId(), "first");
        Song second = new Song(newId(), "second");
        Song third = new Song(newId(), "third");
        album.addSong(0, first);
        album.addSong(1, second);
        album.addSong(2, third);
        inTransaction(unit, em -> em.persist(album));
        String where = "album_id = " + album.getId();

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "song", where, "id"))
                .extracting(row -> row.get("song_order")).containsExactly(0L, 1L, 2L));

        Song opener = new Song(newId(), "opener");
        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            a.getSongs().remove(2); // third
            a.addSong(0, opener);
            em.persist(opener);
        });

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "song", where + " and song_order is not null", "song_order, id"))
                    .extracting(row -> row.get("title")).startsWith("opener", "first", "second");
            SideBySide.assertSame(unit, "song", where, "id");
            SideBySide.assertSame(unit, "album", "id = " + album.getId(), "id");
        });
    }

    // item 13: a unidirectional one-to-many sets its key column in its elements' rows after their insert

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void the_key_column_of_a_unidirectional_one_to_many_reaches_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Credited");
        Credit producer = new Credit(newId(), "producer");
        Credit engineer = new Credit(newId(), "engineer");
        album.getCredits().add(producer);
        album.getCredits().add(engineer);
        inTransaction(unit, em -> em.persist(album));
        String where = "id in (" + producer.getId() + ", " + engineer.getId() + ")";

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "credit", where, "id"))
                .extracting(row -> row.get("album_id")).containsExactly(album.getId(), album.getId()));

        Credit mixer = new Credit(newId(), "mixer");
        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            a.getCredits().remove(0); // producer, an orphan
            a.getCredits().add(mixer);
        });

        assertConverged(unit, () -> {
            assertThat(SideBySide.assertSame(unit, "credit", where + " or id = " + mixer.getId(), "id"))
                    .extracting(row -> row.get("name"), row -> row.get("album_id"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("engineer", album.getId()),
                            org.assertj.core.groups.Tuple.tuple("mixer", album.getId()));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void the_key_and_map_key_columns_of_a_unidirectional_one_to_many_map_reach_the_remote(String routing) {
        StandaloneUnit unit = unit(routing);
        Album album = new Album(newId(), "Band");
        Musician drummer = new Musician(newId(), "drummer");
        Musician bassist = new Musician(newId(), "bassist");
        album.getLineup().put("drums", drummer);
        album.getLineup().put("bass", bassist);
        inTransaction(unit, em -> em.persist(album));
        String where = "id in (" + drummer.getId() + ", " + bassist.getId() + ")";

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "musician", where, "id"))
                .extracting(row -> row.get("part"), row -> row.get("album_id"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("drums", album.getId()),
                        org.assertj.core.groups.Tuple.tuple("bass", album.getId())));

        Musician organist = new Musician(newId(), "organist");
        inTransaction(unit, em -> {
            Album a = em.find(Album.class, album.getId());
            a.getLineup().remove("drums");
            a.getLineup().put("keys", organist);
        });

        assertConverged(unit, () -> assertThat(SideBySide.assertSame(unit, "musician", where + " or id = " + organist.getId(), "id"))
                .extracting(row -> row.get("part")).containsExactly("bass", "keys"));
    }

    @org.junit.jupiter.api.Test
    void the_key_column_of_a_background_one_to_many_taken_along_by_a_dual_fail_commit_reaches_the_remote() {
        Album album = new Album(newId(), "Reviewed");
        Credit arranger = new Credit(newId(), "arranger");
        album.getCredits().add(arranger);
        Review review = new Review(newId(), "five stars", album);

        inTransaction(background, em -> {
            em.persist(album);
            em.persist(review);
        });

        assertReachedAtCommit(background, () -> {
            assertThat(SideBySide.assertSame(background, "credit", "id = " + arranger.getId(), "id"))
                    .extracting(row -> row.get("album_id")).containsExactly(album.getId());
            SideBySide.assertSame(background, "review", "id = " + review.getId(), "id");
        });
        background.emf.sync();
        SideBySide.assertSame(background, "credit", "id = " + arranger.getId(), "id");
    }
}
