package io.dbcomposite.quartz;

import io.dbcomposite.CompositeConfigurationException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Runs {@link SyncJob} every {@code dbcomposite.sync.interval} on a Quartz scheduler of its own: an in-memory
 * {@code RAMJobStore} with one thread by default; every {@code dbcomposite.quartz.*} setting is passed to Quartz,
 * so a clustered JDBC job store works too.
 */
public final class QuartzSyncScheduler implements AutoCloseable {

    static final String RUN_KEY = "io.dbcomposite.syncRun";

    private final Scheduler scheduler;

    private QuartzSyncScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * @param unitName the unit's name (the job's group)
     * @param run one sync run (it must not throw for an unreachable remote: the job runs again at the next trigger)
     * @param interval pause between runs
     * @param settings the {@code dbcomposite.quartz.*} settings, without the prefix
     * @return the started scheduler
     */
    public static QuartzSyncScheduler start(String unitName, Runnable run, Duration interval, Properties settings) {
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
            scheduler.getContext().put(RUN_KEY, run);
            JobDetail job = JobBuilder.newJob(SyncJob.class).withIdentity("sync", "dbcomposite-" + unitName).storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity("sync-every", "dbcomposite-" + unitName).forJob(job)
                    .startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(Math.max(1, interval.toMillis()))
                            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            scheduler.scheduleJob(job, Set.of(trigger), true);
            scheduler.start();
            return new QuartzSyncScheduler(scheduler);
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
     * @return closing it deletes the job and waits for a run in flight to finish its batch
     */
    public static AutoCloseable schedule(Scheduler scheduler, String unitName, Runnable run, Duration interval) {
        String group = "dbcomposite-" + unitName;
        String runKey = RUN_KEY + "." + group + "." + UUID.randomUUID();
        java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable guarded = () -> {
            running.lock();
            try {
                if (!closed.get()) {
                    run.run();
                }
            } finally {
                running.unlock();
            }
        };
        try {
            scheduler.getContext().put(runKey, guarded);
            JobDetail job = JobBuilder.newJob(SyncJob.class).withIdentity("sync", group).usingJobData(SyncJob.RUN_KEY_DATA, runKey)
                    .storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity("sync-every", group).forJob(job).startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(Math.max(1, interval.toMillis()))
                            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            scheduler.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new CompositeConfigurationException("Cannot add the background sync job of persistence unit '" + unitName
                    + "' to the application's Quartz scheduler: " + e.getMessage(), e);
        }
        return () -> {
            closed.set(true);
            try {
                if (!scheduler.isShutdown()) {
                    scheduler.deleteJob(org.quartz.JobKey.jobKey("sync", group));
                }
                scheduler.getContext().remove(runKey);
            } finally {
                running.lock(); // a run in flight ends its batch first
                running.unlock();
            }
        };
    }

    /** Stops the job, waiting for a run in flight to finish its batch. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot stop the background sync job: " + e.getMessage(), e);
        }
    }
}
