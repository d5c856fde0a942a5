package io.dbcomposite.sync;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.OnConflict;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.SyncListener;
import io.dbcomposite.testing.CapturedLogs;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link SyncListener} SPI and the sync's log lines (contract, "Observability"): applied changes in log order, a
 * failure with its next attempt, a dead letter (and its WARN), a conflict with its resolution, an outage's start and end
 * once each, a listener that throws changes nothing, and a run at DEBUG.
 */
class SyncListenerTest extends SyncTestBase {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private CapturedLogs logs;
    private List<LogRecord> records;

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.clock(clock).property("dbcomposite.sync.max-attempts", "2")
                .listener(new SyncListener() {
                    @Override
                    public void applied(List<Change> changes) {
                        throw new IllegalStateException("a broken listener");
                    }
                })
                .listener(new SyncListener() {
                    @Override
                    public void applied(List<Change> changes) {
                        changes.forEach(c -> events.add("applied " + c.entityName() + "#" + c.entityId() + " " + c.operation()));
                    }

                    @Override
                    public void failed(Change change, String error, Instant nextAttemptAt) {
                        events.add("failed " + change.entityName() + "#" + change.entityId() + " attempts=" + change.attempts()
                                + " next=" + nextAttemptAt + " error=" + error.contains("price_cap"));
                    }

                    @Override
                    public void dead(Change change, String error) {
                        events.add("dead " + change.entityName() + "#" + change.entityId() + " attempts=" + change.attempts());
                    }

                    @Override
                    public void conflict(Change change, OnConflict resolution, String reason) {
                        events.add("conflict " + change.entityName() + "#" + change.entityId() + " " + change.operation() + " "
                                + resolution);
                    }

                    @Override
                    public void remoteUnavailable(String remote, String cause) {
                        events.add("remote unavailable " + !remote.contains("password"));
                    }

                    @Override
                    public void remoteAvailable(String remote, Duration outage) {
                        events.add("remote available " + !outage.isNegative());
                    }
                });
    }

    @BeforeEach
    void listen() {
        PostgresTestDatabase.update(schema, "alter table product drop constraint if exists price_cap");
        emf.sync(); // what earlier tests left pending is not this test's
        events.clear();
        logs = CapturedLogs.of("io.dbcomposite.sync");
        records = logs.records();
    }

    @AfterEach
    void stopListening() {
        logs.close();
        restoreNetwork();
    }

    private static Product product(String sku, String price) {
        return new Product(sku, "Listened " + sku, new BigDecimal(price), Category.BOOKS);
    }

    @Test
    void applied_changes_are_told_in_log_order_even_beside_a_listener_that_throws_and_a_run_is_logged_at_debug() {
        Product a = product(unique("L-A"), "1.00");
        Product b = product(unique("L-B"), "2.00");
        inTransaction(em -> {
            em.persist(a);
            em.persist(b);
        });

        assertThat(emf.sync().applied()).isEqualTo(2);

        assertThat(events).containsExactly("applied Product#" + a.getId() + " INSERT", "applied Product#" + b.getId() + " INSERT");
        assertThat(remoteCount("product", "sku in (?, ?)", a.getSku(), b.getSku())).isEqualTo(2);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("SyncListener").contains("failed in applied");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.FINE); // System.Logger's DEBUG on java.util.logging
            assertThat(r.getMessage()).contains("sync run of unit").contains("applied 2").contains("failed 0");
        });
    }

    @Test
    void a_failing_change_is_told_with_its_next_attempt_then_as_dead_with_a_warn_line() {
        PostgresTestDatabase.update(schema, "alter table product add constraint price_cap check (price < 1000)");
        Product poison = product(unique("L-POISON"), "5000.00");
        inTransaction(em -> em.persist(poison));

        emf.sync();
        assertThat(events).containsExactly("failed Product#" + poison.getId() + " attempts=1 next=" + T0.plusSeconds(1)
                + " error=true");

        clock.advance(Duration.ofSeconds(1));
        emf.sync();
        assertThat(events).last().isEqualTo("dead Product#" + poison.getId() + " attempts=2");
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("#" + poison.getId()).contains("is DEAD after 2 attempt(s)")
                    .contains("emf.retryDeadLetters()");
        });
    }

    @Test
    void a_conflict_is_told_with_its_resolution() {
        Product p = product(unique("L-CONFLICT"), "3.00");
        inTransaction(em -> em.persist(p));
        emf.sync();
        PostgresTestDatabase.update(schema, "update product set name = 'edited on the remote', version = version + 1 where id = ?",
                p.getId());
        inTransaction(em -> em.find(Product.class, p.getId()).setName("edited locally"));
        events.clear();

        emf.sync();

        assertThat(events).containsExactly("conflict Product#" + p.getId() + " UPDATE FAIL");
        assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("conflict, change #"))
                .as("each conflict at WARN (contract, Observability)").hasSize(1);
    }

    @Test
    void an_outage_is_told_once_when_it_begins_and_once_when_it_ends() {
        inTransaction(em -> em.persist(product(unique("L-OUT"), "4.00")));
        proxy.cut();
        assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
        assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
        assertThat(events).containsExactly("remote unavailable true");

        restoreNetwork();
        // told right after the status turns available, on the thread that found the remote back
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < 2 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertThat(events).containsExactly("remote unavailable true", "remote available true");
        // an outage's start at WARN and its end at INFO, once each (contract, Observability)
        assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("is unreachable")).hasSize(1);
        assertThat(records).filteredOn(r -> r.getLevel() == Level.INFO && r.getMessage().contains("is reachable again")).hasSize(1);
    }
}
