package io.dbcomposite.sync;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.SyncListener;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code dbcomposite.sync.after-commit}: a local commit that wrote changes wakes the background job (on Quartz, the
 * default, and on an application's executor), a burst of commits is one run, the interval stays the fallback, and
 * {@code off} leaves the changes to the interval.
 */
class AfterCommitSyncTest extends SyncTestBase {

    /** Long enough that only the run at start and the after-commit runs happen during a test. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static Product product(String sku) {
        return new Product(sku, "After commit " + sku, new BigDecimal("2.50"), Category.CLOTHING);
    }

    private static long remoteProducts(String schema, String sku) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from product where sku = ?", sku).get(0)
                .get("n")).longValue();
    }

    private void aCommitWakesTheJob(String name, java.util.function.UnaryOperator<io.dbcomposite.CompositePersistence.Builder> how) {
        try (FreshStores stores = new FreshStores(name, b -> how.apply(b.syncEnabled(true).syncInterval(NEVER)))) {
            CompositeEntityManagerFactory unit = stores.unit;
            for (int i = 0; i < 3; i++) {
                String sku = name.toUpperCase() + "-" + i;
                inTransaction(unit, em -> em.persist(product(sku)));
                await("the commit's change on the remote without waiting for the hour-long interval", Duration.ofSeconds(20),
                        () -> remoteProducts(stores.schema, sku) == 1);
            }
            await("nothing pending", Duration.ofSeconds(20), () -> unit.getSyncStatus().pendingChanges() == 0);
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void a_commit_wakes_the_quartz_job() {
        aCommitWakesTheJob("nudge_quartz", b -> b);
    }

    @Test
    void a_commit_wakes_the_job_on_an_applications_executor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "app-nudge"));
        try {
            aCommitWakesTheJob("nudge_executor", b -> b.property(CompositeSettings.SYNC_EXECUTOR, executor));
        } finally {
            executor.shutdownNow();
        }
    }

    /** Hears each run that applied changes, and how many. */
    private record Runs(List<Integer> applied) implements SyncListener, io.dbcomposite.internal.sync.RunObserver {
        @Override
        public void ran(io.dbcomposite.SyncResult result) {
            if (result.applied() > 0) {
                applied.add(result.applied());
            }
        }
    }

    /**
     * Ten commits, then the runs that carried them. A wake-up is asked for by the first commit after a run began, so a
     * burst shorter than the delay is one run; a slower machine that spreads the burst over {@code n} delays may see
     * {@code n} more, never one per commit.
     *
     * @param runAtStartSeen whether the run at start is known to be over before the burst (else it may take the first
     *        commits: one run more)
     */
    private void aBurstIsOneRun(String name, java.util.function.UnaryOperator<io.dbcomposite.CompositePersistence.Builder> how,
            java.util.function.BooleanSupplier runAtStartOver, boolean runAtStartSeen) {
        Duration delay = Duration.ofSeconds(2);
        // what each run applied (a run that meets commits still arriving applies them in more than one batch)
        List<Integer> batches = new CopyOnWriteArrayList<>();
        Runs listener = new Runs(batches);
        try (FreshStores stores = new FreshStores(name, b -> how.apply(b.syncEnabled(true).syncInterval(NEVER)
                .property(CompositeSettings.SYNC_AFTER_COMMIT, delay.toMillis() + "ms").listener(listener)))) {
            CompositeEntityManagerFactory unit = stores.unit;
            await("the run at start", Duration.ofSeconds(20), runAtStartOver);
            long began = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                String sku = name.toUpperCase() + "-" + i;
                inTransaction(unit, em -> em.persist(product(sku)));
            }
            long burst = System.nanoTime() - began;
            // the listener hears of a run once it ended, a moment after its marks show in the status
            await("the runs that applied the burst", Duration.ofSeconds(20),
                    () -> batches.stream().mapToInt(Integer::intValue).sum() >= 10);
            long spread = burst / delay.toNanos();
            assertThat(batches).as("runs for ten commits made in %d ms with a %d ms delay", burst / 1_000_000, delay.toMillis())
                    .hasSizeBetween(1, (int) (1 + spread + (runAtStartSeen ? 0 : 1)));
            assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
            if (spread == 0 && runAtStartSeen) {
                assertThat(batches).as("a burst within the delay is one run").containsExactly(10);
            }
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void a_burst_of_commits_is_one_run() {
        aBurstIsOneRun("nudge_burst", b -> b, () -> true, false);
    }

    @Test
    void a_burst_of_commits_is_one_run_on_an_applications_executor() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "app-burst")) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                runs.incrementAndGet();
            }
        };
        try {
            aBurstIsOneRun("nudge_burst_executor", b -> b.property(CompositeSettings.SYNC_EXECUTOR, executor),
                    () -> runs.get() >= 1, true);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Hears applied batches (blocking in one when asked) and every run's result, with the thread it came on. */
    private static final class Blocking implements SyncListener, io.dbcomposite.internal.sync.RunObserver {
        final java.util.concurrent.atomic.AtomicBoolean blockNext = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        volatile Thread blocked;
        final List<String> emptyRunsOn = new CopyOnWriteArrayList<>();

        @Override
        public void applied(List<Change> changes) {
            if (blockNext.compareAndSet(true, false)) {
                blocked = Thread.currentThread();
                inside.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void ran(io.dbcomposite.SyncResult result) {
            if (result.applied() == 0 && Thread.currentThread() != blocked) {
                emptyRunsOn.add(Thread.currentThread().getName());
            }
        }
    }

    /**
     * Occupies the one thread of an application's job executor until {@link #open()}, so the job's wake-ups wait in its
     * queue: the test, not the scheduler's timing, decides who takes the applier lock first.
     */
    private static final class Gate {
        /** Hands a task to the job's only thread. */
        interface Occupier {
            void occupy(Runnable task) throws Exception;
        }

        private final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        private final Occupier occupier;

        Gate(Occupier occupier) {
            this.occupier = occupier;
        }

        /** Returns once the job's only thread is busy with the gate. */
        void close() throws Exception {
            occupier.occupy(this::hold);
            assertThat(inside.await(20, TimeUnit.SECONDS)).as("the gate on the job's only thread").isTrue();
        }

        void open() {
            letGo.countDown();
        }

        /** What the job's thread runs: says it is there, then waits to be let go. */
        private void hold() {
            inside.countDown();
            try {
                letGo.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A job of the test's on an application's Quartz scheduler: runs the gate's task it is given. */
    public static final class GateJob implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
            ((Runnable) context.getMergedJobDataMap().get("task")).run();
        }
    }

    /**
     * A {@code sync()} takes a change and holds the applier lock (in its listener) while the job's wake-up comes: the
     * wake-up finds the lock held and gives way, and the {@code sync()} asks for the run again when it lets go, so a change
     * committed meanwhile reaches the remote without the hour-long interval. The job's one thread is kept busy until the
     * {@code sync()} holds the lock: else the wake-up of the commit could take the change first.
     */
    private void aWakeUpThatFindsTheLockHeldRunsAgain(String name, Object executor, Gate gate) throws Exception {
        Blocking listener = new Blocking();
        try (FreshStores stores = new FreshStores(name, b -> b.syncEnabled(true).syncInterval(NEVER)
                .property(CompositeSettings.SYNC_EXECUTOR, executor)
                .property(CompositeSettings.SYNC_AFTER_COMMIT, "300ms").listener(listener))) {
            CompositeEntityManagerFactory unit = stores.unit;
            inTransaction(unit, em -> em.persist(product("MISSED-A")));
            await("the first change on the remote", Duration.ofSeconds(20), () -> remoteProducts(stores.schema, "MISSED-A") == 1);
            await("nothing pending", Duration.ofSeconds(20), () -> unit.getSyncStatus().pendingChanges() == 0);
            gate.close();
            try {
                inTransaction(unit, em -> em.persist(product("MISSED-B"))); // its wake-up waits behind the gate
                listener.blockNext.set(true);
                Thread holder = new Thread(unit::sync, "holding-sync");
                holder.start();
                assertThat(listener.inside.await(20, TimeUnit.SECONDS)).as("the sync() applying the change").isTrue();
                assertThat(listener.blocked).isSameAs(holder);
                inTransaction(unit, em -> em.persist(product("MISSED-C")));
                int before = listener.emptyRunsOn.size();
                gate.open();
                await("the job's wake-up finding the lock held", Duration.ofSeconds(20), () -> listener.emptyRunsOn.size() > before);
                assertThat(remoteProducts(stores.schema, "MISSED-C")).as("held back while the sync() holds the lock").isZero();
                listener.letGo.countDown();
                holder.join(20_000);
                assertThat(holder.isAlive()).as("the sync() once let go").isFalse();
                // the interval is an hour away: only a run asked for again when the sync() let go brings the change
                await("the change committed while the lock was held, on the remote", Duration.ofSeconds(20),
                        () -> remoteProducts(stores.schema, "MISSED-C") == 1);
                stores.assertRemoteEqualsLocal();
            } finally {
                listener.letGo.countDown();
                gate.open();
            }
        }
    }

    @Test
    void a_wake_up_that_finds_another_applier_at_work_runs_again_once_it_lets_go() throws Exception {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "app-missed"));
        Gate gate = new Gate(executor::execute);
        try {
            aWakeUpThatFindsTheLockHeldRunsAgain("nudge_missed", executor, gate);
        } finally {
            gate.open();
            executor.shutdownNow();
        }
    }

    @Test
    void a_wake_up_on_quartz_that_finds_another_applier_at_work_runs_again_once_it_lets_go() throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("org.quartz.scheduler.instanceName", "app-missed-" + java.util.UUID.randomUUID());
        props.setProperty("org.quartz.threadPool.threadCount", "1");
        props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        org.quartz.Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(props).getScheduler();
        scheduler.start();
        Gate gate = new Gate(task -> {
            org.quartz.JobDataMap data = new org.quartz.JobDataMap();
            data.put("task", task);
            scheduler.scheduleJob(org.quartz.JobBuilder.newJob(GateJob.class).usingJobData(data).build(),
                    org.quartz.TriggerBuilder.newTrigger().startNow().build());
        });
        try {
            aWakeUpThatFindsTheLockHeldRunsAgain("nudge_missed_quartz", scheduler, gate);
        } finally {
            gate.open();
            scheduler.shutdown(true);
        }
    }

    @Test
    void off_leaves_the_changes_to_the_interval() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "app-off")) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                runs.incrementAndGet();
            }
        };
        try (FreshStores stores = new FreshStores("nudge_off", b -> b.syncEnabled(true).syncInterval(NEVER)
                .property(CompositeSettings.SYNC_EXECUTOR, executor).property(CompositeSettings.SYNC_AFTER_COMMIT, "off"))) {
            CompositeEntityManagerFactory unit = stores.unit;
            await("the run at start", Duration.ofSeconds(20), () -> runs.get() == 1);
            inTransaction(unit, em -> em.persist(product("OFF-1")));
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // 200 times the default delay
            while (System.nanoTime() < deadline) {
                assertThat(unit.getSyncStatus().pendingChanges()).as("left to the interval").isEqualTo(1);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(runs).as("no run after the commit").hasValue(1);
            unit.sync();
            assertThat(remoteProducts(stores.schema, "OFF-1")).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void an_executor_shared_with_the_job_runs_the_applications_tasks_too_and_closing_cancels_a_pending_wake_up() throws Exception {
        java.util.concurrent.atomic.AtomicInteger executed = new java.util.concurrent.atomic.AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "app-shared")) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                executed.incrementAndGet();
            }
        };
        executor.setRemoveOnCancelPolicy(true);
        try {
            try (FreshStores stores = new FreshStores("nudge_close", b -> b.syncEnabled(true).syncInterval(NEVER)
                    .property(CompositeSettings.SYNC_EXECUTOR, executor).property(CompositeSettings.SYNC_AFTER_COMMIT, "5ms"))) {
                CompositeEntityManagerFactory unit = stores.unit;
                // commits keep coming while the application's own task waits for the executor's one thread
                java.util.concurrent.atomic.AtomicBoolean appTaskRan = new java.util.concurrent.atomic.AtomicBoolean();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                for (int i = 0; !appTaskRan.get() && System.nanoTime() < deadline; i++) {
                    String sku = "SHARED-" + i;
                    inTransaction(unit, em -> em.persist(product(sku)));
                    if (i == 20) {
                        executor.execute(() -> appTaskRan.set(true));
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a steady writer, not one that starves SQLite's lock
                }
                assertThat(appTaskRan).as("the application's task ran between the job's runs, commits going on").isTrue();
                await("the commits on the remote", Duration.ofSeconds(20), () -> unit.getSyncStatus().pendingChanges() == 0);
            }
            int before = executed.get(); // before the unit: its run at start comes after
            try (FreshStores stores = new FreshStores("nudge_close2", b -> b.syncEnabled(true).syncInterval(NEVER)
                    .property(CompositeSettings.SYNC_EXECUTOR, executor).property(CompositeSettings.SYNC_AFTER_COMMIT, "50s"))) {
                await("the run at start", Duration.ofSeconds(20), () -> executed.get() > before);
                inTransaction(stores.unit, em -> em.persist(product("CLOSE-1")));
                assertThat(executor.getQueue()).as("the interval's schedule and the wake-up in 50 s").hasSize(2);
                stores.unit.close();
                assertThat(executor.getQueue()).as("nothing of the closed unit left in the application's executor").isEmpty();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void a_bad_value_names_the_setting_and_the_valid_values() {
        assertThatThrownBy(() -> new FreshStores("nudge_bad", b -> b.property(CompositeSettings.SYNC_AFTER_COMMIT, "soon")))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(CompositeSettings.SYNC_AFTER_COMMIT).hasMessageContaining("'off'");
        assertThatThrownBy(() -> new FreshStores("nudge_long", b -> b.property(CompositeSettings.SYNC_AFTER_COMMIT, "2m")))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(CompositeSettings.SYNC_AFTER_COMMIT);
    }
}
