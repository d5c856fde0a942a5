package io.dbcomposite.sync;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 4, 5 and 7 with a change the remote refuses (a CHECK constraint that only PostgreSQL has): it
 * fails with an exact backoff on a settable clock (1s, 2s, 4s, ...), is not retried before it is due, turns DEAD
 * after {@code dbcomposite.sync.max-attempts} (4 here), blocks the later changes of its own row (and only those)
 * while FAILED and while DEAD, and after {@code retryDeadLetters()} replays together with what it held back.
 */
class PoisonChangeRetryTest extends SyncTestBase {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.clock(clock).property("dbcomposite.sync.max-attempts", "4");
    }

    private Map<String, Object> onlyRow(String entityName, Object id, String operation) {
        List<Map<String, Object>> rows = logRowsOf(entityName, id);
        return rows.stream().filter(r -> operation.equals(r.get("operation"))).reduce((a, b) -> {
            throw new AssertionError("more than one " + operation + " of " + entityName + "#" + id + ": " + rows);
        }).orElseThrow(() -> new AssertionError("no " + operation + " of " + entityName + "#" + id + ": " + rows));
    }

    private static int attempts(Map<String, Object> row) {
        return ((Number) row.get("attempts")).intValue();
    }

    private void assertFailedAfter(Map<String, Object> row, int attempts, Instant nextAttemptAt) {
        assertThat(row.get("status")).isEqualTo("FAILED");
        assertThat(attempts(row)).isEqualTo(attempts);
        assertThat(sqliteInstant(row.get("next_attempt_at"))).as("next_attempt_at in SQLite").isEqualTo(nextAttemptAt);
        assertThat((String) row.get("last_error")).contains("price_cap");
    }

    @Test
    void a_refused_change_backs_off_exactly_turns_dead_blocks_only_its_row_and_replays_after_retry_dead_letters() {
        PostgresTestDatabase.update(schema, "alter table product add constraint price_cap check (price < 1000)");
        Product poison = new Product("POISON-1", "Too dear", new BigDecimal("5000.00"), Category.ELECTRONICS);
        Product cheap = new Product("CHEAP-1", "Cheap", new BigDecimal("10.00"), Category.ELECTRONICS);
        Customer buyer = new Customer("Buyer", null);
        inTransaction(em -> em.persist(poison));
        inTransaction(em -> em.persist(cheap));
        inTransaction(em -> em.persist(buyer));
        SyncStatus fresh = emf.getSyncStatus();
        assertThat(fresh.lastSyncedAt()).as("lastSyncedAt before any sync").isNull();
        assertThat(fresh.pendingChanges()).isEqualTo(3);
        assertThat(fresh.lastError()).isNull();

        // first attempt, at T0: the poison fails, the rest flows
        SyncResult first = emf.sync();

        assertThat(first.applied()).isEqualTo(2);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.deadLettered()).isZero();
        assertThat(first.remaining()).isEqualTo(1);
        assertFailedAfter(onlyRow("Product", poison.getId(), "INSERT"), 1, T0.plusSeconds(1));
        assertThat(onlyRow("Product", cheap.getId(), "INSERT").get("status")).isEqualTo("SYNCED");
        assertThat(onlyRow("Customer", buyer.getId(), "INSERT").get("status")).isEqualTo("SYNCED");
        assertThat(remoteCount("product", "id = ?", poison.getId())).isZero();
        assertThat(remoteCount("product", "id = ?", cheap.getId())).isEqualTo(1);
        assertThat(remoteCount("customer", "id = ?", buyer.getId())).isEqualTo(1);
        SyncStatus afterFirst = emf.getSyncStatus();
        assertStatusMatchesLog(afterFirst);
        assertThat(afterFirst.pendingChanges()).isEqualTo(1);
        assertThat(afterFirst.failedCount()).isEqualTo(1);
        assertThat(afterFirst.deadLetterCount()).isZero();
        assertThat(afterFirst.lastSyncedAt()).isEqualTo(T0);
        assertThat(afterFirst.lastError()).contains("price_cap");
        SyncLogEntity viaJpql = read(em -> em.createQuery("select c from SyncLogEntity c where c.status = :s", SyncLogEntity.class)
                .setParameter("s", ChangeStatus.FAILED).getSingleResult());
        assertThat(viaJpql.getNextAttemptAt()).as("nextAttemptAt through JPQL").isEqualTo(T0.plusSeconds(1));
        assertThat(viaJpql.getAttempts()).isEqualTo(1);

        // a later change of the same product waits behind it; other rows keep flowing
        inTransaction(em -> em.find(Product.class, poison.getId()).setName("Too dear, renamed"));
        inTransaction(em -> em.find(Product.class, cheap.getId()).setName("Cheap, renamed"));
        clock.advance(Duration.ofMillis(999));

        SyncResult early = emf.sync();

        assertThat(early.applied()).isEqualTo(1);
        assertThat(early.failed()).isZero();
        assertFailedAfter(onlyRow("Product", poison.getId(), "INSERT"), 1, T0.plusSeconds(1));
        Map<String, Object> later = onlyRow("Product", poison.getId(), "UPDATE");
        assertThat(later.get("status")).isEqualTo("PENDING");
        assertThat(attempts(later)).isZero();
        assertThat(remoteCount("product", "id = ? and name = 'Cheap, renamed'", cheap.getId())).isEqualTo(1);
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(2);
        assertThat(emf.getSyncStatus().failedCount()).isEqualTo(1);
        assertThat(emf.getSyncStatus().lastSyncedAt()).isEqualTo(T0.plusMillis(999));

        // due exactly at T0+1s: second failure, next wait 2s
        clock.set(T0.plusSeconds(1));
        SyncResult second = emf.sync();
        assertThat(second.failed()).isEqualTo(1);
        assertThat(second.applied()).isZero();
        assertFailedAfter(onlyRow("Product", poison.getId(), "INSERT"), 2, T0.plusSeconds(3));

        clock.set(T0.plusSeconds(3).minusMillis(1));
        SyncResult notYet = emf.sync();
        assertThat(notYet.failed()).isZero();
        assertFailedAfter(onlyRow("Product", poison.getId(), "INSERT"), 2, T0.plusSeconds(3));

        // due at T0+3s: third failure, next wait 4s
        clock.set(T0.plusSeconds(3));
        assertThat(emf.sync().failed()).isEqualTo(1);
        assertFailedAfter(onlyRow("Product", poison.getId(), "INSERT"), 3, T0.plusSeconds(7));
        assertThat(onlyRow("Product", poison.getId(), "UPDATE").get("status")).isEqualTo("PENDING");

        // due at T0+7s: the fourth failure is the last one
        clock.set(T0.plusSeconds(7));
        SyncResult last = emf.sync();

        assertThat(last.deadLettered()).isEqualTo(1);
        assertThat(last.failed()).isZero();
        Map<String, Object> dead = onlyRow("Product", poison.getId(), "INSERT");
        assertThat(dead.get("status")).isEqualTo("DEAD");
        assertThat(attempts(dead)).isEqualTo(4);
        assertThat((String) dead.get("last_error")).contains("price_cap");
        SyncStatus deadStatus = emf.getSyncStatus();
        assertStatusMatchesLog(deadStatus);
        assertThat(deadStatus.deadLetterCount()).isEqualTo(1);
        assertThat(deadStatus.failedCount()).isZero();
        assertThat(deadStatus.pendingChanges()).as("the held-back later change").isEqualTo(1);
        assertThat(deadStatus.lastError()).contains("price_cap");

        // dead, it still holds back its row, however long we wait; other rows still flow
        Customer another = new Customer("Another", null);
        inTransaction(em -> em.persist(another));
        clock.advance(Duration.ofDays(1));
        SyncResult whileDead = emf.sync();
        assertThat(whileDead.applied()).isEqualTo(1);
        assertThat(whileDead.failed()).isZero();
        assertThat(whileDead.deadLettered()).isZero();
        assertThat(onlyRow("Product", poison.getId(), "UPDATE").get("status")).isEqualTo("PENDING");
        assertThat(onlyRow("Product", poison.getId(), "INSERT").get("status")).isEqualTo("DEAD");
        assertThat(remoteCount("customer", "id = ?", another.getId())).isEqualTo(1);

        // the cause goes away, the dead letter goes back in the queue, and both changes of the row replay in order
        PostgresTestDatabase.update(schema, "alter table product drop constraint price_cap");
        assertThat(emf.retryDeadLetters()).isEqualTo(1);
        Map<String, Object> requeued = onlyRow("Product", poison.getId(), "INSERT");
        assertThat(requeued.get("status")).isEqualTo("PENDING");
        assertThat(attempts(requeued)).isZero();
        assertThat(emf.getSyncStatus().deadLetterCount()).isZero();
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(2);

        SyncResult replayed = emf.sync();

        assertThat(replayed.applied()).isEqualTo(2);
        assertThat(replayed.failed()).isZero();
        assertThat(replayed.remaining()).isZero();
        assertThat(remoteCount("product", "id = ? and name = 'Too dear, renamed' and version = 1", poison.getId())).isEqualTo(1);
        SyncStatus clean = emf.getSyncStatus();
        assertThat(clean.pendingChanges()).isZero();
        assertThat(clean.failedCount()).isZero();
        assertThat(clean.deadLetterCount()).isZero();
        assertThat(clean.lastError()).isNull();
        assertThat(clean.lastSyncedAt()).isEqualTo(clock.instant());
        assertThat(emf.retryDeadLetters()).isZero();
        assertRemoteEqualsLocal();
    }
}
