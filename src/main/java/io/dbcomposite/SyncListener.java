package io.dbcomposite;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hears what the sync engine does: changes applied to the remote, failed, dead or in conflict, and the remote going away
 * and coming back. Give one (or several) with {@code CompositePersistence.builder().listener(...)}; every method has a
 * no-op default, so a listener implements what it needs.
 *
 * <p>Methods are called on the thread that did the work (the background job's, or the one calling
 * {@code emf.sync()}; for the remote's availability, the thread that found it), right after the event and before the
 * engine goes on: they must return quickly. The change events come while the sync holds the applier lock: a listener
 * must not call {@code sync()}, {@code retry}, {@code discard} or {@code retryDeadLetters} itself (hand that to another
 * thread). {@link #applied} is told as soon as the remote committed, before the changes are marked SYNCED locally: if
 * that mark is lost (a crash), the changes replay again without effect and are told again, so count on "at least
 * once". An exception thrown by a listener is logged at WARN (logger {@code io.dbcomposite.sync}) and changes nothing
 * for the engine.
 */
public interface SyncListener {

    /**
     * A change of the sync log, as a listener is told of it.
     *
     * @param id the log id (ascending in local commit order)
     * @param txId the local transaction it belongs to
     * @param entityName the entity's name
     * @param entityId the entity's id in string form
     * @param operation what the change does
     * @param attempts failed attempts so far, this one included for {@link #failed} and {@link #dead}
     */
    record Change(long id, String txId, String entityName, String entityId, ChangeOperation operation, int attempts) {
    }

    /**
     * Changes reached the remote in one remote transaction (a batch of the background sync or of {@code sync()}).
     *
     * @param changes the changes, in log order
     */
    default void applied(List<Change> changes) {
    }

    /**
     * A change failed and will be tried again.
     *
     * @param change the change
     * @param error why, without credentials
     * @param nextAttemptAt when it is tried again
     */
    default void failed(Change change, String error, Instant nextAttemptAt) {
    }

    /**
     * A change failed for the last allowed time and is DEAD: it waits for {@code emf.retry(id)} or
     * {@code emf.retryDeadLetters()}, and later changes of its row wait with it.
     *
     * @param change the change
     * @param error why, without credentials
     */
    default void dead(Change change, String error) {
    }

    /**
     * A replayed change found the remote row in another state than the one it was based on (see the README,
     * "Conflicts").
     *
     * @param change the change
     * @param resolution what the replay did: {@link OnConflict#FAIL} (the change is CONFLICT and waits for
     *        {@code emf.retry} or {@code emf.discard}), {@link OnConflict#LOCAL_WINS} (the remote took the local state)
     *        or {@link OnConflict#REMOTE_WINS} (the local row takes the remote's)
     * @param reason what differs
     */
    default void conflict(Change change, OnConflict resolution, String reason) {
    }

    /**
     * The remote could not be reached: an outage begins (told once per outage).
     *
     * @param remote the remote database, without credentials
     * @param cause why, without credentials
     */
    default void remoteUnavailable(String remote, String cause) {
    }

    /**
     * The remote answers again: the outage is over (told once per outage).
     *
     * @param remote the remote database, without credentials
     * @param outage how long it was unreachable
     */
    default void remoteAvailable(String remote, Duration outage) {
    }
}
