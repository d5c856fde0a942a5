package io.dbcomposite.probes;

import io.dbcomposite.CompositeException;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.probes.RestrictedCollectionsProbeTest.Board;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
        })).satisfies(e -> assertThat(compositeIn(e)).hasMessageContaining("PbBoard").hasMessageContaining("'filtered'")
                .hasMessageContaining("pbMinLevel"));
        assertThat(unit.local("select count(*) from pb_board_filtered")).as("nothing of the refused change").isEqualTo(2);
        assertThat(unit.emf.sync().failed()).isZero();
        ProbeRows.assertSameRows(unit, "pb_board_filtered", 2);
    }

    private static CompositeException compositeIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CompositeException c) {
                return c;
            }
        }
        throw new AssertionError("no CompositeException in " + e, e);
    }
}
