package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.probes.PbKeys.Animal;
import io.dbcomposite.probes.PbKeys.Bird;
import io.dbcomposite.probes.PbKeys.Line;
import io.dbcomposite.probes.PbKeys.OrderDoc;
import io.dbcomposite.probes.PbKeys.OrderKey;
import io.dbcomposite.probes.PbKeys.Product;
import io.dbcomposite.probes.PbKeys.Shipment;
import io.dbcomposite.probes.PbKeys.ShipmentId;
import io.dbcomposite.probes.PbKeys.Slot;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Owners with composite ids ({@code @EmbeddedId}, {@code @IdClass}) and their maps, bags with duplicates, maps keyed by
 * an embeddable, sorted sets, embeddable elements that refer to an entity persisted after the owner, and a
 * SINGLE_TABLE subclass with a collection: the remote's rows are the local rows, logged and replayed or written to
 * both sides at once.
 */
class CompositeKeysProbeTest {

    private static final String[] TABLES = {"pb_product", "pb_order_doc", "pb_order_doc_attrs", "pb_order_doc_lines",
            "pb_order_doc_by_slot", "pb_order_doc_slots", "pb_shipment", "pb_shipment_labels", "pb_animal", "pb_bird_songs"};
    private static final Class<?>[] CLASSES = {Product.class, OrderDoc.class, Shipment.class, Animal.class, Bird.class};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void composite_keys_replay_exactly(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbKeysLogged", null, Map.of(), CLASSES)) {
            work(unit, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void composite_keys_written_to_both_sides_at_once_are_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbKeysDual", dual, Map.of(), CLASSES)) {
            work(unit, false);
        }
    }

    private static ShipmentId shipment(String carrier, long code) {
        ShipmentId id = new ShipmentId();
        id.carrier = carrier;
        id.code = code;
        return id;
    }

    private static void work(StandaloneUnit unit, boolean sync) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            OrderDoc d = new OrderDoc();
            d.key = new OrderKey("EU", 1);
            d.note = "first";
            em.persist(d);
            // the elements' product is persisted after the owner
            Product p = new Product();
            p.id = 1L;
            p.name = "p1";
            em.persist(p);
            d.lines.add(new Line(p, 2));
            d.lines.add(new Line(p, 2)); // a duplicate element
            d.attrs.put("colour", "red");
            d.bySlot.put(new Slot("mon", 9), "ann");
            d.bySlot.put(new Slot("tue", 10), "bob");
            d.slots.add(new Slot("wed", 8));
            d.slots.add(new Slot("mon", 8));
            Shipment s = new Shipment();
            s.carrier = "dhl";
            s.code = 7L;
            s.labels.add("fragile");
            s.labels.add("fragile");
            em.persist(s);
            Bird b = new Bird();
            b.id = 1L;
            b.name = "robin";
            b.wings = 2;
            b.songs.add("tweet");
            em.persist(b);
            Animal a = new Animal();
            a.id = 2L;
            a.name = "generic";
            em.persist(a);
        });
        step(unit, sync);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            OrderDoc d = em.find(OrderDoc.class, new OrderKey("EU", 1));
            Product q = new Product();
            q.id = 2L;
            q.name = "p2";
            d.lines.remove(0);
            d.lines.add(new Line(q, 5));
            em.persist(q);
            d.attrs.put("size", "L");
            d.attrs.remove("colour");
            d.bySlot.remove(new Slot("mon", 9));
            d.bySlot.put(new Slot("tue", 10), "cid");
            d.slots.remove(new Slot("mon", 8));
            d.slots.add(new Slot("aaa", 1));
            OrderDoc e = new OrderDoc();
            e.key = new OrderKey("US", 1);
            e.attrs.put("colour", "blue");
            em.persist(e);
            Shipment s = em.find(Shipment.class, shipment("dhl", 7L));
            s.labels.remove("fragile"); // one of the two
            s.labels.add("urgent");
            Bird b = em.find(Bird.class, 1L);
            b.songs.add(0, "chirp");
            b.wings = 3;
        });
        step(unit, true);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.remove(em.find(OrderDoc.class, new OrderKey("US", 1)));
            em.remove(em.find(Bird.class, 1L));
            em.find(OrderDoc.class, new OrderKey("EU", 1)).lines.clear();
        });
        step(unit, true);
    }

    private static void step(StandaloneUnit unit, boolean sync) {
        if (sync) {
            ProbeRows.syncAndCompare(unit, TABLES);
        }
    }
}
