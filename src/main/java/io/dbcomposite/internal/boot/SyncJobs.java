package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.quartz.QuartzSyncScheduler;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts the background sync job on what {@link CompositeSettings#SYNC_EXECUTOR} names: in a Jakarta EE container its
 * {@code ManagedScheduledExecutorService} (the job's runs then have the application's context, and no thread of the
 * library's outlives the deployment), else Quartz.
 */
final class SyncJobs {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.boot");

    /** Where a container binds its default managed scheduled executor: the standard name, then WildFly's global one. */
    static final List<String> CONTAINER_EXECUTORS = List.of("java:comp/DefaultManagedScheduledExecutorService",
            "java:jboss/ee/concurrency/scheduler/default");

    private SyncJobs() {
    }

    /** The started background job. */
    interface Job extends AutoCloseable {
        /** Asks for a run soon: a local commit wrote changes ({@code dbcomposite.sync.after-commit}). Cheap, never blocks. */
        void nudge();
    }

    /**
     * @param config the unit's configuration
     * @param run one sync run (it never throws for an unreachable remote)
     * @return the started job; closing it stops it after the run in flight
     */
    static Job start(CompositeConfiguration config, Runnable run) {
        Object executor = config.sync().executor();
        Duration interval = config.sync().interval();
        Duration afterCommit = config.sync().afterCommit();
        if (executor instanceof ScheduledExecutorService given) {
            return ExecutorJob.start(given, run, interval, afterCommit);
        }
        if (executor instanceof org.quartz.Scheduler scheduler) {
            return quartz(QuartzSyncScheduler.schedule(scheduler, config.unitName(), run, interval, afterCommit));
        }
        String name = String.valueOf(executor);
        java.util.function.Supplier<Job> ownQuartz = () -> quartz(QuartzSyncScheduler.start(config.unitName(), run, interval,
                config.quartz(), afterCommit));
        if ("quartz".equals(name)) {
            return ownQuartz.get();
        }
        if ("auto".equals(name)) {
            if (!config.quartz().isEmpty()) {
                // dbcomposite.quartz.* settings (a clustered job store, say) mean Quartz, container or not
                return ownQuartz.get();
            }
            for (String candidate : CONTAINER_EXECUTORS) {
                ScheduledExecutorService found = lookup(candidate);
                if (found != null) {
                    LOG.log(System.Logger.Level.DEBUG, "db-composite: unit ''{0}'' runs its sync job on {1}", config.unitName(), candidate);
                    return ExecutorJob.start(found, run, interval, afterCommit);
                }
            }
            return ownQuartz.get();
        }
        ScheduledExecutorService named = lookup(name);
        if (named == null) {
            throw new CompositeConfigurationException("Setting '" + CompositeSettings.SYNC_EXECUTOR + "' of persistence unit '"
                    + config.unitName() + "' names '" + name + "', but JNDI has no ScheduledExecutorService there; valid"
                    + " values: auto, quartz, the JNDI name of a ScheduledExecutorService, a ScheduledExecutorService or an"
                    + " org.quartz.Scheduler");
        }
        return ExecutorJob.start(named, run, interval, afterCommit);
    }

    private static Job quartz(QuartzSyncScheduler scheduler) {
        return new Job() {
            @Override
            public void nudge() {
                scheduler.nudge();
            }

            @Override
            public void close() {
                scheduler.close();
            }
        };
    }

    /** @return the executor bound at that name, or null (no JNDI here, nothing bound, or something else) */
    private static ScheduledExecutorService lookup(String name) {
        try {
            Object found = new InitialContext().lookup(name);
            return found instanceof ScheduledExecutorService s ? s : null;
        } catch (NamingException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The job on an executor that is not ours: runs with a fixed delay, one at a time, and {@code afterCommit} after a
     * {@link #nudge()}; {@link #close()} cancels the schedule and waits for a run in flight (it never shuts the executor
     * down).
     */
    static final class ExecutorJob implements Job {
        private final ReentrantLock running = new ReentrantLock();
        /** A commit asked for a run since the last run began. */
        private final AtomicBoolean nudged = new AtomicBoolean();
        /** A nudged run is scheduled and has not begun. */
        private final AtomicBoolean nudgeScheduled = new AtomicBoolean();
        private final ScheduledExecutorService executor;
        private final Runnable run;
        private final Duration afterCommit;
        private volatile boolean closed;
        private ScheduledFuture<?> future;
        private volatile ScheduledFuture<?> nudgeTask;

        private ExecutorJob(ScheduledExecutorService executor, Runnable run, Duration afterCommit) {
            this.executor = executor;
            this.run = run;
            this.afterCommit = afterCommit;
        }

        static ExecutorJob start(ScheduledExecutorService executor, Runnable run, Duration interval, Duration afterCommit) {
            ExecutorJob job = new ExecutorJob(executor, run, afterCommit);
            job.future = executor.scheduleWithFixedDelay(job::runOnce, 0, Math.max(1, interval.toMillis()),
                    TimeUnit.MILLISECONDS);
            return job;
        }

        @Override
        public void nudge() {
            if (afterCommit == null || closed) {
                return;
            }
            nudged.set(true); // before the schedule: a run in flight that misses the new task's attempt sees this
            schedule();
        }

        /** Schedules one run {@code afterCommit} from now unless one is scheduled and has not begun. */
        private void schedule() {
            if (closed || !nudgeScheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                nudgeTask = executor.schedule(() -> {
                    nudgeScheduled.set(false);
                    runOnce();
                }, afterCommit.toNanos(), TimeUnit.NANOSECONDS);
                if (closed) {
                    nudgeTask.cancel(false); // closed meanwhile: nothing may keep the unit alive in the executor
                }
            } catch (RuntimeException e) {
                // the executor is shutting down: the interval's run (or the next start) picks the change up
                nudgeScheduled.set(false);
            }
        }

        /**
         * One run, unless one is in flight (that run's end sees the nudge); a commit during the run schedules the next
         * one {@code afterCommit} later, so the executor's thread is given back between runs.
         */
        private void runOnce() {
            if (closed || !running.tryLock()) {
                return;
            }
            try {
                if (closed) {
                    return;
                }
                nudged.set(false);
                run.run();
            } catch (RuntimeException e) {
                // the next run tries again; a failure that ends the schedule would stop the sync silently
                LOG.log(System.Logger.Level.WARNING, "db-composite: a background sync run failed", e);
            } finally {
                running.unlock();
            }
            if (nudged.get()) {
                schedule();
            }
        }

        @Override
        public void close() {
            closed = true;
            if (future != null) {
                future.cancel(false);
            }
            ScheduledFuture<?> nudging = nudgeTask;
            if (nudging != null) {
                nudging.cancel(false);
            }
            running.lock(); // a run in flight ends its batch first
            running.unlock();
        }
    }
}
