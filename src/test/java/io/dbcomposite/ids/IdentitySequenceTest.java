package io.dbcomposite.ids;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 17: rows written to the remote with the ids the local side generated (IDENTITY) leave the remote's
 * identity sequence past them, so the next insert that takes its id from the remote (a {@code write=REMOTE} entity of
 * the same table, another application's plain SQL) does not meet a duplicate key. Covers the background replay, the
 * mirrored writes of DUAL and write-through entities, and the rows a DUAL commit takes along.
 */
class IdentitySequenceTest {

    /** The routings of {@link Ticket} that write its local ids to the remote. */
    enum Routed {
        LOCAL_BACKGROUND(Routing.builder().build()),
        DUAL_FAIL(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build()),
        DUAL_QUEUE(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build()),
        WRITE_THROUGH_FAIL(Routing.builder().read(Read.LOCAL).write(Write.REMOTE).onRemoteFail(OnRemoteFail.FAIL).build()),
        WRITE_THROUGH_QUEUE(Routing.builder().read(Read.LOCAL).write(Write.REMOTE).onRemoteFail(OnRemoteFail.QUEUE).build());

        final Routing routing;

        Routed(Routing routing) {
            this.routing = routing;
        }
    }

    @ParameterizedTest
    @EnumSource(Routed.class)
    void the_next_remote_insert_after_rows_with_local_identity_ids_gets_a_new_id(Routed routed) {
        try (StandaloneUnit unit = StandaloneUnit.start("IdentitySeq" + routed.ordinal(), routed.routing,
                Ticket.class, RemoteTicket.class, TicketReply.class)) {
            List<Ticket> tickets = new ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 3; i++) {
                    Ticket t = new Ticket("local-" + i);
                    em.persist(t);
                    tickets.add(t);
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
            Map<Long, String> expected = new TreeMap<>();
            tickets.forEach(t -> expected.put(t.getId(), t.getName()));
            assertThat(expected).hasSize(3);
            assertThat(byId(PostgresTestDatabase.rows(unit.schema, "select id, name from ticket"))).isEqualTo(expected);
            assertThat(byId(SqliteFiles.rows(unit.localUrl, "select id, name from Ticket"))).isEqualTo(expected);
            long highest = ((TreeMap<Long, String>) expected).lastKey();

            RemoteTicket remote = new RemoteTicket("remote");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(remote));
            long plain = insertWithPlainSql(unit);

            assertThat(remote.getId()).isGreaterThan(highest);
            assertThat(plain).isGreaterThan(remote.getId());
            assertThat(unit.remote("select count(*) from ticket")).isEqualTo(5);
        }
    }

    @Test
    void rows_a_dual_commit_takes_along_from_earlier_transactions_leave_the_sequence_past_them() {
        try (StandaloneUnit unit = StandaloneUnit.start("IdentitySeqPending", Ticket.class, RemoteTicket.class,
                TicketReply.class)) {
            Ticket first = new Ticket("first");
            Ticket second = new Ticket("second");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.persist(first);
                em.persist(second);
            });
            // the reply's DUAL commit needs its ticket on the remote: the logged inserts go along, not sync()
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(
                    new TicketReply(1L, em.find(Ticket.class, second.getId()))));

            assertThat(unit.remote("select count(*) from ticket")).isEqualTo(2);
            assertThat(insertWithPlainSql(unit)).isGreaterThan(second.getId());
        }
    }

    @Test
    void rows_a_dual_commit_takes_along_from_its_own_transaction_leave_the_sequence_past_them() {
        try (StandaloneUnit unit = StandaloneUnit.start("IdentitySeqCaptured", Ticket.class, RemoteTicket.class,
                TicketReply.class)) {
            Ticket first = new Ticket("first");
            Ticket second = new Ticket("second");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.persist(first);
                em.persist(second);
                em.persist(new TicketReply(1L, second));
            });

            assertThat(unit.remote("select count(*) from ticket where id = ?", second.getId())).isEqualTo(1);
            assertThat(insertWithPlainSql(unit)).isGreaterThan(second.getId());
        }
    }

    @Test
    void a_remote_user_without_rights_on_the_sequence_gets_its_rows_replayed_and_a_warning_naming_the_grant() throws Exception {
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
        String role = "dbc_ids_" + Long.toHexString(System.nanoTime());
        // the tables belong to the test database's user; the unit below reaches them as a role with rights on the
        // tables only (enough to insert with the identity's own ids, not to read or set its sequence)
        try (StandaloneUnit owner = StandaloneUnit.start("IdentitySeqGrant", Ticket.class, RemoteTicket.class,
                TicketReply.class)) {
            PostgresTestDatabase.update(owner.schema, "create role " + role + " login");
            library.addHandler(handler);
            try {
                PostgresTestDatabase.update(owner.schema, "grant usage on schema " + owner.schema + " to " + role);
                PostgresTestDatabase.update(owner.schema, "grant select, insert, update, delete on all tables in schema "
                        + owner.schema + " to " + role);
                try (io.dbcomposite.CompositeEntityManagerFactory limited = io.dbcomposite.CompositePersistence.builder()
                        .name("IdentitySeqLimited")
                        .local(SqliteFiles.urlIn(java.nio.file.Files.createTempDirectory("dbcomposite-ids-grant"), "local.db"))
                        .remote(PostgresTestDatabase.urlFor(owner.schema), role, "")
                        .entities(Ticket.class, RemoteTicket.class, TicketReply.class)
                        .syncEnabled(false)
                        .property(io.dbcomposite.CompositeSettings.LOCAL_HIBERNATE_PREFIX + "hbm2ddl.auto", "create")
                        .build()) {
                    Ticket t = new Ticket("replayed by a limited user");
                    Transactions.inTransaction(limited.createEntityManager(), em -> em.persist(t));

                    io.dbcomposite.SyncResult r = limited.sync();

                    assertThat(r.failed()).isZero();
                    assertThat(r.applied()).isEqualTo(1);
                    assertThat(owner.remote("select count(*) from ticket where id = ?", t.getId())).isEqualTo(1);
                    assertThat(records).filteredOn(rec -> rec.getLevel() == java.util.logging.Level.WARNING
                                    && rec.getMessage().contains("sequence of table Ticket"))
                            .singleElement()
                            .satisfies(rec -> assertThat(rec.getMessage()).contains("Grant SELECT, UPDATE"));
                }
            } finally {
                library.removeHandler(handler);
                PostgresTestDatabase.update(owner.schema, "drop owned by " + role);
                PostgresTestDatabase.update(owner.schema, "drop role " + role);
            }
        }
    }

    /** @return the id the remote gave a row another application inserted without one */
    private static long insertWithPlainSql(StandaloneUnit unit) {
        return unit.remote("insert into ticket (name) values ('plain sql') returning id");
    }

    private static Map<Long, String> byId(List<Map<String, Object>> rows) {
        Map<Long, String> out = new TreeMap<>();
        rows.forEach(row -> out.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
        return out;
    }
}
