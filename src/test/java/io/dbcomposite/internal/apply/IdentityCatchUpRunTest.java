package io.dbcomposite.internal.apply;

import io.dbcomposite.CompositeSettings;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay run moves a PostgreSQL identity sequence once, not once per batch ({@link IdentityCatchUp.Run}): the first
 * batch with inserts moves it past the table's highest id on the remote and past the highest id the local side handed
 * out, and later batches whose ids stay under that send nothing. A batch with a higher id (written locally after the
 * look-ahead, or an insert whose row was deleted since) or with ids that are not numbers is caught up again. A sequence
 * set back during the run (by hand, or by another writer's catch-up) is past the run's ids again when the run ends, a
 * look-ahead stops at the sequence's maximum, and the next run asks again. Checked on the sequence itself and through a
 * whole unit whose replay takes many batches.
 */
class IdentityCatchUpRunTest {

    @Entity(name = "IcrTicket")
    @Table(name = "icr_ticket")
    public static class Ticket {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        String name;

        public Ticket() {
        }

        Ticket(String name) {
            this.name = name;
        }
    }

    /** A joined hierarchy: the id and its sequence are the root table's, the rows of a subclass span two tables. */
    @Entity(name = "IcrVehicle")
    @Table(name = "icr_vehicle")
    @jakarta.persistence.Inheritance(strategy = jakarta.persistence.InheritanceType.JOINED)
    public static class Vehicle {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        String name;

        public Vehicle() {
        }

        Vehicle(String name) {
            this.name = name;
        }
    }

    @Entity(name = "IcrTruck")
    @Table(name = "icr_truck")
    public static class Truck extends Vehicle {
        Integer axles;

        public Truck() {
        }

        Truck(String name, int axles) {
            super(name);
            this.axles = axles;
        }
    }

    private static final String ENTITY = Ticket.class.getName();

    private static String schema;
    private static EntityManagerFactory emf;
    private static SessionFactoryImplementor factory;

    @BeforeAll
    static void start() {
        schema = PostgresTestDatabase.createSchema("IdentityCatchUpRunTest");
        emf = new HibernatePersistenceConfiguration("identity-catch-up-run")
                .managedClasses(Ticket.class)
                .jdbcUrl(PostgresTestDatabase.urlFor(schema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory();
        factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
    }

    @AfterAll
    static void stop() {
        if (emf != null) {
            emf.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @BeforeEach
    void empty() {
        PostgresTestDatabase.update(schema, "truncate icr_ticket restart identity");
    }

    @Test
    void a_run_moves_the_sequence_past_the_local_top_once_and_again_only_for_higher_ids() {
        AtomicInteger lookedAhead = new AtomicInteger();
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> {
            lookedAhead.incrementAndGet();
            assertThat(root.getTableName()).isEqualTo("icr_ticket");
            return 7L;
        });

        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, 1, 3);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(lastValue()).isEqualTo(7); // the local top, though the remote holds ids up to 3 only

        batch(run, 4, 6);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1); // nothing sent: 6 <= 7
        assertThat(lastValue()).isEqualTo(7);

        batch(run, 7, 9); // 9 is past what the run looked ahead to
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
        assertThat(lastValue()).isEqualTo(9);
        assertThat(lookedAhead).hasValue(2);

        // ids the batch could not tell as numbers: caught up whatever the run knows
        inSession(s -> IdentityCatchUp.afterInserts(s, nullId(), run));
        run.committed();
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(3);
        assertThat(lastValue()).isEqualTo(9);

        // the remote's own next id is past every replayed one
        assertThat(PostgresTestDatabase.rows(schema, "insert into icr_ticket (name) values ('plain') returning id")
                .get(0).get("id")).isEqualTo(10L);
    }

    @Test
    void the_next_run_moves_a_sequence_set_back_meanwhile_and_a_failed_look_ahead_leaves_the_batch_own_ids() {
        batch(new IdentityCatchUp.Run(root -> null), 1, 5);
        assertThat(lastValue()).isEqualTo(5);
        setSequence(1);

        long before = IdentityCatchUp.CATCH_UPS.sum();
        IdentityCatchUp.Run next = new IdentityCatchUp.Run(root -> {
            throw new IllegalStateException("no local side to read");
        });
        batch(next, 6, 6);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(lastValue()).isEqualTo(6);
        // never backwards: a look-ahead and a table below the sequence leave it where it is
        setSequence(20);
        batch(new IdentityCatchUp.Run(root -> 2L), 7, 7);
        assertThat(lastValue()).isEqualTo(20);
    }

    @Test
    void a_sequence_set_back_during_the_run_is_past_every_replayed_id_when_the_run_ends() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 9L);
        batch(run, 1, 3);
        assertThat(lastValue()).isEqualTo(9);
        setSequence(3); // the usual repair by hand, to the table's highest id, while the run goes on

        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, 4, 6);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isZero(); // 6 <= 9: the batch asks nothing
        assertThat(run.skippedAny()).isTrue();

        inSession(s -> IdentityCatchUp.afterRun(s, run));
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(lastValue()).isEqualTo(6);
        assertThat(run.skippedAny()).isFalse();
        assertThat(PostgresTestDatabase.rows(schema, "insert into icr_ticket (name) values ('plain') returning id")
                .get(0).get("id")).isEqualTo(7L);
    }

    @Test
    void a_look_ahead_past_the_sequence_maximum_stops_at_the_maximum_and_fails_nothing() {
        PostgresTestDatabase.update(schema, "alter table icr_ticket alter column id set maxvalue 100");
        try {
            IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 5_000_000_000L);
            batch(run, 1, 3);
            assertThat(lastValue()).isEqualTo(100);
            long before = IdentityCatchUp.CATCH_UPS.sum();
            batch(run, 4, 6);
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isZero();
        } finally {
            PostgresTestDatabase.update(schema, "alter table icr_ticket alter column id set no maxvalue");
        }
    }

    @Test
    void a_replay_of_many_batches_moves_the_sequence_once_and_past_ids_written_after_the_look_ahead() {
        try (StandaloneUnit unit = StandaloneUnit.start("IdentityCatchUpRun", null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2"), Ticket.class)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                Ticket t = new Ticket("t" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(t));
                ids.add(t.id);
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().applied()).isEqualTo(9); // five batches of at most two transactions
            // the first batch's, and the check when the run ends (four batches sent none)
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
            assertThat(unit.remote("select count(*) from icr_ticket")).isEqualTo(9);
            assertThat(unit.remote("select pg_sequence_last_value(pg_get_serial_sequence('icr_ticket', 'id'))"))
                    .isEqualTo(ids.get(8));

            // the highest rows inserted and deleted again before the replay: the local side's top no longer covers
            // the ids the log replays, so the batches that carry them are caught up on their own
            List<Long> more = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Ticket t = new Ticket("u" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(t));
                more.add(t.id);
            }
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (Long id : more.subList(3, 6)) {
                    em.remove(em.find(Ticket.class, id));
                }
            });
            before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().failed()).isZero();
            // the first batch looks ahead to the third new row; the two batches past it are caught up on their own, and
            // no batch skipped, so the run's end sends nothing
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(3);
            assertThat(unit.remote("select pg_sequence_last_value(pg_get_serial_sequence('icr_ticket', 'id'))"))
                    .isEqualTo(more.get(5));
            assertThat(unit.remote("select count(*) from icr_ticket")).isEqualTo(12);
            // and the remote's own next id is past every replayed one
            assertThat(unit.remote("insert into icr_ticket (name) values ('plain') returning id")).isGreaterThan(more.get(5));
        }
    }

    @Test
    void a_joined_hierarchy_replayed_in_many_batches_leaves_the_root_sequence_past_every_id() {
        try (StandaloneUnit unit = StandaloneUnit.start("IdentityCatchUpJoined", null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2"), Vehicle.class, Truck.class)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                Vehicle v = i % 2 == 0 ? new Truck("truck-" + i, 2 + i) : new Vehicle("vehicle-" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(v));
                ids.add(v.id);
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().applied()).isEqualTo(7);
            // both entities' rows are the root table's: one catch-up at the first batch, one when the run ends
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
            assertThat(unit.remote("select count(*) from icr_vehicle")).isEqualTo(7);
            assertThat(unit.remote("select count(*) from icr_truck")).isEqualTo(4);
            assertThat(unit.remote("insert into icr_vehicle (name) values ('plain') returning id"))
                    .isGreaterThan(java.util.Collections.max(ids));
        }
    }

    /** Inserts rows with the given ids, as a replay batch would, and catches up as the batch's end does. */
    private static void batch(IdentityCatchUp.Run run, long first, long last) {
        inSession(s -> {
            for (long id = first; id <= last; id++) {
                s.createNativeMutationQuery("insert into icr_ticket (id, name) values (:id, 'r')").setParameter("id", id)
                        .executeUpdate();
            }
            IdentityCatchUp.afterInserts(s, Map.of(ENTITY, last), run);
        });
        run.committed(); // as the replay does once the batch's transaction commits
    }

    private static Map<String, Long> nullId() {
        Map<String, Long> unknown = new HashMap<>();
        unknown.put(ENTITY, null);
        return unknown;
    }

    private static void inSession(java.util.function.Consumer<StatelessSession> work) {
        try (StatelessSession s = factory.openStatelessSession()) {
            s.getTransaction().begin();
            work.accept(s);
            s.getTransaction().commit();
        }
    }

    private static void setSequence(long value) {
        PostgresTestDatabase.rows(schema, "select setval(pg_get_serial_sequence('icr_ticket', 'id'), ?)", value);
    }

    private static long lastValue() {
        return ((Number) PostgresTestDatabase.rows(schema,
                "select pg_sequence_last_value(pg_get_serial_sequence('icr_ticket', 'id')) as v").get(0).get("v")).longValue();
    }
}
