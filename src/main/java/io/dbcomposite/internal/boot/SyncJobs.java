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

    /**
     * @param config the unit's configuration
     * @param run one sync run (it never throws for an unreachable remote)
     * @return the started job; closing it stops it after the run in flight
     */
    static AutoCloseable start(CompositeConfiguration config, Runnable run) {
        Object executor = config.sync().executor();
        Duration interval = config.sync().interval();
        if (executor instanceof ScheduledExecutorService given) {
            return ExecutorJob.start(given, run, interval);
        }
        if (executor instanceof org.quartz.Scheduler scheduler) {
            return QuartzSyncScheduler.schedule(scheduler, config.unitName(), run, interval);
        }
        String name = String.valueOf(executor);
        if ("quartz".equals(name)) {
            return QuartzSyncScheduler.start(config.unitName(), run, interval, config.quartz());
        }
        if ("auto".equals(name)) {
            if (!config.quartz().isEmpty()) {
                // dbcomposite.quartz.* settings (a clustered job store, say) mean Quartz, container or not
                return QuartzSyncScheduler.start(config.unitName(), run, interval, config.quartz());
            }
            for (String candidate : CONTAINER_EXECUTORS) {
                ScheduledExecutorService found = lookup(candidate);
                if (found != null) {
                    LOG.log(System.Logger.Level.DEBUG, "db-composite: unit ''{0}'' runs its sync job on {1}", config.unitName(), candidate);
                    return ExecutorJob.start(found, run, interval);
                }
            }
            return QuartzSyncScheduler.start(config.unitName(), run, interval, config.quartz());
        }
        ScheduledExecutorService named = lookup(name);
        if (named == null) {
            throw new CompositeConfigurationException("Setting '" + CompositeSettings.SYNC_EXECUTOR + "' of persistence unit '"
                    + config.unitName() + "' names '" + name + "', but JNDI has no ScheduledExecutorService there; valid"
                    + " values: auto, quartz, the JNDI name of a ScheduledExecutorService, a ScheduledExecutorService or an"
                    + " org.quartz.Scheduler");
        }
        return ExecutorJob.start(named, run, interval);
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
     * The job on an executor that is not ours: runs with a fixed delay, one at a time; {@link #close()} cancels the
     * schedule and waits for a run in flight (it never shuts the executor down).
     */
    static final class ExecutorJob implements AutoCloseable {
        private final ReentrantLock running = new ReentrantLock();
        private volatile boolean closed;
        private ScheduledFuture<?> future;

        static ExecutorJob start(ScheduledExecutorService executor, Runnable run, Duration interval) {
            ExecutorJob job = new ExecutorJob();
            job.future = executor.scheduleWithFixedDelay(() -> job.runOnce(run), 0, Math.max(1, interval.toMillis()),
                    TimeUnit.MILLISECONDS);
            return job;
        }

        private void runOnce(Runnable run) {
            if (closed || !running.tryLock()) {
                return;
            }
            try {
                if (!closed) {
                    run.run();
                }
            } catch (RuntimeException e) {
                // the next run tries again; a failure that ends the schedule would stop the sync silently
                LOG.log(System.Logger.Level.WARNING, "db-composite: a background sync run failed", e);
            } finally {
                running.unlock();
            }
        }

        @Override
        public void close() {
            closed = true;
            if (future != null) {
                future.cancel(false);
            }
            running.lock(); // a run in flight ends its batch first
            running.unlock();
        }
    }
}
