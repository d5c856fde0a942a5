package io.dbcomposite;

import java.time.Instant;

/**
 * A snapshot of the sync log, from {@link CompositeEntityManagerFactory#getSyncStatus()}.
 *
 * @param pendingChanges PENDING plus FAILED changes: everything still to reach the remote but the dead letters
 * @param failedCount FAILED changes, waiting for a retry
 * @param deadLetterCount DEAD changes, waiting for {@link CompositeEntityManagerFactory#retryDeadLetters()}
 * @param conflictCount CONFLICT changes, waiting for {@link CompositeEntityManagerFactory#retry(long...)} or
 *        {@link CompositeEntityManagerFactory#discard(long...)}
 * @param lastSyncedAt when a change last reached the remote, or {@code null} if none has
 * @param lastError the newest error recorded on a change, or {@code null}
 * @param oldestPendingAt when the oldest PENDING or FAILED change was committed locally, or {@code null} if there is
 *        none: the sync lag is {@code now - oldestPendingAt}
 * @param remoteAvailable {@code false} while the remote is known to be down (from the last attempt to reach it)
 */
public record SyncStatus(long pendingChanges, long failedCount, long deadLetterCount, long conflictCount, Instant lastSyncedAt, String lastError,
                         Instant oldestPendingAt, boolean remoteAvailable) {
}
