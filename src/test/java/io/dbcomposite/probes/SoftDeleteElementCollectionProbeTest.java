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
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.SoftDelete;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SoftDelete} element collection (Hibernate marks a removed element's row deleted instead of deleting it).
 * FAILS (found by this probe, not fixed): the replay rewrites an owner's collection rows, whose delete is the soft
 * delete, then inserts the loaded elements again, which collide with their own soft-deleted rows on the collection's
 * unique key: the change fails every replay (it would go DEAD), and the soft-deleted rows, which no payload holds, could
 * not be replayed either. The library should either replay such a collection as Hibernate writes it or refuse the
 * mapping when the unit starts, naming the entity and the collection.
 */
class SoftDeleteElementCollectionProbeTest {

    @Entity(name = "PbSoftTagged")
    @Table(name = "pb_soft_tagged")
    public static class SoftTagged {
        @Id
        public Long id;
        @ElementCollection
        @CollectionTable(name = "pb_soft_tagged_tags", joinColumns = @JoinColumn(name = "tagged_id"))
        @Column(name = "tag")
        @SoftDelete
        public Set<String> tags = new HashSet<>();
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_removed_element_replays_as_the_local_rows_hold_it(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbSoftTags", null, Map.of(), SoftTagged.class)) {
            work(unit);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_removed_element_written_to_both_sides_at_once_is_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbSoftTagsDual", dual, Map.of(), SoftTagged.class)) {
            work(unit);
        }
    }

    private static void work(StandaloneUnit unit) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            SoftTagged t = new SoftTagged();
            t.id = 1L;
            t.tags.add("x");
            t.tags.add("y");
            em.persist(t);
        });
        sync(unit);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            SoftTagged t = em.find(SoftTagged.class, 1L);
            t.tags.remove("x");
            t.tags.add("z");
        });
        sync(unit);
        assertThat(unit.local("select count(*) from pb_soft_tagged_tags")).isEqualTo(3);
    }

    private static void sync(StandaloneUnit unit) {
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
        ProbeRows.assertSameRows(unit, "pb_soft_tagged", 1);
        ProbeRows.assertSameRows(unit, "pb_soft_tagged_tags", 1);
    }
}
