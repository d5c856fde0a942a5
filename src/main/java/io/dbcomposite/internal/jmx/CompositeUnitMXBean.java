package io.dbcomposite.internal.jmx;

/**
 * The management interface of a composite unit, registered as {@code io.dbcomposite:type=CompositeUnit,name=<unit>}:
 * the sync status as attributes, and the operations of the unit's factory.
 */
public interface CompositeUnitMXBean {

    /** @return PENDING + FAILED changes */
    long getPendingChanges();

    /** @return FAILED changes (waiting for a retry) */
    long getFailedCount();

    /** @return DEAD changes */
    long getDeadLetterCount();

    /** @return CONFLICT changes */
    long getConflictCount();

    /** @return when a change last reached the remote (ISO-8601), or null */
    String getLastSyncedAt();

    /** @return the newest error, or null */
    String getLastError();

    /** @return when the oldest PENDING or FAILED change was written (ISO-8601), or null */
    String getOldestPendingAt();

    /** @return seconds since {@link #getOldestPendingAt()}, or 0 */
    long getLagSeconds();

    /** @return false while the remote is known to be down */
    boolean isRemoteAvailable();

    /** Replays now, blocking. @return what the run did */
    String sync();

    /** @return how many DEAD changes were put back in the queue */
    int retryDeadLetters();

    /** @param changeId a DEAD, FAILED or CONFLICT change @return how many changes were made due (0 or 1) */
    int retry(long changeId);

    /** @param changeId a change that is not SYNCED @return how many changes were discarded (0 or 1) */
    int discard(long changeId);
}
