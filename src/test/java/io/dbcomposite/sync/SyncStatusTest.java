package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 7, step by step on a settable clock: {@code pendingChanges} = PENDING + FAILED,
 * {@code failedCount}, {@code deadLetterCount}, {@code lastSyncedAt} (null until a change reached the remote,
 * then the time of the last one that did), {@code lastError} (null while all is well), and the
 * {@code SyncResult} of each run.
 */
class SyncStatusTest extends SyncTestBase {

    private static final Instant T0 = Instant.parse("2032-03-04T05:06:07.008Z");

    private static void assertCounts(SyncStatus s, long pending, long failed, long dead) {
        assertThat(s.pendingChanges()).as("pendingChanges").isEqualTo(pending);
        assertThat(s.failedCount()).as("failedCount").isEqualTo(failed);
        assertThat(s.deadLetterCount()).as("deadLetterCount").isEqualTo(dead);
    }

    @Test
    void the_status_of_a_fresh_unit_follows_every_write_failure_and_sync() {
        MutableClock clock = new MutableClock(T0);
        try (FreshStores stores = new FreshStores("status_steps", b -> b.clock(clock)
                .property("dbcomposite.sync.max-attempts", "2"))) {
            CompositeEntityManagerFactory unit = stores.unit;
            SyncStatus empty = unit.getSyncStatus();
            assertCounts(empty, 0, 0, 0);
            assertThat(empty.lastSyncedAt()).isNull();
            assertThat(empty.lastError()).isNull();
            assertThat(empty.oldestPendingAt()).isNull();
            assertThat(empty.remoteAvailable()).isTrue();

            SyncResult nothing = unit.sync();
            assertThat(nothing.applied()).isZero();
            assertThat(nothing.remaining()).isZero();
            assertThat(unit.getSyncStatus().lastSyncedAt()).as("no change has reached the remote yet").isNull();

            Customer c = new Customer("Status", null).addPhoneNumber("1");
            inTransaction(unit, em -> em.persist(c));
            inTransaction(unit, em -> em.persist(new Product("ST-1", "Status", new BigDecimal("3.00"), Category.BOOKS)));
            SyncStatus written = unit.getSyncStatus();
            assertCounts(written, 2, 0, 0);
            assertThat(written.lastSyncedAt()).isNull();
            assertThat(written.oldestPendingAt()).as("the sync lag starts at the oldest pending commit").isEqualTo(T0);

            SyncResult first = unit.sync();
            assertThat(first.applied()).isEqualTo(2);
            assertThat(first.remaining()).isZero();
            SyncStatus synced = unit.getSyncStatus();
            assertCounts(synced, 0, 0, 0);
            assertThat(synced.lastSyncedAt()).isEqualTo(T0);
            assertThat(synced.oldestPendingAt()).as("nothing pending, no lag").isNull();
            assertThat(synced.lastError()).isNull();

            clock.advance(Duration.ofMinutes(1));
            unit.sync();
            assertThat(unit.getSyncStatus().lastSyncedAt()).as("a run with nothing to replay moves nothing").isEqualTo(T0);

            PostgresTestDatabase.update(stores.schema, "alter table customer add constraint no_x check (name <> 'X')");
            inTransaction(unit, em -> em.find(Customer.class, c.getId()).setName("X"));
            inTransaction(unit, em -> em.find(Customer.class, c.getId()).addPhoneNumber("2"));
            inTransaction(unit, em -> em.persist(new Product("ST-2", "Status", new BigDecimal("3.00"), Category.BOOKS)));
            assertCounts(unit.getSyncStatus(), 3, 0, 0);
            assertThat(unit.getSyncStatus().oldestPendingAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));

            clock.advance(Duration.ofMinutes(1));
            SyncResult failing = unit.sync();
            assertThat(failing.applied()).isEqualTo(1);
            assertThat(failing.failed()).isEqualTo(1);
            assertThat(failing.remaining()).isEqualTo(2);
            SyncStatus oneFailed = unit.getSyncStatus();
            assertCounts(oneFailed, 2, 1, 0);
            assertThat(oneFailed.oldestPendingAt()).as("a FAILED change counts for the lag")
                    .isEqualTo(T0.plus(Duration.ofMinutes(1)));
            assertThat(oneFailed.lastSyncedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
            assertThat(oneFailed.lastError()).contains("no_x");

            clock.advance(Duration.ofSeconds(1));
            SyncResult dying = unit.sync();
            assertThat(dying.deadLettered()).isEqualTo(1);
            assertThat(dying.failed()).isZero();
            assertThat(dying.remaining()).isEqualTo(1);
            SyncStatus oneDead = unit.getSyncStatus();
            assertCounts(oneDead, 1, 0, 1);
            assertThat(oneDead.oldestPendingAt()).as("the change waiting behind the DEAD one still counts for the lag")
                    .isEqualTo(T0.plus(Duration.ofMinutes(1)));
            assertThat(oneDead.lastError()).contains("no_x");

            PostgresTestDatabase.update(stores.schema, "alter table customer drop constraint no_x");
            assertThat(unit.retryDeadLetters()).isEqualTo(1);
            assertCounts(unit.getSyncStatus(), 2, 0, 0);
            clock.advance(Duration.ofMinutes(1));
            SyncResult healed = unit.sync();
            assertThat(healed.applied()).isEqualTo(2);
            SyncStatus clean = unit.getSyncStatus();
            assertCounts(clean, 0, 0, 0);
            assertThat(clean.lastError()).isNull();
            assertThat(clean.lastSyncedAt()).isEqualTo(clock.instant());
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void a_restarted_unit_still_knows_when_a_change_last_reached_the_remote_after_the_synced_rows_were_purged() {
        MutableClock clock = new MutableClock(T0);
        try (FreshStores stores = new FreshStores("status_purge", b -> b.clock(clock)
                .property("dbcomposite.sync.retention", "1h"))) {
            inTransaction(stores.unit, em -> em.persist(new Customer("Purged", null)));
            inTransaction(stores.unit, em -> em.persist(new Customer("Kept", null)));
            stores.unit.sync();
            assertThat(stores.unit.getSyncStatus().lastSyncedAt()).isEqualTo(T0);
            clock.advance(Duration.ofHours(2));
            stores.unit.sync(); // purges the SYNCED rows older than the retention, all but the newest
            assertThat(SqliteFiles.count(stores.localUrl, "dbc_sync_log")).as("log rows after the purge (the newest SYNCED row stays)")
                    .isEqualTo(1);
            assertThat(stores.unit.getSyncStatus().lastSyncedAt()).isEqualTo(T0);
            stores.unit.close();

            try (CompositeEntityManagerFactory restarted = openUnit("status_purge_again", stores.localUrl, stores.schema, "none",
                    b -> b.clock(clock))) {
                assertThat(restarted.getSyncStatus().lastSyncedAt())
                        .as("lastSyncedAt of a restarted unit whose SYNCED rows were purged").isEqualTo(T0);
            }
        }
    }
}
