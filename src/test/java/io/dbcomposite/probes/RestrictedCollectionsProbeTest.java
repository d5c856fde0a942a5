package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.annotations.Filter;
import org.hibernate.annotations.FilterDef;
import org.hibernate.annotations.ParamDef;
import org.hibernate.annotations.SQLRestriction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Collections whose loaded elements are not all of their rows: a {@code @SQLRestriction} on an element collection and a
 * session {@code @Filter} on one. Locally Hibernate writes only the
 * elements that changed; the rows the restriction hides stay. The remote must keep them too. A collection loaded under
 * an enabled session filter was logged with the filtered rows only, and the replay rewrote the remote's rows from them:
 * the hidden rows were deleted on the remote, silently. Such a collection is now left out of the payload while it does
 * not change, and a change of it is refused in the caller's transaction, naming the entity, the collection and the
 * filter.
 */
class RestrictedCollectionsProbeTest {

    @Embeddable
    public static class Note {
        public String text;
        @Column(name = "lvl")
        public Integer level;

        public Note() {
        }

        Note(String text, int level) {
            this.text = text;
            this.level = level;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Note n && Objects.equals(text, n.text) && Objects.equals(level, n.level);
        }

        @Override
        public int hashCode() {
            return Objects.hash(text, level);
        }
    }

    @Entity(name = "PbBoard")
    @Table(name = "pb_board")
    @FilterDef(name = "pbMinLevel", parameters = @ParamDef(name = "min", type = Integer.class))
    public static class Board {
        @Id
        public Long id;
        public String title;
        @ElementCollection
        @CollectionTable(name = "pb_board_notes", joinColumns = @JoinColumn(name = "board_id"))
        @SQLRestriction("lvl < 5")
        public Set<Note> lowNotes = new HashSet<>();
        @ElementCollection
        @CollectionTable(name = "pb_board_filtered", joinColumns = @JoinColumn(name = "board_id"))
        @Filter(name = "pbMinLevel", condition = "lvl >= :min")
        @MapKeyColumn(name = "k")
        @Column(name = "lvl")
        public Map<String, Integer> filtered = new HashMap<>();
    }

    private static final String[] TABLES = {"pb_board", "pb_board_notes", "pb_board_filtered"};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void rows_a_restriction_hides_stay_on_the_remote(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbRestricted", null, Map.of(), Board.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Board b = new Board();
                b.id = 1L;
                b.title = "b";
                b.lowNotes.add(new Note("a", 1));
                b.lowNotes.add(new Note("hidden", 9)); // inserted, then never loaded again
                b.filtered.put("f1", 1);
                b.filtered.put("f9", 9);
                em.persist(b);
            });
            sync(unit);
            assertThat(unit.local("select count(*) from pb_board_notes")).isEqualTo(2);

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Board b = em.find(Board.class, 1L);
                assertThat(b.lowNotes).containsOnly(new Note("a", 1));
                b.lowNotes.add(new Note("c", 2));
            });
            sync(unit);

            filterWork(unit, true);

        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void rows_a_session_filter_hides_stay_on_the_remote_written_to_both_sides(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbRestrictedDual", dual, Map.of(), Board.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Board b = new Board();
                b.id = 1L;
                b.title = "b";
                b.filtered.put("f1", 1);
                b.filtered.put("f9", 9);
                em.persist(b);
            });
            filterWork(unit, false);
        }
    }

    /**
     * Under a session filter: the owner changed, its filtered collection not (it replays without it); the filtered
     * collection changed (refused: the log cannot say which rows it lacks); then changed without the filter.
     */
    private static void filterWork(StandaloneUnit unit, boolean logged) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.local().unwrap(Session.class).enableFilter("pbMinLevel").setParameter("min", 5);
            Board b = em.find(Board.class, 1L);
            assertThat(b.filtered).containsOnlyKeys("f9");
            b.title = "renamed under the filter";
        });
        sync(unit);
        assertThat(unit.local("select count(*) from pb_board_filtered")).isEqualTo(2);

        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.local().unwrap(Session.class).enableFilter("pbMinLevel").setParameter("min", 5);
            Board b = em.find(Board.class, 1L);
            b.filtered.put("f7", 7);
        })).satisfies(e -> assertThat(ProbeRows.compositeIn(e)).hasMessageContaining("PbBoard").hasMessageContaining("'filtered'")
                .hasMessageContaining("pbMinLevel"));
        assertThat(unit.local("select count(*) from pb_board_filtered")).isEqualTo(2);
        sync(unit);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Board.class, 1L).filtered.put("f7", 7));
        sync(unit);
        assertThat(unit.local("select count(*) from pb_board_filtered")).isEqualTo(3);

        // changed and flushed without the filter, then the owner changed again under it: the change of the collection
        // stays in the transaction's write of the row
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Board b = em.find(Board.class, 1L);
            b.filtered.put("f2", 2);
            b.filtered.remove("f7");
            em.flush();
            em.local().unwrap(Session.class).enableFilter("pbMinLevel").setParameter("min", 5);
            b.title = "renamed after the flush";
        });
        sync(unit);
        assertThat(unit.local("select count(*) from pb_board_filtered")).isEqualTo(3);
    }

    private static void sync(StandaloneUnit unit) {
        ProbeRows.syncAndCompare(unit, TABLES);
    }
}
