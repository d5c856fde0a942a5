package io.dbcomposite.internal.apply;

import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;

/** The sync engine as the composite unit calls it (the unit knows nothing else of the engine). */
public interface SyncRunner {

    /**
     * @param wait true for {@code sync()} (wait for another applier, throw when the remote is unreachable); false for
     *        the background job
     * @return what the run did
     */
    SyncResult run(boolean wait);

    /** @return the status of the sync log */
    SyncStatus status();

    /** @return how many DEAD changes were put back in the queue */
    int retryDeadLetters();

    /** @return how many DEAD, FAILED or CONFLICT changes were made due now */
    int retry(long... ids);

    /** @return how many changes were discarded */
    int discard(long... ids);

    /** @return the log's side of commits that write to the remote */
    PendingChanges pendingChanges();

    /**
     * The unit's schema manager created, dropped or truncated the local tables, the log's among them: the log's own
     * objects (its floor, its indexes) start over.
     */
    void logTablesReset();

    /** The unit is closing: a running drain stops after the batch in flight. */
    void stop();

    /**
     * Waits for the runs in progress (a {@code sync()} or the job) to end, after {@link #stop()}.
     *
     * @return false if one was still running after {@code timeout}
     */
    boolean awaitIdle(java.time.Duration timeout);

    /** Ends the engine's threads. */
    void close();
}
