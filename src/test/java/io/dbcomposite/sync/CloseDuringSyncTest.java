package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emf.close()} under a replay of a long backlog does not wait for the backlog to drain: a run of the
 * background job finishes the batch in flight and stops there, the close waiting for that batch only; a
 * {@code sync()} on another thread gets no further than the batch in flight either (the close takes its
 * connections). Whatever the close cut short is replayed later, exactly once: nothing is lost, nothing is
 * duplicated, and nothing is marked SYNCED that is not on the remote (issue 9, item 10).
 */
class CloseDuringSyncTest extends SyncTestBase {

    private static final int BATCH = 50;
    private static final int TRANSACTIONS = 80;
    private static final int CHANGES_PER_TRANSACTION = 25;
    /** One log row per entity written: 40 batches of exactly 2 whole local transactions each. */
    private static final int BACKLOG = TRANSACTIONS * CHANGES_PER_TRANSACTION;
    /** The transaction that also writes the product whose replay is held: in the middle of the backlog. */
    private static final int HELD_TRANSACTION = TRANSACTIONS / 2 + 1;
    private static final String HELD_SKU = "CD-HELD";

    /**
     * Writes the backlog: tags (their upserts are quick to replay), one local transaction after another, and in
     * the middle one product, whose replay a {@link RemoteRowBlocker} can hold.
     */
    private static void writeBacklog(CompositeEntityManagerFactory unit) {
        for (int t = 0; t < TRANSACTIONS; t++) {
            int tx = t;
            inTransaction(unit, em -> {
                int tags = CHANGES_PER_TRANSACTION;
                if (tx == HELD_TRANSACTION) {
                    em.persist(new Product(HELD_SKU, "Held", new BigDecimal("2.50"), Category.BOOKS));
                    tags--;
                }
                for (int i = 0; i < tags; i++) {
                    em.persist(new Tag("close-" + tx + "-" + i));
                }
            });
        }
        assertThat(unit.getSyncStatus().pendingChanges()).as("the backlog").isEqualTo(BACKLOG);
    }

    /** Rows on the remote: every change of the backlog inserts one. */
    private static long remoteRows(String schema) {
        return PostgresTestDatabase.count(schema, "tag") + PostgresTestDatabase.count(schema, "product");
    }

    private static long logCount(String localUrl, String where) {
        return ((Number) SqliteFiles.rows(localUrl, "select count(*) as n from dbc_sync_log where " + where).get(0).get("n"))
                .longValue();
    }

    private static long heldProductId(String localUrl) {
        return ((Number) SqliteFiles.rows(localUrl, "select id from product where sku = ?", HELD_SKU).get(0).get("id")).longValue();
    }

    /**
     * How many rows reach the remote before the batch holding the product's change: the batches are pages of
     * {@link #BATCH} log rows in id order (no transaction crosses a page's edge), one row each.
     */
    private static long rowsBeforeBatchOf(String localUrl, long productId) {
        long logId = ((Number) SqliteFiles.rows(localUrl, "select id from dbc_sync_log where entity_name = 'Product'"
                + " and entity_id = ?", String.valueOf(productId)).get(0).get("id")).longValue();
        long firstLogId = ((Number) SqliteFiles.rows(localUrl, "select min(id) as m from dbc_sync_log").get(0).get("m")).longValue();
        return (logId - firstLogId) / BATCH * BATCH;
    }

    /** Every row on the remote, as {@code Entity#id}. */
    private static Set<String> remoteRowKeys(String schema) {
        Set<String> out = new TreeSet<>();
        PostgresTestDatabase.rows(schema, "select id from tag").forEach(r -> out.add("Tag#" + r.get("id")));
        PostgresTestDatabase.rows(schema, "select id from product").forEach(r -> out.add("Product#" + r.get("id")));
        return out;
    }

    /** Every change marked SYNCED, as {@code Entity#id}. */
    private static Set<String> syncedRowKeys(String localUrl) {
        Set<String> out = new TreeSet<>();
        SqliteFiles.rows(localUrl, "select entity_name, entity_id from dbc_sync_log where status = 'SYNCED'")
                .forEach(r -> out.add(r.get("entity_name") + "#" + r.get("entity_id")));
        return out;
    }

    /** No change was failed or charged an attempt by the run the close cut short: every row is PENDING or SYNCED. */
    private static void assertNoChangeUsedAnAttempt(String localUrl) {
        List<Map<String, Object>> touched = SqliteFiles.rows(localUrl, "select id, status, attempts, last_error"
                + " from dbc_sync_log where status not in ('PENDING', 'SYNCED') or attempts <> 0");
        assertThat(touched).as("changes failed or charged an attempt by the run the close cut short").isEmpty();
    }

    /**
     * Reopens a unit on the same stores with the job off, replays what is left and asserts that the remote then
     * equals the local state exactly: what was on the remote but not SYNCED replays without effect, nothing is
     * lost, nothing duplicated.
     */
    private static void assertTheRestReplaysExactlyOnce(FreshStores stores, String name) {
        long left = logCount(stores.localUrl, "status <> 'SYNCED'");
        try (CompositeEntityManagerFactory after = openUnit(name, stores.localUrl, stores.schema, "none", b -> b)) {
            assertThat(after.getSyncStatus().pendingChanges()).as("changes left for a later sync").isEqualTo(left);
            SyncResult r = after.sync();
            assertThat(r.applied()).as("changes replayed later").isEqualTo((int) left);
            assertThat(r.failed()).isZero();
            assertThat(r.deadLettered()).isZero();
            assertThat(r.remaining()).isZero();
            assertThat(logCount(stores.localUrl, "status = 'SYNCED'")).isEqualTo(BACKLOG);
            assertThat(remoteRows(stores.schema)).as("rows on the remote").isEqualTo(BACKLOG);
            assertRemoteEqualsLocal(after, stores.localUrl, stores.schema);
        }
    }

    @Test
    void closing_the_unit_under_a_manual_sync_stops_it_after_the_batch_in_flight_and_the_rest_replays_later() throws Exception {
        try (FreshStores stores = new FreshStores("close_sync", b -> b.property("dbcomposite.sync.batch-size", String.valueOf(BATCH)))) {
            CompositeEntityManagerFactory unit = stores.unit;
            writeBacklog(unit);
            long heldId = heldProductId(stores.localUrl);
            long beforeHeldBatch = rowsBeforeBatchOf(stores.localUrl, heldId);

            CompletableFuture<SyncResult> run;
            long atClose;
            try (RemoteRowBlocker blocker = new RemoteRowBlocker(stores.schema, heldId)) {
                run = CompletableFuture.supplyAsync(unit::sync);
                blocker.awaitWaiter(Duration.ofSeconds(20));
                atClose = remoteRows(stores.schema);
                assertThat(atClose).as("rows on the remote while the batch in flight is held").isEqualTo(beforeHeldBatch);
                await("the marks of the batches before the held one", Duration.ofSeconds(20),
                        () -> logCount(stores.localUrl, "status = 'SYNCED'") == beforeHeldBatch);
                assertThat(run).as("the sync, held in the middle of the backlog").isNotDone();

                CompletableFuture<Void> closing = CompletableFuture.runAsync(unit::close);
                await("close() to begin", Duration.ofSeconds(20), () -> !unit.isOpen());
                assertThat(blocker.waiters()).as("the sync's batch in flight while the unit closes").isEqualTo(1);
                assertThat(closing).as("close(), waiting for the batch in flight of the running sync()").isNotDone();

                blocker.release();
                closing.get(20, TimeUnit.SECONDS);
            }
            // the running sync() finished its batch in flight, marked it, and stopped there
            SyncResult stopped = run.get(20, TimeUnit.SECONDS);
            assertThat(stopped.applied()).as("changes the stopped sync() applied").isEqualTo((int) beforeHeldBatch + BATCH);
            assertThat(stopped.failed()).isZero();

            long reached = remoteRows(stores.schema) - atClose;
            assertThat(reached).as("rows that reached the remote after close() began: exactly the batch in flight")
                    .isEqualTo(BATCH);
            assertThat(syncedRowKeys(stores.localUrl)).as("changes marked SYNCED: exactly those on the remote")
                    .isEqualTo(remoteRowKeys(stores.schema));
            assertNoChangeUsedAnAttempt(stores.localUrl);
            assertTheRestReplaysExactlyOnce(stores, "close_sync_after");
        }
    }

    @Test
    void closing_the_unit_under_a_run_of_the_background_job_stops_it_after_the_batch_in_flight_and_the_rest_replays_later()
            throws Exception {
        try (FreshStores stores = new FreshStores("close_job", b -> b)) {
            writeBacklog(stores.unit);
            stores.unit.close();
            long heldId = heldProductId(stores.localUrl);
            long beforeHeldBatch = rowsBeforeBatchOf(stores.localUrl, heldId);

            try (RemoteRowBlocker blocker = new RemoteRowBlocker(stores.schema, heldId)) {
                CompositeEntityManagerFactory job = openUnit("close_job_running", stores.localUrl, stores.schema, "none",
                        b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100))
                                .property("dbcomposite.sync.batch-size", String.valueOf(BATCH)));
                try {
                    blocker.awaitWaiter(Duration.ofSeconds(20));
                    long atClose = remoteRows(stores.schema);
                    assertThat(atClose).as("rows on the remote while the batch in flight is held").isEqualTo(beforeHeldBatch);

                    CompletableFuture<Void> closing = CompletableFuture.runAsync(job::close);
                    await("close() to begin", Duration.ofSeconds(20), () -> !job.isOpen());
                    assertThat(blocker.waiters()).as("the job's batch in flight while the unit closes").isEqualTo(1);
                    assertThat(closing).as("close(), waiting for the batch in flight").isNotDone();

                    blocker.release();
                    closing.get(20, TimeUnit.SECONDS);

                    assertThat(remoteRows(stores.schema) - atClose)
                            .as("rows that reached the remote after close() began: exactly the batch in flight")
                            .isEqualTo(BATCH);
                } finally {
                    job.close();
                }
            }

            // the job's run waited for its last mark before the close went on: SYNCED is exactly what is on the remote
            assertThat(syncedRowKeys(stores.localUrl)).as("changes marked SYNCED")
                    .isEqualTo(remoteRowKeys(stores.schema));
            assertThat(logCount(stores.localUrl, "status = 'SYNCED'")).isEqualTo(beforeHeldBatch + BATCH);
            assertThat(logCount(stores.localUrl, "status = 'PENDING'")).isEqualTo(BACKLOG - beforeHeldBatch - BATCH);
            assertNoChangeUsedAnAttempt(stores.localUrl);
            assertTheRestReplaysExactlyOnce(stores, "close_job_after");
        }
    }
}
