package io.dbcomposite.probes;

import io.dbcomposite.probes.RestrictedCollectionsProbeTest.Board;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collection loaded through a session filter that is disabled again before the flush: the owner changes, the
 * collection does not. FAILS (found by this probe, not fixed): the library knows a collection may be partial only while
 * the filter is still enabled at the flush; here the owner's payload holds the filtered collection, and the replay
 * deletes the rows the filter hid at load time from the remote, silently. A fix needs to note, when a collection is
 * loaded, that a filter applied to it.
 */
class FilterDisabledBeforeFlushProbeTest {

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void rows_hidden_at_load_stay_when_the_filter_is_off_at_the_flush(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFilterOff", null, Map.of(), Board.class)) {
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
        }
    }
}
