package io.dbcomposite.quartz;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The background sync: one run of the engine per trigger. Never two at once in one scheduler
 * ({@link DisallowConcurrentExecution}); the engine's own lock keeps it apart from {@code emf.sync()} and from
 * other JVMs sharing the local store.
 */
@DisallowConcurrentExecution
public class SyncJob implements Job {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");
    /** The job data key naming the scheduler-context entry that holds the run, on a scheduler shared with others. */
    static final String RUN_KEY_DATA = "io.dbcomposite.runKey";

    /** Creates the job; Quartz does this for every run. */
    public SyncJob() {
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        Runnable run;
        try {
            String key = context.getMergedJobDataMap().getString(RUN_KEY_DATA);
            run = (Runnable) context.getScheduler().getContext().get(key != null ? key : QuartzSyncScheduler.RUN_KEY);
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        }
        if (run == null) {
            // a job store shared with another process (clustered or persistent) fired this node's trigger for a job
            // another node added: nothing of this node's to run, and its changes wait; say so rather than skip silently
            LOG.log(System.Logger.Level.WARNING, "db-composite: Quartz fired the sync job {0}, but this scheduler holds no"
                    + " run for it (a job store shared between processes?); nothing was replayed by this trigger",
                    context.getJobDetail().getKey());
            return;
        }
        try {
            run.run();
        } catch (RuntimeException e) {
            // the next trigger tries again; the changes wait in the log
            LOG.log(System.Logger.Level.WARNING, "db-composite: background sync run failed: " + e.getMessage(), e);
        }
    }
}
