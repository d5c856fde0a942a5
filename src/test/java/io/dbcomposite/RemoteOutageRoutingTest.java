package io.dbcomposite;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract's "Outages" section against the real PostgreSQL behind a TCP proxy: an operation that needs an
 * unreachable remote fails within the connect timeout with {@link RemoteUnavailableException}, and at once while the
 * outage is known; local work goes on; the first commit after the outage succeeds.
 */
class RemoteOutageRoutingTest extends CompositeTestBase {

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                .property(CompositeSettings.REMOTE_SOCKET_TIMEOUT, "2s");
    }

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    private static Payment payment() {
        return new Payment(UUID.randomUUID(), new BigDecimal("12.50"), "EUR", PaymentMethod.CARD);
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Makes the unit notice the outage (one remote read), so later calls meet a known outage. */
    private void noticeOutage() {
        proxy.cut();
        assertThatThrownBy(() -> read(em -> em.find(AuditEvent.class, UUID.randomUUID())))
                .isInstanceOf(RemoteUnavailableException.class);
        assertThat(emf.getSyncStatus().remoteAvailable()).isFalse();
    }

    @Test
    void a_remote_read_during_an_outage_fails_with_RemoteUnavailableException_within_the_connect_timeout() {
        proxy.cut();
        long started = System.nanoTime();

        assertThatThrownBy(() -> read(em -> em.find(AuditEvent.class, UUID.randomUUID())))
                .isInstanceOf(RemoteUnavailableException.class)
                .hasMessageContaining("remote database");

        assertThat(millisSince(started)).as("ms to fail the first remote read").isLessThan(3_000);
        assertThat(emf.getSyncStatus().remoteAvailable()).isFalse();
    }

    @Test
    void a_remote_read_whose_pooled_connection_dies_with_the_network_fails_with_RemoteUnavailableException() {
        for (int i = 0; i < 2; i++) {
            boolean query = i == 1;
            // a read just before the cut leaves a pooled connection that the pool hands out again without a check
            read(em -> em.find(AuditEvent.class, UUID.randomUUID()));
            proxy.cut();

            assertThatThrownBy(() -> read(em -> query
                    ? em.createQuery("select e from AuditEvent e", AuditEvent.class).getResultList()
                    : em.find(AuditEvent.class, UUID.randomUUID())))
                    .as(query ? "a query" : "a find").isInstanceOf(RemoteUnavailableException.class);
            restoreNetwork();
        }
    }

    @Test
    void once_the_outage_is_known_remote_operations_fail_at_once() {
        noticeOutage();
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> read(em -> em.createQuery("select count(e) from AuditEvent e", Long.class).getSingleResult()))
                    .isInstanceOf(RemoteUnavailableException.class);
        }
        assertThat(millisSince(started)).as("ms for five remote queries during a known outage").isLessThan(1_000);
    }

    @Test
    void sync_during_an_outage_throws_RemoteUnavailableException_and_uses_no_attempt() {
        Product p = new Product(unique("OUT"), "Queued", new BigDecimal("1.00"), Category.GROCERY);
        long mark = logMark();
        inTransaction(em -> em.persist(p));
        proxy.cut();

        assertThatThrownBy(() -> emf.sync()).isInstanceOf(RemoteUnavailableException.class);

        assertThat(logRowsSince(mark)).singleElement().satisfies(row -> {
            assertThat(row.get("status")).isEqualTo("PENDING");
            assertThat(((Number) row.get("attempts")).intValue()).isZero();
        });
        SyncStatus status = emf.getSyncStatus();
        assertThat(status.remoteAvailable()).isFalse();
        assertThat(status.oldestPendingAt()).isNotNull();
        long waiting = status.pendingChanges(); // this product, and whatever earlier tests of the class left pending

        restoreNetwork();
        SyncResult r = emf.sync();
        assertThat(r.applied()).as("every change that waited out the outage").isEqualTo(waiting);
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isEqualTo(1);
        assertThat(emf.getSyncStatus().remoteAvailable()).isTrue();
    }

    @Test
    void a_fail_write_during_an_outage_throws_RemoteWriteException_caused_by_RemoteUnavailableException() {
        noticeOutage();
        Payment pay = payment();

        assertThatThrownBy(() -> inTransaction(em -> em.persist(pay)))
                .isInstanceOf(RemoteWriteException.class)
                .hasCauseInstanceOf(RemoteUnavailableException.class);

        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
    }

    @Test
    void local_and_queued_writes_go_on_during_an_outage() {
        noticeOutage();
        Product p = new Product(unique("OUT"), "Local", new BigDecimal("2.00"), Category.GROCERY);
        Notification n = new Notification("ops@example.com", "queued while down");

        inTransaction(em -> em.persist(p));
        inTransaction(em -> em.persist(n));

        assertThat(localCount("product", "sku = ?", p.getSku())).isEqualTo(1);
        assertThat(localCount("dbc_sync_log", "entity_name = 'Notification' and entity_id = ? and operation = 'INSERT'"
                + " and status = 'PENDING'", n.getId().toString())).as("the queued insert of the notification").isEqualTo(1);
    }

    @Test
    void the_first_fail_write_after_an_outage_succeeds() {
        // connections opened before the outage are in the pool
        Payment before = payment();
        inTransaction(em -> em.persist(before));
        noticeOutage();
        restoreNetwork();

        Payment after = payment();
        inTransaction(em -> em.persist(after));

        assertThat(remoteCount("payment", "id = ?", after.getId())).isEqualTo(1);
        assertThat(localCount("payment", "id = ?", uuidBytes(after.getId()))).isEqualTo(1);
    }

    @Test
    void a_transaction_that_read_remotely_and_writes_only_locally_commits_when_the_remote_drops() {
        AuditEvent e = new AuditEvent("seen", "before the drop");
        inTransaction(em -> em.persist(e));
        Product p = new Product(unique("MIX"), "Local after remote read", new BigDecimal("3.00"), Category.GROCERY);

        inTransaction(em -> {
            assertThat(em.find(AuditEvent.class, e.getId())).isNotNull();
            proxy.cut();
            em.persist(p);
        });

        assertThat(localCount("product", "sku = ?", p.getSku())).isEqualTo(1);
    }

    @Test
    void a_partition_fails_a_fail_write_and_a_sync_within_the_timeouts() {
        Payment warm = payment();
        inTransaction(em -> em.persist(warm)); // the pool holds live connections when packets start to vanish
        Product queued = new Product(unique("PART"), "Waits", new BigDecimal("5.00"), Category.GROCERY);
        inTransaction(em -> em.persist(queued));
        proxy.partition();

        long started = System.nanoTime();
        assertThatThrownBy(() -> inTransaction(em -> em.persist(payment()))).isInstanceOf(RemoteWriteException.class);
        assertThat(millisSince(started)).as("ms for a FAIL write during a partition").isLessThan(10_000);

        started = System.nanoTime();
        assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
        assertThat(millisSince(started)).as("ms for sync() during a partition").isLessThan(10_000);
        assertThat(remoteCount("product", "sku = ?", queued.getSku())).isZero();
    }

    @Test
    void the_background_job_logs_an_outage_once_at_warn_and_its_end_once_at_info() throws Exception {
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
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
        Path dir = Files.createTempDirectory("dbcomposite-outage-log");
        String schema = PostgresTestDatabase.createSchema("outage_log");
        library.addHandler(handler);
        try (TcpProxy link = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
             CompositeEntityManagerFactory unit = CompositePersistence.builder()
                     .name("OutageLog")
                     .local(SqliteFiles.urlIn(dir, "local.db"))
                     .remote(PostgresTestDatabase.urlThrough(link, schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                     .entities(TestModel.ENTITIES)
                     .syncInterval(Duration.ofMillis(100))
                     .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                     .property("hibernate.hbm2ddl.auto", "create")
                     .build()) {
            link.cut();
            Product p = new Product(unique("LOG"), "Waits out the outage", new BigDecimal("6.00"), Category.GROCERY);
            unit.runInTransaction(em -> em.persist(p));
            await(() -> !unit.getSyncStatus().remoteAvailable());
            // the probe and many job runs meet the outage: the probe's refused connections count the time passing
            int refusedBefore = link.refusedConnections();
            await(() -> link.refusedConnections() >= refusedBefore + 3);

            link.restore();
            await(() -> unit.getSyncStatus().remoteAvailable() && unit.getSyncStatus().pendingChanges() == 0);

            java.util.List<java.util.logging.LogRecord> warnings = records.stream()
                    .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                    // only the outage's own lines: a start's boot lines are not counted
                    .filter(r -> !"io.dbcomposite.boot".equals(r.getLoggerName())).toList();
            assertThat(warnings).as("warnings during one outage: %s", warnings.stream()
                            .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList()).singleElement()
                    .satisfies(r -> assertThat(r.getMessage()).contains("unreachable"));
            assertThat(records.stream().filter(r -> r.getLevel() == java.util.logging.Level.INFO
                    && r.getMessage().contains("reachable again")).count()).as("end of the outage logged").isEqualTo(1);
        } finally {
            library.removeHandler(handler);
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void a_second_close_of_an_entity_manager_is_a_no_op() {
        CompositeEntityManager em = emf.createEntityManager();
        em.close();
        em.close();
        assertThat(em.isOpen()).isFalse();
    }

    @Test
    void a_unit_starts_while_the_remote_is_down_and_creates_the_remote_schema_when_it_first_answers() throws Exception {
        Path dir = Files.createTempDirectory("dbcomposite-start-down");
        String schema = PostgresTestDatabase.createSchema("start_down");
        try (TcpProxy down = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            down.cut();
            String localUrl = SqliteFiles.urlIn(dir, "local.db");
            long started = System.nanoTime();
            try (CompositeEntityManagerFactory unit = CompositePersistence.builder()
                    .name("StartDown")
                    .local(localUrl)
                    .remote(PostgresTestDatabase.urlThrough(down, schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                    .entities(TestModel.ENTITIES)
                    .syncEnabled(false)
                    .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                    .property("hibernate.hbm2ddl.auto", "create")
                    .build()) {
                assertThat(millisSince(started)).as("ms to start with the remote down").isLessThan(20_000);
                assertThat(unit.getSyncStatus().remoteAvailable()).isFalse();
                Product p = new Product(unique("DOWN"), "Written while down", new BigDecimal("4.00"), Category.GROCERY);
                unit.runInTransaction(em -> em.persist(p));
                assertThat(SqliteFiles.count(localUrl, "product")).isEqualTo(1);
                assertThatThrownBy(() -> unit.runInTransaction(em -> em.find(AuditEvent.class, UUID.randomUUID())))
                        .isInstanceOf(RemoteUnavailableException.class);
                assertThatThrownBy(unit::sync).isInstanceOf(RemoteUnavailableException.class);
                // a FAIL write of an entity written on the remote only (the contract: RemoteWriteException caused by
                // RemoteUnavailableException), refused at the call, nothing of it kept locally
                assertThatThrownBy(() -> unit.runInTransaction(em -> em.persist(new ExchangeRate("EUR-DOWN", new BigDecimal("1.1")))))
                        .isInstanceOf(RemoteWriteException.class).hasCauseInstanceOf(RemoteUnavailableException.class);
                assertThat(SqliteFiles.count(localUrl, "exchange_rate")).isZero();
                assertThat(PostgresTestDatabase.rows(schema,
                        "select count(*) as n from information_schema.tables where table_schema = ?", schema)
                        .get(0).get("n")).isEqualTo(0L);

                down.restore();
                SyncResult r = waitForProbe(unit);

                assertThat(r.applied()).isEqualTo(1);
                assertThat(PostgresTestDatabase.rows(schema, "select count(*) as n from product where sku = ?", p.getSku())
                        .get(0).get("n")).isEqualTo(1L);
                assertThat(unit.getSyncStatus().remoteAvailable()).isTrue();
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void a_unit_that_requires_the_remote_at_start_refuses_to_start_without_it() throws Exception {
        Path dir = Files.createTempDirectory("dbcomposite-required");
        try (TcpProxy down = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            down.cut();
            assertThatThrownBy(() -> CompositePersistence.builder()
                    .name("Required")
                    .local(SqliteFiles.urlIn(dir, "local.db"))
                    .remote(PostgresTestDatabase.urlThrough(down, schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                    .entities(TestModel.ENTITIES)
                    .syncEnabled(false)
                    .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                    .property(CompositeSettings.REMOTE_REQUIRED_AT_START, "true")
                    .build())
                    .isInstanceOf(CompositeConfigurationException.class)
                    .hasMessageContaining("Cannot reach the remote database");
        }
    }

    /** After the network is back, the next probe is allowed once the probe interval (the connect timeout) passed. */
    private static SyncResult waitForProbe(CompositeEntityManagerFactory unit) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return unit.sync();
            } catch (RemoteUnavailableException stillDown) {
                if (System.nanoTime() > deadline) {
                    throw stillDown;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }
}
