package io.dbcomposite.sync;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sync semantics 3, 4 and 7 with the remote cut off by a real TCP proxy: an unreachable remote stops the run,
 * costs no change an attempt (the implementation's documented choice: only a remote that answers and refuses
 * counts as a failure), leaves every change PENDING, and is reported in {@code lastError} without credentials;
 * once the network is back, one sync() drains everything and the remote equals local. Each remote call through
 * a cut proxy waits out the pool's connection timeout, so this class takes a while.
 */
class RemoteOutageTest extends SyncTestBase {

    /** Sent to PostgreSQL as the password (trust authentication ignores it), so that a leak would show. */
    private final String secret = PostgresTestDatabase.password().isEmpty()
            ? "S3cret-" + UUID.randomUUID().toString().substring(0, 8) : PostgresTestDatabase.password();

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder
                .remote(PostgresTestDatabase.urlThrough(proxy, schema) + "&password=" + secret, PostgresTestDatabase.user(), secret)
                .property("dbcomposite.sync.batch-size", "5");
    }

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    private static Product product(String sku) {
        return new Product(sku, "Outage " + sku, new BigDecimal("7.25"), Category.GROCERY);
    }

    private void assertUnreachableWithoutSecret(String lastError) {
        assertThat(lastError).as("lastError while the remote is cut off").isNotNull();
        assertThat(lastError.toLowerCase()).contains("unreachable");
        assertThat(lastError).doesNotContain(secret);
    }

    @Test
    void a_sync_while_the_remote_is_cut_off_applies_nothing_and_costs_no_attempt() {
        Customer c = new Customer("Offline", null).addPhoneNumber("1");
        inTransaction(em -> em.persist(product("OUT-1").addLabel("x")));
        inTransaction(em -> em.persist(c));
        inTransaction(em -> em.find(Customer.class, c.getId()).addPhoneNumber("2"));
        long waiting = emf.getSyncStatus().pendingChanges();
        assertThat(waiting).isEqualTo(3);
        proxy.cut();

        assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class)
                .hasMessageContaining("0 change(s) were applied")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(waiting);
        assertThat(emf.getSyncStatus().remoteAvailable()).isFalse();
        assertThat(logRows(localUrl)).filteredOn(row -> !"SYNCED".equals(row.get("status")))
                .hasSize(3)
                .allSatisfy(row -> {
                    assertThat(row.get("status")).isEqualTo("PENDING");
                    assertThat(((Number) row.get("attempts")).intValue()).isZero();
                    assertThat(row.get("next_attempt_at")).isNull();
                    assertThat(row.get("last_error")).isNull();
                });
        SyncStatus offline = emf.getSyncStatus();
        assertThat(offline.pendingChanges()).isEqualTo(3);
        assertThat(offline.failedCount()).isZero();
        assertThat(offline.deadLetterCount()).isZero();
        assertUnreachableWithoutSecret(offline.lastError());

        restoreNetwork();
        SyncResult back = emf.sync();

        assertThat(back.applied()).isEqualTo(3);
        assertThat(back.remaining()).isZero();
        SyncStatus online = emf.getSyncStatus();
        assertThat(online.pendingChanges()).isZero();
        assertThat(online.lastError()).isNull();
        assertThat(online.lastSyncedAt()).isNotNull();
        assertRemoteEqualsLocal();
    }

    @Test
    void a_remote_cut_in_the_middle_of_a_backlog_stops_the_run_and_loses_nothing() throws Exception {
        String prefix = "MID-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        int backlog = 300;
        for (int i = 0; i < backlog; i++) {
            String sku = prefix + i;
            inTransaction(em -> em.persist(product(sku)));
        }
        long before = remoteCount("product", "sku like ?", prefix + "%");
        assertThat(before).isZero();

        CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(emf::sync);
        await("the first batches to reach the remote", Duration.ofSeconds(30),
                () -> run.isDone() || remoteCount("product", "sku like ?", prefix + "%") > 0);
        proxy.cut();
        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .as("the cut stopped the run before the end of the backlog")
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasCauseInstanceOf(RemoteUnavailableException.class);
        long remaining = emf.getSyncStatus().pendingChanges();
        assertThat(remaining).as("changes left by the cut").isPositive();
        List<Map<String, Object>> log = logRows(localUrl);
        assertThat(log).noneMatch(row -> "FAILED".equals(row.get("status")) || "DEAD".equals(row.get("status")));
        assertThat(log).filteredOn(row -> "PENDING".equals(row.get("status")))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(((Number) row.get("attempts")).intValue()).isZero());
        // nothing is marked SYNCED that is not on the remote
        for (Map<String, Object> row : log) {
            if ("SYNCED".equals(row.get("status")) && "Product".equals(row.get("entity_name"))) {
                assertThat(PostgresTestDatabase.rows(schema, "select id from product where id = ?",
                        Long.parseLong((String) row.get("entity_id")))).as("remote row of SYNCED change " + row).hasSize(1);
            }
        }
        // every change marked SYNCED is on the remote; at most one batch more may be too: the one whose commit the cut
        // hit after the remote committed it (its answer lost). Those stay PENDING and replay without effect below
        assertThat(remoteCount("product", "sku like ?", prefix + "%")).as("rows applied before the cut")
                .isBetween(backlog - remaining, backlog - remaining + 5);
        assertUnreachableWithoutSecret(emf.getSyncStatus().lastError());

        restoreNetwork();
        SyncResult back = emf.sync();

        assertThat(back.applied()).isEqualTo((int) remaining);
        assertThat(back.remaining()).isZero();
        assertThat(emf.getSyncStatus().conflictCount()).as("a batch the remote committed as the cut hit is our own").isZero();
        assertThat(remoteCount("product", "sku like ?", prefix + "%")).isEqualTo(backlog);
        assertThat(emf.getSyncStatus().lastError()).isNull();
        assertRemoteEqualsLocal();
    }

    @Test
    void once_the_remote_answers_again_a_sync_with_nothing_to_replay_clears_the_unreachable_error() {
        emf.sync();
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
        proxy.cut();
        assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
        assertUnreachableWithoutSecret(emf.getSyncStatus().lastError());

        restoreNetwork();
        SyncResult r = emf.sync();

        assertThat(r.applied()).isZero();
        assertThat(emf.getSyncStatus().lastError()).as("lastError once a run reached the remote again with nothing to do")
                .isNull();
    }
}
