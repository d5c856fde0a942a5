package io.dbcomposite.ids;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows written to the remote with the SEQUENCE, TABLE or AUTO ids the local side allocated (from its generator table:
 * SQLite has no sequences) leave the remote's own sequence or generator row past them, so an id the remote allocates
 * afterwards (an entity of the same table and generator that the remote numbers, plain SQL's {@code nextval}) is new,
 * and with a pooled optimizer the rows the local side numbers next from the block it holds replay without meeting it. Covers the background
 * replay and the mirrored writes of DUAL entities, with allocation sizes 1 and 50.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorCatchUpTest {

    /** The routings of the locally numbered entities that write their ids to the remote. */
    enum Routed {
        LOCAL_BACKGROUND(Routing.builder().build()),
        DUAL_FAIL(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build()),
        DUAL_QUEUE(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build());

        final Routing routing;

        Routed(Routing routing) {
            this.routing = routing;
        }
    }

    /** One unit at a time: the cases come routing by routing, each kind on tables and generators of its own. */
    private Routed current;
    private StandaloneUnit unit;

    private StandaloneUnit unit(Routed routed) {
        if (routed != current) {
            stop();
            unit = StandaloneUnit.start("GenCatchUp" + routed.ordinal(), routed.routing,
                    SharedGenerators.ALL.toArray(new Class<?>[0]));
            current = routed;
        }
        return unit;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
            unit = null;
            current = null;
        }
    }

    static Stream<Arguments> routingsAndKinds() {
        List<Arguments> all = new ArrayList<>();
        for (Routed routed : Routed.values()) {
            for (SharedGenerators.Kind kind : SharedGenerators.Kind.values()) {
                all.add(Arguments.of(routed, kind));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} routed {0}")
    @MethodSource("routingsAndKinds")
    void an_id_the_remote_allocates_after_rows_with_local_ids_is_past_them(Routed routed, SharedGenerators.Kind kind) {
        StandaloneUnit unit = unit(routed);
        Map<Long, String> expected = new TreeMap<>();
        List<SharedGenerators.Row> locals = new ArrayList<>();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (int i = 0; i < 3; i++) {
                SharedGenerators.Row row = kind.newLocal("local-" + i);
                em.persist(row);
                locals.add(row);
            }
        });
        assertThat(unit.emf.sync().failed()).isZero();
        locals.forEach(row -> expected.put(row.getId(), row.getName()));
        assertThat(expected).hasSize(3);
        assertThat(byId(unit, kind)).as("replayed rows").isEqualTo(expected);
        long highest = Collections.max(expected.keySet());

        // numbered by the remote's own generator: without the catch-up its first value, a duplicate key
        SharedGenerators.Row remote = kind.newRemote("remote");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(remote));
        assertThat(remote.getId()).isGreaterThan(highest);
        expected.put(remote.getId(), "remote");

        if (kind.blocks) {
            // the local side numbers on from the block it holds: those ids must not be ones the remote handed out. (With
            // allocation size 1 there is no such block, and the local side's next id is the remote's last one: two
            // databases allocating from copies of one generator for one table need ranges of their own, README "Ids")
            SharedGenerators.Row later = kind.newLocal("local-later");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(later));
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(later.getId()).isNotEqualTo(remote.getId());
            expected.put(later.getId(), "local-later");
        }
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
        assertThat(byId(unit, kind)).as("every row, none overwritten").isEqualTo(expected);

        if (kind.sequence != null) {
            // another application taking a value straight from the sequence
            long plain = unit.remote("select nextval('" + kind.sequence + "')");
            assertThat(plain).isGreaterThan(Collections.max(expected.keySet()));
        }
    }

    @org.junit.jupiter.api.Test
    void a_sequence_of_a_table_per_class_hierarchy_is_moved_past_the_ids_of_every_subclass_table() {
        stop();
        try (StandaloneUnit unit = StandaloneUnit.start("GenCatchUpTpc", SharedGenerators.HIERARCHY.toArray(new Class<?>[0]))) {
            List<SharedGenerators.Vehicle> vehicles = new ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 60; i++) {
                    SharedGenerators.Vehicle v = i % 2 == 0 ? new SharedGenerators.Car("car-" + i)
                            : new SharedGenerators.Bike("bike-" + i);
                    em.persist(v);
                    vehicles.add(v);
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();
            long highest = vehicles.stream().mapToLong(SharedGenerators.Vehicle::getId).max().orElseThrow();
            assertThat(unit.remote("select count(*) from catchup_car") + unit.remote("select count(*) from catchup_bike"))
                    .isEqualTo(60);

            assertThat(unit.remote("select nextval('catchup_vehicle_seq')")).isGreaterThan(highest);
        }
    }

    @org.junit.jupiter.api.Test
    void rows_replay_when_the_remote_has_no_generator_table_of_their_generator() {
        stop();
        try (StandaloneUnit unit = StandaloneUnit.start("GenCatchUpNoTable", SharedGenerators.ALL.toArray(new Class<?>[0]))) {
            // a remote schema made by hand, without the table only the local side allocates from
            PostgresTestDatabase.update(unit.schema, "drop table catchup_ids");
            SharedGenerators.Row row = SharedGenerators.Kind.TABLE_FIFTY.newLocal("no generator table there");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(row));

            io.dbcomposite.SyncResult r = unit.emf.sync();

            assertThat(r.failed()).isZero();
            assertThat(unit.remote("select count(*) from catchup_tab_fifty_row where id = ?", row.getId())).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void a_remote_user_without_rights_on_the_sequence_gets_its_rows_replayed_and_a_warning_naming_the_grant() throws Exception {
        stop();
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger library = java.util.logging.Logger.getLogger("io.dbcomposite");
        String role = "dbc_gen_" + Long.toHexString(System.nanoTime());
        // the tables belong to the test database's user; the unit below reaches them as a role with rights on the
        // tables only (enough to replay rows with their ids, not to read or set the sequence)
        try (StandaloneUnit owner = StandaloneUnit.start("GenCatchUpGrant", SharedGenerators.ALL.toArray(new Class<?>[0]))) {
            PostgresTestDatabase.update(owner.schema, "create role " + role + " login");
            library.addHandler(handler);
            try {
                PostgresTestDatabase.update(owner.schema, "grant usage on schema " + owner.schema + " to " + role);
                PostgresTestDatabase.update(owner.schema, "grant select, insert, update, delete on all tables in schema "
                        + owner.schema + " to " + role);
                try (io.dbcomposite.CompositeEntityManagerFactory limited = io.dbcomposite.CompositePersistence.builder()
                        .name("GenCatchUpLimited")
                        .local(io.dbcomposite.testing.SqliteFiles.urlIn(
                                java.nio.file.Files.createTempDirectory("dbcomposite-gen-grant"), "local.db"))
                        .remote(PostgresTestDatabase.urlFor(owner.schema), role, "")
                        .entities(SharedGenerators.ALL.toArray(new Class<?>[0]))
                        .syncEnabled(false)
                        .property(io.dbcomposite.CompositeSettings.LOCAL_HIBERNATE_PREFIX + "hbm2ddl.auto", "create")
                        .build()) {
                    SharedGenerators.Row row = SharedGenerators.Kind.SEQUENCE_FIFTY.newLocal("replayed by a limited user");
                    Transactions.inTransaction(limited.createEntityManager(), em -> em.persist(row));

                    io.dbcomposite.SyncResult r = limited.sync();

                    assertThat(r.failed()).isZero();
                    assertThat(r.applied()).isEqualTo(1);
                    assertThat(owner.remote("select count(*) from catchup_seq_fifty_row where id = ?", row.getId())).isEqualTo(1);
                    assertThat(records).filteredOn(rec -> rec.getLevel() == java.util.logging.Level.WARNING
                                    && rec.getMessage().contains("sequence catchup_seq_fifty "))
                            .singleElement()
                            .satisfies(rec -> assertThat(rec.getMessage()).contains("Grant SELECT, UPDATE on sequence"));
                }
            } finally {
                library.removeHandler(handler);
                PostgresTestDatabase.update(owner.schema, "drop owned by " + role);
                PostgresTestDatabase.update(owner.schema, "drop role " + role);
            }
        }
    }

    private static Map<Long, String> byId(StandaloneUnit unit, SharedGenerators.Kind kind) {
        Map<Long, String> out = new TreeMap<>();
        PostgresTestDatabase.rows(unit.schema, "select id, name from " + kind.table())
                .forEach(row -> out.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
        return out;
    }
}
