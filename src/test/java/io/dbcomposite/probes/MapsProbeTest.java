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

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maps of every kind (basic values by string and by enum key, embeddable values, entity values keyed by one of their
 * properties, in their rows or in a join table, keyed by an entity, a many-to-many map): entries put, replaced and
 * removed over several transactions reach the remote exactly as the local rows hold them, logged and replayed or
 * written to both sides at once.
 */
class MapsProbeTest {

    private static final String[] TABLES = {"pb_map_holder", "pb_map_item", "pb_map_part", "pb_map_attrs", "pb_map_counts",
            "pb_map_ordinals", "pb_map_addresses", "pb_map_joined", "pb_map_item_notes", "pb_map_tagged"};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void map_entries_put_replaced_and_removed_replay_exactly(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbMapsLogged", null, Map.of(),
                Item.class, Part.class, Holder.class)) {
            work(unit, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void map_entries_written_to_both_sides_at_once_are_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbMapsDual", dual, Map.of(),
                Item.class, Part.class, Holder.class)) {
            work(unit, false);
        }
    }

    private static void work(StandaloneUnit unit, boolean syncBetween) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (long i = 1; i <= 4; i++) {
                Part p = new Part();
                p.id = i;
                p.name = "part" + i;
                em.persist(p);
            }
            Holder h = new Holder();
            h.id = 1L;
            h.name = "h";
            em.persist(h);
            for (long i = 1; i <= 4; i++) {
                Item it = new Item();
                it.id = i;
                it.code = "c" + i;
                it.label = "l" + i;
                it.holder = i <= 2 ? h : null;
                em.persist(it);
                if (i <= 2) {
                    h.itemsByCode.put(it.code, it);
                }
            }
            h.attrs.put("a", "1");
            h.attrs.put("b", "2");
            h.attrs.put("c", "3");
            h.counts.put(Colour.RED, 1);
            h.counts.put(Colour.GREEN, 2);
            h.notes.put(Colour.BLUE, "blue");
            h.notes.put(Colour.RED, "red");
            h.addresses.put("home", new Address("Main St", 1000));
            h.addresses.put("work", new Address(null, 2000));
            h.joinedByLabel.put("l3", em.find(Item.class, 3L));
            h.joinedByLabel.put("l4", em.find(Item.class, 4L));
            h.parts.put("x", em.find(Part.class, 1L));
            h.parts.put("y", em.find(Part.class, 2L));
            h.remarksByItem.put(em.find(Item.class, 1L), "first");
            h.remarksByItem.put(em.find(Item.class, 3L), "third");
            h.tagged.put("t1", em.find(Part.class, 3L));
            h.tagged.put("t2", em.find(Part.class, 3L));
        });
        step(unit, syncBetween);

        // replace values, add entries
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Holder h = em.find(Holder.class, 1L);
            h.attrs.put("a", "one");
            h.attrs.put("d", "4");
            h.counts.put(Colour.RED, 10);
            h.counts.put(Colour.BLUE, 3);
            h.notes.put(Colour.BLUE, "BLUE");
            h.notes.put(Colour.GREEN, "green");
            h.addresses.get("home").zip = 1001;
            h.addresses.put("work", new Address("Side St", 2000));
            h.addresses.put("away", new Address("Far", null));
            h.joinedByLabel.remove("l3");
            h.joinedByLabel.put("l1", em.find(Item.class, 1L));
            h.parts.put("x", em.find(Part.class, 3L));
            h.parts.put("z", em.find(Part.class, 1L));
            h.remarksByItem.put(em.find(Item.class, 1L), "FIRST");
            h.remarksByItem.put(em.find(Item.class, 2L), "second");
            h.tagged.put("t2", em.find(Part.class, 4L));
            Item moved = em.find(Item.class, 3L);
            moved.holder = h;
            h.itemsByCode.put(moved.code, moved);
        });
        step(unit, syncBetween);

        // remove entries
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Holder h = em.find(Holder.class, 1L);
            h.attrs.remove("b");
            h.attrs.remove("c");
            h.counts.remove(Colour.GREEN);
            h.notes.remove(Colour.RED);
            h.addresses.remove("home");
            h.joinedByLabel.remove("l4");
            h.parts.remove("y");
            h.remarksByItem.remove(em.find(Item.class, 3L));
            h.tagged.remove("t1");
            Item gone = h.itemsByCode.remove("c1");
            gone.holder = null;
        });
        step(unit, syncBetween);

        // a key renamed (removed and put in one transaction), one map emptied, a second holder
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Holder h = em.find(Holder.class, 1L);
            h.attrs.put("A", h.attrs.remove("a"));
            h.counts.clear();
            h.addresses.put("home", h.addresses.remove("work"));
            Holder g = new Holder();
            g.id = 2L;
            g.name = "g";
            g.attrs.put("a", "g");
            g.parts.put("y", em.find(Part.class, 2L));
            g.tagged.put("t1", em.find(Part.class, 1L));
            em.persist(g);
        });
        step(unit, true);
        assertSame(unit);

        // the owner removed (its collection rows go with it)
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Holder g = em.find(Holder.class, 2L);
            g.parts.clear();
            em.remove(g);
        });
        step(unit, true);
        assertSame(unit);
        try (EntityManager em = unit.emf.createEntityManager()) {
            Holder h = em.find(Holder.class, 1L);
            assertThat(h.attrs).containsOnly(Map.entry("A", "one"), Map.entry("d", "4"));
            assertThat(h.counts).isEmpty();
            assertThat(h.addresses).containsOnlyKeys("home", "away");
        }
        assertThat(unit.local("select count(*) from pb_map_attrs")).isEqualTo(2);
    }

    private static void step(StandaloneUnit unit, boolean sync) {
        if (sync) {
            ProbeRows.syncAll(unit);
            assertSame(unit);
        }
    }

    private static void assertSame(StandaloneUnit unit) {
        for (String table : TABLES) {
            ProbeRows.assertSameRows(unit, table, 0);
        }
    }
}
