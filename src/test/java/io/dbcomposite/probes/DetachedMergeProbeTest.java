package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.probes.PbMaps.Address;
import io.dbcomposite.probes.PbMaps.Colour;
import io.dbcomposite.probes.PbMaps.Holder;
import io.dbcomposite.probes.PbMaps.Item;
import io.dbcomposite.probes.PbMaps.Part;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Owners read in one entity manager, changed while detached (maps replaced, entries put and removed) and merged in
 * another, and a new owner merged rather than persisted: the remote holds the local rows, replayed or written to both
 * sides.
 */
class DetachedMergeProbeTest {

    private static final String[] TABLES = {"pb_map_holder", "pb_map_part", "pb_map_attrs", "pb_map_counts",
            "pb_map_ordinals", "pb_map_addresses", "pb_map_tagged", "pb_map_item_notes"};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void detached_changes_merged_replay_exactly(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbMerged", null, Map.of(), Item.class, Part.class, Holder.class)) {
            work(unit);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void detached_changes_merged_to_both_sides_are_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbMergedDual", dual, Map.of(), Item.class, Part.class, Holder.class)) {
            work(unit);
        }
    }

    private static void work(StandaloneUnit unit) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (long i = 1; i <= 3; i++) {
                Part p = new Part();
                p.id = i;
                p.name = "part" + i;
                em.persist(p);
            }
            Holder h = new Holder();
            h.id = 1L;
            h.name = "h";
            h.attrs.put("a", "1");
            h.attrs.put("b", "2");
            h.counts.put(Colour.RED, 1);
            h.addresses.put("home", new Address("Main", 1));
            h.tagged.put("t", em.find(Part.class, 1L));
            em.persist(h);
        });
        sync(unit);

        Holder detached;
        try (EntityManager em = unit.emf.createEntityManager()) {
            detached = em.find(Holder.class, 1L);
            // load every collection before the entity manager closes
            detached.attrs.size();
            detached.counts.size();
            detached.notes.size();
            detached.addresses.size();
            detached.tagged.size();
            detached.remarksByItem.size();
            detached.parts.size();
            detached.joinedByLabel.size();
            detached.itemsByCode.size();
        }
        detached.name = "changed while detached";
        detached.attrs.remove("a");
        detached.attrs.put("c", "3");
        detached.counts = new HashMap<>(Map.of(Colour.BLUE, 5)); // replaced
        detached.addresses.get("home").zip = 2;
        try (EntityManager em = unit.emf.createEntityManager()) {
            detached.tagged.put("u", em.find(Part.class, 2L));
        }
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.merge(detached));
        sync(unit);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Holder fresh = new Holder();
            fresh.id = 2L;
            fresh.name = "merged new";
            fresh.attrs.put("x", "y");
            fresh.tagged.put("t", em.find(Part.class, 3L));
            em.merge(fresh);
        });
        sync(unit);
        assertThat(unit.local("select count(*) from pb_map_attrs")).isEqualTo(3);
        assertThat(unit.local("select count(*) from pb_map_counts")).isEqualTo(1);
    }

    private static void sync(StandaloneUnit unit) {
        ProbeRows.syncAndCompare(unit, TABLES);
    }
}
