package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java record is an embeddable Hibernate makes through its canonical constructor (it has no no-argument one). The
 * local commit of such an entity succeeded, and then every replay failed ("needs a no-argument constructor"), and a
 * transaction whose writes were held for the remote failed its commit; found by a probe with mappings of its own. The
 * replay and the held writes must make records as Hibernate makes them, in an entity and in an element collection.
 */
class RecordEmbeddablesTest {

    @Embeddable
    public record Point(Integer px, Integer py) {
    }

    @Entity(name = "ReReplayed")
    @Table(name = "re_replayed")
    public static class Replayed {
        @Id
        public Long id;
        public String name;
        @Embedded
        public Point point;
        @ElementCollection
        @CollectionTable(name = "re_replayed_path")
        public List<Point> path = new ArrayList<>();
    }

    @Entity(name = "ReQueued")
    @Table(name = "re_queued")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class Queued {
        @Id
        public Long id;
        public String name;
        @Embedded
        public Point point;
    }

    @Entity(name = "ReDual")
    @Table(name = "re_dual")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dual {
        @Id
        public Long id;
        @Embedded
        public Point point;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void records_replay_and_are_held_for_the_remote_as_hibernate_makes_them(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "RecordEmbeddables", null, Map.of(),
                Replayed.class, Queued.class, Dual.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Replayed r = new Replayed();
                r.id = 1L;
                r.name = "a";
                r.point = new Point(3, 4);
                r.path.add(new Point(1, 2));
                r.path.add(new Point(null, 5));
                em.persist(r);
                Replayed empty = new Replayed();
                empty.id = 2L;
                empty.name = "no point";
                em.persist(empty);
                Queued q = new Queued();
                q.id = 1L;
                q.name = "q";
                q.point = new Point(7, null);
                em.persist(q);
                // a DUAL+FAIL write in the same transaction as held ones
                Dual d = new Dual();
                d.id = 1L;
                d.point = new Point(8, 9);
                em.persist(d);
            });
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertSame(unit);

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Replayed r = em.find(Replayed.class, 1L);
                r.point = new Point(30, 40);
                r.path.remove(0);
                r.path.add(new Point(6, 6));
                em.find(Replayed.class, 2L).point = new Point(0, 0);
                em.find(Queued.class, 1L).point = null;
            });
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
            assertSame(unit);
            assertThat(rows(unit.emf.remoteFactory(), Replayed.class, r -> r.point + " " + r.path))
                    .containsEntry(1L, "Point[px=30, py=40] [Point[px=null, py=5], Point[px=6, py=6]]")
                    .containsEntry(2L, "Point[px=0, py=0] []");
        }
    }

    private static void assertSame(StandaloneUnit unit) {
        assertThat(rows(unit.emf.remoteFactory(), Replayed.class, r -> r.name + "|" + r.point + "|" + r.path))
                .hasSize(2).containsExactlyEntriesOf(rows(unit.emf.localFactory(), Replayed.class, r -> r.name + "|" + r.point + "|" + r.path));
        assertThat(rows(unit.emf.remoteFactory(), Queued.class, q -> q.name + "|" + q.point))
                .hasSize(1).containsExactlyEntriesOf(rows(unit.emf.localFactory(), Queued.class, q -> q.name + "|" + q.point));
        assertThat(rows(unit.emf.remoteFactory(), Dual.class, d -> String.valueOf(d.point)))
                .hasSize(1).containsExactlyEntriesOf(rows(unit.emf.localFactory(), Dual.class, d -> String.valueOf(d.point)));
    }

    private static <T> Map<Long, String> rows(SessionFactory side, Class<T> type, Function<T, String> text) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (T row : s.createSelectionQuery("from " + type.getName(), type).list()) {
                out.put((Long) s.getIdentifier(row), text.apply(row));
            }
        }
        return out;
    }
}
