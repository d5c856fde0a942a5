package io.dbcomposite;

/** Where a {@link SyncLogEntity} row is in its life. */
public enum ChangeStatus {
    /** Waiting for its first replay. */
    PENDING,
    /** Reached the remote. */
    SYNCED,
    /** Failed at least once; retried at {@code nextAttemptAt}. */
    FAILED,
    /** Failed {@code dbcomposite.sync.max-attempts} times; waits for {@code retryDeadLetters()}. */
    DEAD,
    /**
     * Found the remote row in another state than the one it was based on ({@code onConflict=FAIL}): the remote row was
     * left as it is ({@link SyncLogEntity#getRemoteState()} holds it as found) and later changes of the row wait. Resolve
     * it with {@code retry(id)} (the remote takes the local state) or {@code discard(id)} (the local row takes the
     * remote's state).
     */
    CONFLICT,
    /** Never replayed: discarded by {@code discard(id)} or by {@code onConflict=REMOTE_WINS}. */
    DISCARDED
}
