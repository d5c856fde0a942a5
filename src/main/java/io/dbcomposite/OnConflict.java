package io.dbcomposite;

/**
 * What a replay does when the remote row is not in the state the change was based on: none for an insert, for an
 * update or a delete the state this unit last replayed or read for it (the {@code @Version} value where the entity has
 * one, the row's values where it has none). Such a row was changed on the remote directly, or by another unit (two
 * local stores that both generated IDENTITY id 1).
 *
 * <p>{@link #DEFAULT} means "not set here": the next level of configuration decides.
 */
public enum OnConflict {
    /** Not set at this level; the next level of configuration decides. */
    DEFAULT,
    /**
     * The change becomes {@link ChangeStatus#CONFLICT} with {@link SyncLogEntity#getRemoteState()} recorded; the remote
     * row is left as it is and later changes of that row wait (the built-in default). Resolve it with
     * {@link CompositeEntityManagerFactory#retry(long...)} (overwrites the remote) or
     * {@link CompositeEntityManagerFactory#discard(long...)} (the local row takes the remote's state).
     */
    FAIL,
    /** The remote row takes the local state (and version). */
    LOCAL_WINS,
    /**
     * The local row takes the remote's state (no new change is captured for it) and the change becomes
     * {@link ChangeStatus#DISCARDED}.
     */
    REMOTE_WINS
}
