package io.dbcomposite;

import java.time.Duration;

/**
 * What one sync run did, from {@link CompositeEntityManagerFactory#sync()}.
 *
 * @param applied changes that reached the remote in this run
 * @param failed changes that failed in this run and will be retried
 * @param deadLettered changes that failed for the last time in this run and are now DEAD
 * @param remaining changes still PENDING or FAILED after the run
 * @param duration how long the run took
 */
public record SyncResult(int applied, int failed, int deadLettered, long remaining, Duration duration) {
}
