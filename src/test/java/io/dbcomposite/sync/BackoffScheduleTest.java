package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 4, the whole retry schedule of a change the remote keeps refusing, on a settable clock: the wait
 * doubles from {@code initial-backoff} and is capped at {@code max-backoff}; the change is DEAD after
 * {@code max-attempts} failures. Once with small settings, once with the defaults (1s doubling, capped at 5
 * minutes, DEAD after 10). A retry is never made a millisecond before it is due.
 */
class BackoffScheduleTest extends SyncTestBase {

    private static final Instant T0 = Instant.parse("2031-06-01T12:00:00Z");

    /**
     * Writes one product the remote refuses, then syncs at every due time (and a millisecond before it) until the
     * change is DEAD.
     *
     * @return the waits between consecutive attempts, as next_attempt_at minus the time of the failure
     */
    private List<Duration> waitsUntilDead(FreshStores stores, MutableClock clock, int maxAttempts) {
        CompositeEntityManagerFactory unit = stores.unit;
        PostgresTestDatabase.update(stores.schema, "alter table product add constraint never check (sku <> 'REFUSED')");
        Product p = new Product("REFUSED", "Refused", new BigDecimal("1.00"), Category.TOYS);
        inTransaction(unit, em -> em.persist(p));
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Instant failedAt = clock.instant();
            SyncResult r = unit.sync();
            Map<String, Object> row = SqliteFiles.rows(stores.localUrl, "select status, attempts, next_attempt_at from dbc_sync_log"
                    + " where entity_name = 'Product' and entity_id = ?", String.valueOf(p.getId())).get(0);
            assertThat(((Number) row.get("attempts")).intValue()).as("attempts after failure " + attempt).isEqualTo(attempt);
            if (attempt == maxAttempts) {
                assertThat(row.get("status")).isEqualTo("DEAD");
                assertThat(row.get("next_attempt_at")).isNull();
                assertThat(r.deadLettered()).isEqualTo(1);
                assertThat(r.failed()).isZero();
                assertThat(unit.getSyncStatus().deadLetterCount()).isEqualTo(1);
                assertThat(unit.getSyncStatus().pendingChanges()).isZero();
                break;
            }
            assertThat(row.get("status")).isEqualTo("FAILED");
            assertThat(r.failed()).isEqualTo(1);
            Instant due = sqliteInstant(row.get("next_attempt_at"));
            waits.add(Duration.between(failedAt, due));
            clock.set(due.minusMillis(1));
            assertThat(unit.sync().failed()).as("a sync a millisecond before attempt " + (attempt + 1) + " is due").isZero();
            assertThat(SqliteFiles.rows(stores.localUrl, "select attempts from dbc_sync_log where entity_name = 'Product'"
                    + " and entity_id = ?", String.valueOf(p.getId())).get(0).get("attempts")).isEqualTo(attempt);
            clock.set(due);
        }
        clock.advance(Duration.ofDays(30));
        assertThat(unit.sync().failed()).as("a dead change is never retried by itself").isZero();
        return waits;
    }

    @Test
    void the_wait_doubles_from_the_initial_backoff_and_stays_at_the_max_backoff_until_the_change_is_dead() {
        MutableClock clock = new MutableClock(T0);
        try (FreshStores stores = new FreshStores("backoff_cap", b -> b.clock(clock)
                .property("dbcomposite.sync.initial-backoff", "1s")
                .property("dbcomposite.sync.max-backoff", "3s")
                .property("dbcomposite.sync.max-attempts", "6"))) {

            List<Duration> waits = waitsUntilDead(stores, clock, 6);

            assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                    Duration.ofSeconds(3), Duration.ofSeconds(3));
        }
    }

    @Test
    void by_default_the_wait_doubles_from_one_second_up_to_five_minutes_and_the_tenth_failure_is_dead() {
        MutableClock clock = new MutableClock(T0);
        try (FreshStores stores = new FreshStores("backoff_default", b -> b.clock(clock))) {

            List<Duration> waits = waitsUntilDead(stores, clock, 10);

            assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(64),
                    Duration.ofSeconds(128), Duration.ofSeconds(256));
        }
    }

    @Test
    void an_initial_backoff_in_milliseconds_is_kept_exactly() {
        MutableClock clock = new MutableClock(T0);
        try (FreshStores stores = new FreshStores("backoff_ms", b -> b.clock(clock)
                .property("dbcomposite.sync.initial-backoff", "250ms")
                .property("dbcomposite.sync.max-backoff", "1s")
                .property("dbcomposite.sync.max-attempts", "5"))) {

            List<Duration> waits = waitsUntilDead(stores, clock, 5);

            assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofSeconds(1));
        }
    }
}
