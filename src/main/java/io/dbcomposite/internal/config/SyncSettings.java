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
 * @param executor what runs the job: "auto", "quartz", a JNDI name or a {@code ScheduledExecutorService}
 */
public record SyncSettings(boolean enabled, Duration interval, int batchSize, Duration initialBackoff,
                           Duration maxBackoff, int maxAttempts, Duration retention, Object executor) {
}
