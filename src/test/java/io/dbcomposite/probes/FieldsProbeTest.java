package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.probes.PbFields.Kinds;
import io.dbcomposite.probes.PbFields.Stage;
import io.dbcomposite.probes.PbFields.Truck;
import io.dbcomposite.probes.PbFields.Vehicle;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enums by name and by ordinal (changed, and in an element collection), characters, decimals with and without a scale,
 * null and primitive booleans, a converter that stores a value as SQL null, a mutable natural id, a secondary table
 * emptied and filled again, long texts in an ordered element collection, and a JOINED subclass with collections: the remote's
 * rows are the local rows after the replay, and after a write to both sides at once.
 */
class FieldsProbeTest {

    private static final String[] TABLES = {"pb_kinds", "pb_kinds_extra", "pb_kinds_stages", "pb_kinds_texts",
            "pb_vehicle", "pb_truck", "pb_truck_loads", "pb_truck_plates"};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void values_replay_exactly(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFieldsLogged", null, Map.of(),
                Kinds.class, Vehicle.class, Truck.class)) {
            work(unit, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void values_written_to_both_sides_at_once_are_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbFieldsDual", dual, Map.of(),
                Kinds.class, Vehicle.class, Truck.class)) {
            work(unit, false);
        }
    }

    private static void work(StandaloneUnit unit, boolean syncBetween) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (long i = 1; i <= 3; i++) {
                Kinds k = new Kinds();
                k.id = i;
                k.code = "K" + i;
                k.byName = Stage.DRAFT;
                k.byOrdinal = Stage.values()[(int) i];
                k.byDefault = i == 3 ? null : Stage.REVIEW;
                k.letter = i == 1 ? Character.valueOf('x') : i == 2 ? Character.valueOf(' ') : null;
                k.initial = (char) ('a' + i);
                k.amount = i == 1 ? new BigDecimal("1.5") : i == 2 ? new BigDecimal("-12345678.1234") : null;
                k.plain = i == 1 ? new BigDecimal("10") : i == 2 ? new BigDecimal("0.10") : null;
                k.flag = i == 1 ? Boolean.TRUE : i == 2 ? Boolean.FALSE : null;
                k.active = i == 2;
                k.priority = i == 1 ? Integer.valueOf(0) : i == 2 ? null : Integer.valueOf(7);
                k.extraNote = i == 3 ? null : "note" + i;
                k.extraCount = i == 1 ? 1 : null;
                k.history.add(Stage.DRAFT);
                k.texts.add("text " + i);
                k.texts.add("long ".repeat(150));
                em.persist(k);
            }
            Vehicle v = new Vehicle();
            v.id = 10L;
            v.maker = "plain";
            em.persist(v);
            Truck t = new Truck();
            t.id = 11L;
            t.maker = "big";
            t.axles = 3;
            t.loads.add("sand");
            t.loads.add("gravel");
            t.plates.add("AB-1");
            em.persist(t);
        });
        step(unit, syncBetween);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Kinds k1 = em.find(Kinds.class, 1L);
            k1.byName = Stage.PUBLISHED;
            k1.byOrdinal = Stage.DRAFT;
            k1.byDefault = null;
            k1.letter = null;
            k1.initial = 'Z';
            k1.amount = new BigDecimal("2");
            k1.flag = null;
            k1.active = true;
            k1.priority = null;
            k1.code = "K1-renamed";
            k1.extraNote = null;
            k1.extraCount = null; // the secondary row goes
            k1.history.add(Stage.REVIEW);
            k1.texts.add(0, "first");
            Kinds k3 = em.find(Kinds.class, 3L);
            k3.extraNote = "now"; // the secondary row comes
            k3.priority = 0;
            k3.history.remove(Stage.DRAFT);
            k3.texts.remove(0);
            Kinds k2 = em.find(Kinds.class, 2L);
            k2.priority = 5;
            k2.byName = Stage.ARCHIVED;
            Truck t = em.find(Truck.class, 11L);
            t.axles = null;
            t.loads.add(1, "stone");
            t.loads.remove("sand");
            t.plates.add("AB-2");
            t.plates.remove("AB-1");
        });
        step(unit, true);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.remove(em.find(Kinds.class, 2L));
            em.remove(em.find(Truck.class, 11L));
            Truck t = new Truck();
            t.id = 12L;
            t.maker = "new";
            t.loads.add("air");
            em.persist(t);
        });
        step(unit, true);
        assertThat(unit.local("select count(*) from pb_kinds_extra")).isEqualTo(1);
    }

    private static void step(StandaloneUnit unit, boolean sync) {
        if (sync) {
            ProbeRows.syncAndCompare(unit, TABLES);
            assertThat(read(unit.emf.remoteFactory())).isEqualTo(read(unit.emf.localFactory()));
        }
    }

    /** What Hibernate reads on one side, decimals with their scale. */
    private static Map<Long, String> read(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Kinds k : s.createSelectionQuery("from PbKinds", Kinds.class).list()) {
                out.put(k.id, k.version + "|" + k.code + "|" + k.byName + "|" + k.byOrdinal + "|" + k.byDefault + "|"
                        + (k.letter == null ? "null" : "'" + k.letter + "'") + "|" + k.initial + "|" + k.amount + "|"
                        + k.plain + "|" + k.flag + "|" + k.active + "|" + k.priority + "|" + k.extraNote + "|"
                        + k.extraCount + "|" + new TreeSet<>(k.history) + "|" + k.texts);
            }
            for (Vehicle v : s.createSelectionQuery("from PbVehicle", Vehicle.class).list()) {
                out.put(v.id, v.getClass().getSimpleName() + "|" + v.maker
                        + (v instanceof Truck t ? "|" + t.axles + "|" + t.loads + "|" + new TreeSet<>(t.plates) : ""));
            }
        }
        return out;
    }
}
