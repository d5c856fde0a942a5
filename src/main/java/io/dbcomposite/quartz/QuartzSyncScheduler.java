package io.dbcomposite.quartz;

import io.dbcomposite.CompositeConfigurationException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs {@link SyncJob} every {@code dbcomposite.sync.interval}: on a Quartz scheduler of its own (an in-memory
 * {@code RAMJobStore} with one thread by default; every {@code dbcomposite.quartz.*} setting is passed to Quartz, so a
 * clustered JDBC job store works too), or on the application's scheduler (Spring Boot's, say), which it never starts
 * or shuts down. {@link #nudge()} adds a one-shot run soon after a local commit (with an in-memory job store only; a
 * persistent one keeps to the interval); never two runs at once ({@code DisallowConcurrentExecution}: a run nudged
 * while one is in flight follows it).
 */
public final class QuartzSyncScheduler implements AutoCloseable {

    static final String RUN_KEY = "io.dbcomposite.syncRun";

    private final Scheduler scheduler;
    private final boolean owned;
    private final JobKey jobKey;
    private final String runKey;
    private final Duration afterCommit;
    private final AtomicBoolean nudgeScheduled = new AtomicBoolean();
    /** Whether a nudge may add a trigger: only in memory (a persistent job store would write a row per commit burst). */
    private volatile boolean nudgeable;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock running = new ReentrantLock();

    private QuartzSyncScheduler(Scheduler scheduler, boolean owned, String group, String runKey, Duration afterCommit) {
        this.scheduler = scheduler;
        this.owned = owned;
        this.jobKey = JobKey.jobKey("sync", group);
        this.runKey = runKey;
        this.afterCommit = afterCommit;
    }

    /**
     * @param unitName the unit's name (the job's group)
     * @param run one sync run (it must not throw for an unreachable remote: the job runs again at the next trigger)
     * @param interval pause between runs
     * @param settings the {@code dbcomposite.quartz.*} settings, without the prefix
     * @param afterCommit delay of a {@link #nudge()}d run, or null for none
     * @return the started scheduler
     */
    public static QuartzSyncScheduler start(String unitName, Runnable run, Duration interval, Properties settings,
            Duration afterCommit) {
        Properties props = new Properties();
        props.setProperty("org.quartz.scheduler.instanceName", "dbcomposite-" + unitName + "-" + UUID.randomUUID());
        props.setProperty("org.quartz.threadPool.threadCount", "1");
        props.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        props.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        props.putAll(settings);
        try {
            Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
            QuartzSyncScheduler job = new QuartzSyncScheduler(scheduler, true, "dbcomposite-" + unitName, RUN_KEY, afterCommit);
            job.add(run, interval);
            scheduler.start();
            return job;
        } catch (SchedulerException e) {
            throw new CompositeConfigurationException("Cannot start the background sync job of persistence unit '" + unitName
                    + "' (check the dbcomposite.quartz.* settings): " + e.getMessage(), e);
        }
    }

    /**
     * Adds the unit's job to the application's scheduler (Spring Boot's, say); it runs once the scheduler is started.
     *
     * @param scheduler the application's scheduler: the unit never starts or shuts it down
     * @param unitName the unit's name (the job's group)
     * @param run one sync run
     * @param interval pause between runs
     * @param afterCommit delay of a {@link #nudge()}d run, or null for none
     * @return closing it deletes the job and waits for a run in flight to finish its batch
     */
    public static QuartzSyncScheduler schedule(Scheduler scheduler, String unitName, Runnable run, Duration interval,
            Duration afterCommit) {
        String group = "dbcomposite-" + unitName;
        QuartzSyncScheduler job = new QuartzSyncScheduler(scheduler, false, group,
                RUN_KEY + "." + group + "." + UUID.randomUUID(), afterCommit);
        try {
            job.add(run, interval);
        } catch (SchedulerException e) {
            throw new CompositeConfigurationException("Cannot add the background sync job of persistence unit '" + unitName
                    + "' to the application's Quartz scheduler: " + e.getMessage(), e);
        }
        return job;
    }

    private void add(Runnable run, Duration interval) throws SchedulerException {
        Runnable guarded = () -> {
            running.lock();
            try {
                nudgeScheduled.set(false); // a commit from now on asks for another run
                if (!closed.get()) {
                    run.run();
                }
            } finally {
                running.unlock();
            }
        };
        scheduler.getContext().put(runKey, guarded);
        JobDetail job = JobBuilder.newJob(SyncJob.class).withIdentity(jobKey).usingJobData(SyncJob.RUN_KEY_DATA, runKey)
                .storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("sync-every", jobKey.getGroup()).forJob(job).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(Math.max(1, interval.toMillis()))
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(job, Set.of(trigger), true);
        nudgeable = afterCommit != null && org.quartz.simpl.RAMJobStore.class.isAssignableFrom(
                scheduler.getMetaData().getJobStoreClass());
    }

    /**
     * Asks for a run {@code afterCommit} from now, unless one is already asked for and has not started yet: a burst of
     * commits is one run.
     */
    public void nudge() {
        if (!nudgeable || closed.get() || !nudgeScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(jobKey)
                    .startAt(new Date(System.currentTimeMillis() + afterCommit.toMillis()))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build());
        } catch (SchedulerException | RuntimeException e) {
            // shutting down, or the job store refused: the interval's run picks the change up
            nudgeScheduled.set(false);
            try {
                if (scheduler.isShutdown()) {
                    nudgeable = false; // not one trigger more per commit for a scheduler that is gone
                }
            } catch (SchedulerException | RuntimeException unknown) {
                nudgeable = false;
            }
        }
    }

    /**
     * Stops the job and waits for a run in flight to finish its batch: shuts its own scheduler down, or deletes the job
     * from the application's.
     */
    @Override
    public void close() {
        closed.set(true);
        try {
            if (owned) {
                scheduler.shutdown(true);
            } else {
                if (!scheduler.isShutdown()) {
                    scheduler.deleteJob(jobKey);
                }
                scheduler.getContext().remove(runKey);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot stop the background sync job: " + e.getMessage(), e);
        } finally {
            running.lock(); // a run in flight ends its batch first
            running.unlock();
        }
    }
}
