package io.dbcomposite.internal.config;

import java.time.Duration;

/**
 * The sync engine's settings, validated.
 *
 * @param enabled whether the background job runs
 * @param interval pause between background runs
 * @param batchSize changes a remote transaction
 * @param initialBackoff first retry delay
 * @param maxBackoff longest retry delay
 * @param maxAttempts failed attempts before DEAD
 * @param retention age after which SYNCED rows are purged
 * @param executor what runs the job: "auto", "quartz", a JNDI name, a {@code ScheduledExecutorService} or a Quartz
 *        {@code Scheduler}
 * @param afterCommit how soon after a local commit with changes the job runs, or null for never (the interval only)
 */
public record SyncSettings(boolean enabled, Duration interval, int batchSize, Duration initialBackoff,
                           Duration maxBackoff, int maxAttempts, Duration retention, Object executor, Duration afterCommit) {

}
