package io.dbcomposite.sync;

import io.dbcomposite.CompositeSettings;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Quartz job ({@code dbcomposite.sync.enabled=true}) replays changes by itself, runs beside writers without
 * SQLite ever answering SQLITE_BUSY to them, stops when the unit closes, and a close in the middle of a run never
 * marks a change SYNCED that is not on the remote (sync semantics 2, 3, 6; "emf.close() stops the job").
 */
class BackgroundJobTest extends SyncTestBase {

    private static long remoteCountIn(String schema, String table, String where, Object... params) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from " + table + " where " + where, params)
                .get(0).get("n")).longValue();
    }

    private static List<Thread> jobThreadsOf(String unitName) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("dbcomposite-" + unitName + "-")) {
                out.add(t);
            }
        }
        return out;
    }

    /** Closes the unit on another thread and asserts that the close returns. */
    private static void closeWithin(CompositeEntityManagerFactory unit, Duration timeout) throws Exception {
        CompletableFuture<Void> closing = CompletableFuture.runAsync(unit::close);
        closing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(unit.isOpen()).isFalse();
    }

    /** Every SYNCED change of a Product is on the remote: nothing is marked SYNCED that did not get there. */
    private static void assertSyncedProductsAreRemote(String localUrl, String schema) {
        List<Map<String, Object>> synced = SqliteFiles.rows(localUrl, "select entity_id from dbc_sync_log"
                + " where status = 'SYNCED' and entity_name = 'Product'");
        for (Map<String, Object> row : synced) {
            assertThat(remoteCountIn(schema, "product", "id = ?", Long.parseLong((String) row.get("entity_id"))))
                    .as("remote row of the SYNCED change of Product#" + row.get("entity_id")).isEqualTo(1);
        }
        assertThat(SqliteFiles.rows(localUrl, "select id, status, attempts from dbc_sync_log where status in ('FAILED', 'DEAD')"))
                .as("changes failed by the interrupted run").isEmpty();
    }

    /** The id of a product in a local SQLite file, by its SKU. */
    private static long localProductId(String localUrl, String sku) {
        return ((Number) SqliteFiles.rows(localUrl, "select id from product where sku = ?", sku).get(0).get("id")).longValue();
    }

    private static Product product(String sku) {
        return new Product(sku, "Job " + sku, new BigDecimal("4.20"), Category.CLOTHING);
    }

    @Test
    void the_background_job_replays_changes_by_itself_and_stops_when_the_unit_closes() throws Exception {
        try (FreshStores stores = new FreshStores("job_alone", b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(200)))) {
            CompositeEntityManagerFactory unit = stores.unit;
            Customer c = new Customer("Job", "job@example.com").addPhoneNumber("1");
            inTransaction(unit, em -> {
                em.persist(product("JOB-1").addLabel("auto"));
                em.persist(c);
            });
            inTransaction(unit, em -> {
                PurchaseOrder o = new PurchaseOrder(em.getReference(Customer.class, c.getId()));
                o.addLine(null, 3, new BigDecimal("1.50"));
                em.persist(o);
            });

            await("the job to replay every change", Duration.ofSeconds(20), () -> unit.getSyncStatus().pendingChanges() == 0);

            SyncStatus status = unit.getSyncStatus();
            assertThat(status.lastSyncedAt()).isNotNull();
            assertThat(status.lastError()).isNull();
            assertThat(status.failedCount()).isZero();
            assertThat(remoteCountIn(stores.schema, "product", "sku = 'JOB-1'")).isEqualTo(1);
            assertThat(remoteCountIn(stores.schema, "order_line", "quantity = 3")).isEqualTo(1);
            stores.assertRemoteEqualsLocal();
            assertThat(jobThreadsOf("job_alone")).as("the job's threads while the unit is open").isNotEmpty();

            closeWithin(unit, Duration.ofSeconds(20));

            await("the job's threads to end", Duration.ofSeconds(10), () -> jobThreadsOf("job_alone").isEmpty());
            // a change written by another unit afterwards is not picked up by the closed unit's job
            try (CompositeEntityManagerFactory other = openUnit("job_alone_after", stores.localUrl, stores.schema, "none", b -> b)) {
                inTransaction(other, em -> em.persist(product("JOB-AFTER-CLOSE")));
                long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // five intervals of the closed job
                while (System.nanoTime() < deadline) {
                    assertThat(other.getSyncStatus().pendingChanges()).as("left alone once the unit is closed").isEqualTo(1);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
        }
    }

    @Test
    void the_job_runs_on_a_given_scheduled_executor_and_closing_the_unit_cancels_it_without_shutting_the_executor_down()
            throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> new Thread(r, "app-scheduler"));
        executor.setRemoveOnCancelPolicy(true);
        try (FreshStores stores = new FreshStores("job_executor", b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100))
                .property(CompositeSettings.SYNC_EXECUTOR, executor))) {
            CompositeEntityManagerFactory unit = stores.unit;
            inTransaction(unit, em -> em.persist(product("EXEC-1")));

            await("the executor's job to replay the change", Duration.ofSeconds(20),
                    () -> unit.getSyncStatus().pendingChanges() == 0);
            assertThat(remoteCountIn(stores.schema, "product", "sku = 'EXEC-1'")).isEqualTo(1);
            assertThat(executor.getQueue()).as("the job's schedule while the unit is open").hasSize(1);
            assertThat(threadsNamed("dbcomposite-job_executor-").stream().filter(t -> t.getName().contains("Quartz")
                    || t.getName().contains("Worker"))).as("no Quartz thread").isEmpty();

            closeWithin(unit, Duration.ofSeconds(20));

            assertThat(executor.getQueue()).as("the job's schedule once the unit is closed").isEmpty();
            assertThat(executor.isShutdown()).as("the application's executor is left to the application").isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void the_job_runs_on_a_given_quartz_scheduler_and_closing_the_unit_deletes_it_without_shutting_the_scheduler_down()
            throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("org.quartz.scheduler.instanceName", "app-quartz-" + java.util.UUID.randomUUID());
        props.setProperty("org.quartz.threadPool.threadCount", "1");
        props.setProperty("org.quartz.threadPool.threadNamePrefix", "app-quartz-worker");
        props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        org.quartz.Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(props).getScheduler();
        scheduler.start();
        try (FreshStores stores = new FreshStores("job_quartz", b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100))
                .property(CompositeSettings.SYNC_EXECUTOR, scheduler))) {
            CompositeEntityManagerFactory unit = stores.unit;
            inTransaction(unit, em -> em.persist(product("QUARTZ-1")));

            await("the application's scheduler to replay the change", Duration.ofSeconds(20),
                    () -> unit.getSyncStatus().pendingChanges() == 0);
            assertThat(remoteCountIn(stores.schema, "product", "sku = 'QUARTZ-1'")).isEqualTo(1);
            assertThat(scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()))
                    .as("the unit's job while it is open").containsExactly(org.quartz.JobKey.jobKey("sync", "dbcomposite-job_quartz"));
            assertThat(jobThreadsOf("job_quartz").stream().filter(t -> t.getName().contains("Quartz")
                    || t.getName().contains("Worker"))).as("no scheduler of the unit's own").isEmpty();

            closeWithin(unit, Duration.ofSeconds(20));

            assertThat(scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()))
                    .as("the unit's job once it is closed").isEmpty();
            assertThat(scheduler.isShutdown()).as("the application's scheduler is left to the application").isFalse();
            assertThat(scheduler.isStarted()).isTrue();
        } finally {
            scheduler.shutdown(true);
        }
    }

    private static List<Thread> threadsNamed(String prefix) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void four_writers_beside_the_running_job_never_fail_and_everything_drains() throws Exception {
        int writers = 4;
        int transactionsEach = 50;
        try (FreshStores stores = new FreshStores("job_writers", b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100)))) {
            CompositeEntityManagerFactory unit = stores.unit;
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < transactionsEach; i++) {
                            String sku = "W" + writer + "-" + i;
                            inTransaction(unit, em -> em.persist(product(sku).addLabel("w" + writer)));
                            if (i % 10 == 9) {
                                inTransaction(unit, em -> em.createQuery("select p from Product p where p.sku = :s", Product.class)
                                        .setParameter("s", sku).getSingleResult().setName("updated " + sku));
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "writer-" + w);
                threads.add(t);
                t.start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
                assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
            }

            assertThat(errors).as("exceptions that reached a writer (SQLITE_BUSY or other)").isEmpty();
            await("the job to drain every writer's changes", Duration.ofSeconds(30),
                    () -> unit.getSyncStatus().pendingChanges() == 0);
            assertThat(unit.getSyncStatus().failedCount() + unit.getSyncStatus().deadLetterCount()).isZero();
            assertThat(remoteCountIn(stores.schema, "product", "1 = 1")).isEqualTo(writers * transactionsEach);
            assertThat(remoteCountIn(stores.schema, "product", "name like 'updated %' and version = 1"))
                    .isEqualTo(writers * transactionsEach / 10);
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void closing_the_unit_while_a_job_run_is_in_flight_marks_nothing_synced_that_is_not_on_the_remote() throws Exception {
        int backlog = 300;
        try (FreshStores stores = new FreshStores("job_close", b -> b)) {
            for (int i = 0; i < backlog; i++) {
                String sku = "CL-" + i;
                inTransaction(stores.unit, em -> em.persist(product(sku)));
            }
            stores.unit.close();
            // the job's run is held in the middle of the backlog, so a batch is surely in flight when close() is called
            try (RemoteRowBlocker blocker = new RemoteRowBlocker(stores.schema, localProductId(stores.localUrl, "CL-" + backlog / 2))) {
                CompositeEntityManagerFactory job = openUnit("job_close_running", stores.localUrl, stores.schema, "none",
                        b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100)).property("dbcomposite.sync.batch-size", "5"));
                try {
                    blocker.awaitWaiter(Duration.ofSeconds(20));
                    assertThat(remoteCountIn(stores.schema, "product", "1 = 1")).as("products replayed before the held batch")
                            .isBetween(1L, backlog / 2L);

                    CompletableFuture<Void> closing = CompletableFuture.runAsync(job::close);
                    await("close() to begin", Duration.ofSeconds(20), () -> !job.isOpen());

                    assertThat(blocker.waiters()).as("the job's batch in flight while the unit closes").isEqualTo(1);
                    assertThat(closing).as("close(), waiting for the run in flight").isNotDone();
                    blocker.release();
                    closing.get(60, TimeUnit.SECONDS);
                } finally {
                    job.close();
                }
            }

            // the pools' executors are shut down by close(); their threads end a moment later
            await("the unit's threads to end", Duration.ofSeconds(10), () -> jobThreadsOf("job_close_running").isEmpty());
            assertSyncedProductsAreRemote(stores.localUrl, stores.schema);
            try (CompositeEntityManagerFactory after = openUnit("job_close_after", stores.localUrl, stores.schema, "none", b -> b)) {
                SyncResult r = after.sync();
                assertThat(r.failed()).isZero();
                assertThat(r.remaining()).isZero();
                assertThat(remoteCountIn(stores.schema, "product", "1 = 1")).isEqualTo(backlog);
                assertRemoteEqualsLocal(after, stores.localUrl, stores.schema);
            }
        }
    }

    @Test
    void closing_the_unit_while_a_manual_sync_is_in_flight_marks_nothing_synced_that_is_not_on_the_remote() throws Exception {
        int backlog = 300;
        // the held statement gives up after the socket timeout, as a statement to a remote that does not answer does;
        // close() waits for the run that long (at most), so a short timeout keeps the test short
        try (FreshStores stores = new FreshStores("sync_close", b -> b.property("dbcomposite.sync.batch-size", "5")
                .property("dbcomposite.remote.socket-timeout", "5s"))) {
            for (int i = 0; i < backlog; i++) {
                String sku = "MS-" + i;
                inTransaction(stores.unit, em -> em.persist(product(sku)));
            }
            CompositeEntityManagerFactory unit = stores.unit;
            // the sync is held in the middle of the backlog, so a batch is surely in flight when close() is called
            try (RemoteRowBlocker blocker = new RemoteRowBlocker(stores.schema, localProductId(stores.localUrl, "MS-" + backlog / 2))) {
                CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(unit::sync);
                blocker.awaitWaiter(Duration.ofSeconds(20));
                assertThat(remoteCountIn(stores.schema, "product", "1 = 1")).as("products replayed before the held batch")
                        .isBetween(1L, backlog / 2L);
                assertThat(run).as("the sync, held in the middle").isNotDone();

                closeWithin(unit, Duration.ofSeconds(60));

                // the pools closed under the held batch (its connection aborted): the run stops, it must not hang
                blocker.release();
                try {
                    run.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expectedWhenCutShort) {
                    // the pools closed under it
                }
            }

            assertSyncedProductsAreRemote(stores.localUrl, stores.schema);
            try (CompositeEntityManagerFactory after = openUnit("sync_close_after", stores.localUrl, stores.schema, "none", b -> b)) {
                SyncResult r = after.sync();
                assertThat(r.failed()).isZero();
                assertThat(r.remaining()).isZero();
                assertThat(remoteCountIn(stores.schema, "product", "1 = 1")).isEqualTo(backlog);
                assertRemoteEqualsLocal(after, stores.localUrl, stores.schema);
            }
        }
    }
}
