package io.dbcomposite;

/**
 * Decides, per conflict, what the replay does when a remote row is not in the state a change was based on, before the
 * entity's {@code onConflict} policy applies. Set with {@code CompositePersistence.builder().conflictResolver(...)}.
 *
 * <pre>{@code
 * .conflictResolver(c -> c.entityName().equals("Price") ? OnConflict.REMOTE_WINS : OnConflict.DEFAULT)
 * }</pre>
 *
 * <p>Called on the sync engine's thread, inside its remote transaction, possibly more than once for the same change
 * (a batch that fails is applied again change by change): keep it quick, without side effects, and decide from its
 * argument alone. An exception it throws fails the change's transaction like any other replay error (it is retried).
 */
@FunctionalInterface
public interface ConflictResolver {

    /**
     * @param conflict the change and the remote row as found
     * @return {@link OnConflict#FAIL}, {@link OnConflict#LOCAL_WINS} or {@link OnConflict#REMOTE_WINS}; {@code null} or
     *     {@link OnConflict#DEFAULT} leaves it to the entity's policy ({@link Conflict#policy()})
     */
    OnConflict resolve(Conflict conflict);

    /**
     * One conflict, as the replay found it. States are JSON by property name, as in {@link SyncLogEntity}.
     *
     * @param changeId the change's {@link SyncLogEntity#getId()} (0 for a change not logged yet)
     * @param entityName the JPA entity name
     * @param entityId the id in the log's string form
     * @param operation the change's operation
     * @param localState the state the change writes (null for a delete)
     * @param baseState the state the change was based on, or null if none was recorded (an insert expects no row)
     * @param remoteState the remote row as found, or null if there is none
     * @param policy the entity's resolved {@code onConflict} (never {@code DEFAULT}), what applies if this resolver
     *        leaves it
     */
    record Conflict(long changeId, String entityName, String entityId, ChangeOperation operation, String localState,
                    String baseState, String remoteState, OnConflict policy) {
    }
}
