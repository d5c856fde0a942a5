package io.dbcomposite.probes;

import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.probes.RestrictedCollectionsProbeTest.Board;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.Filter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A collection loaded through a session filter that is disabled again before the flush. It still holds only the rows
 * the filter let through: the owner's change leaves it out (the hidden rows stay on the remote; they were deleted there,
 * silently, before the library noted at load time that a filter applied), and a change of it is refused naming the
 * filter it was loaded through. Logged and DUAL.
 */
class FilterDisabledBeforeFlushProbeTest {

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void logged_rows_hidden_at_load_stay_when_the_filter_is_off_at_the_flush(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFilterOff", null, Map.of(), Board.class)) {
            work(unit);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void dual_rows_hidden_at_load_stay_when_the_filter_is_off_at_the_flush(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFilterOffDual", Routing.builder().write(Write.DUAL).build(),
                Map.of(), Board.class)) {
            work(unit);
        }
    }

    /** A board whose filtered collection is fetched in batches: one access loads the others' too, without their events. */
    @Entity(name = "PbBatchedBoard")
    @Table(name = "pb_batched_board")
    public static class BatchedBoard {
        @Id
        public Long id;
        public String title;
        @ElementCollection
        @CollectionTable(name = "pb_batched_board_filtered", joinColumns = @JoinColumn(name = "board_id"))
        @Filter(name = "pbMinLevel", condition = "lvl >= :min")
        @BatchSize(size = 10)
        @MapKeyColumn(name = "k")
        @Column(name = "lvl")
        public Map<String, Integer> filtered = new HashMap<>();
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void collections_a_batch_loaded_through_the_filter_keep_their_hidden_rows_too(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFilterBatch", null, Map.of(), BatchedBoard.class, Board.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (long id = 1; id <= 3; id++) {
                    BatchedBoard b = new BatchedBoard();
                    b.id = id;
                    b.title = "b" + id;
                    b.filtered.put("f1", 1);
                    b.filtered.put("f9", 9);
                    em.persist(b);
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Session local = em.local().unwrap(Session.class);
                local.enableFilter("pbMinLevel").setParameter("min", 5);
                BatchedBoard first = em.find(BatchedBoard.class, 1L);
                BatchedBoard second = em.find(BatchedBoard.class, 2L);
                BatchedBoard third = em.find(BatchedBoard.class, 3L);
                assertThat(first.filtered).containsOnlyKeys("f9"); // loads the other two boards' collections with it
                assertThat(org.hibernate.Hibernate.isInitialized(second.filtered)).as("batch-loaded").isTrue();
                local.disableFilter("pbMinLevel");
                second.title = "renamed after the filter";
                third.title = "renamed too";
            });
            assertThat(unit.emf.sync().failed()).isZero();
            ProbeRows.assertSameRows(unit, "pb_batched_board", 3);
            ProbeRows.assertSameRows(unit, "pb_batched_board_filtered", 6);
        }
    }

    private static void work(StandaloneUnit unit) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Board b = new Board();
            b.id = 1L;
            b.title = "b";
            b.filtered.put("f1", 1);
            b.filtered.put("f9", 9);
            em.persist(b);
        });
        assertThat(unit.emf.sync().failed()).isZero();

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Session local = em.local().unwrap(Session.class);
            local.enableFilter("pbMinLevel").setParameter("min", 5);
            Board b = em.find(Board.class, 1L);
            assertThat(b.filtered).containsOnlyKeys("f9");
            local.disableFilter("pbMinLevel");
            b.title = "renamed after the filter";
        });
        assertThat(unit.emf.sync().failed()).isZero();
        ProbeRows.assertSameRows(unit, "pb_board", 1);
        ProbeRows.assertSameRows(unit, "pb_board_filtered", 2);

        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Session local = em.local().unwrap(Session.class);
            local.enableFilter("pbMinLevel").setParameter("min", 5);
            Board b = em.find(Board.class, 1L);
            assertThat(b.filtered).containsOnlyKeys("f9");
            local.disableFilter("pbMinLevel");
            b.filtered.put("f7", 7);
        })).satisfies(e -> assertThat(ProbeRows.compositeIn(e)).hasMessageContaining("PbBoard").hasMessageContaining("'filtered'")
                .hasMessageContaining("pbMinLevel"));
        assertThat(unit.local("select count(*) from pb_board_filtered")).as("nothing of the refused change").isEqualTo(2);
        assertThat(unit.emf.sync().failed()).isZero();
        ProbeRows.assertSameRows(unit, "pb_board_filtered", 2);
    }
}
