package io.dbcomposite.internal.sync;

import io.dbcomposite.OnConflict;
import io.dbcomposite.SyncListener;
import io.dbcomposite.internal.log.LoggedChange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The listeners of one unit, told in the order they were given; a listener that throws is logged and the others are
 * still told.
 */
public final class SyncListeners implements SyncListener {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");

    /** No listener. */
    public static final SyncListeners NONE = new SyncListeners(List.of());

    private final List<SyncListener> listeners;

    private SyncListeners(List<SyncListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** @return the listeners, told in this order */
    public static SyncListeners of(List<SyncListener> listeners) {
        return listeners.isEmpty() ? NONE : new SyncListeners(listeners);
    }

    /** @return true if no listener is given (the engine then builds no event) */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    static SyncListener.Change changeOf(LoggedChange c, int attempts) {
        return new SyncListener.Change(c.id(), c.txId(), c.entityName(), c.entityId(), c.operation(), attempts);
    }

    static List<SyncListener.Change> changesOf(List<LoggedChange> changes) {
        List<SyncListener.Change> out = new ArrayList<>(changes.size());
        changes.forEach(c -> out.add(changeOf(c, c.attempts())));
        return List.copyOf(out);
    }

    private void tell(String what, Consumer<SyncListener> call) {
        for (SyncListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                LOG.log(System.Logger.Level.WARNING, "db-composite: SyncListener " + l.getClass().getName() + " failed in "
                        + what + "; the sync goes on", e);
            }
        }
    }

    /** Tells the listeners that observe runs what a run did. */
    void ran(io.dbcomposite.SyncResult result) {
        for (SyncListener l : listeners) {
            if (l instanceof RunObserver observer) {
                try {
                    observer.ran(result);
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    LOG.log(System.Logger.Level.WARNING, "db-composite: " + l.getClass().getName() + " failed to record a sync run", e);
                }
            }
        }
    }

    @Override
    public void applied(List<Change> changes) {
        tell("applied", l -> l.applied(changes));
    }

    @Override
    public void failed(Change change, String error, Instant nextAttemptAt) {
        tell("failed", l -> l.failed(change, error, nextAttemptAt));
    }

    @Override
    public void dead(Change change, String error) {
        tell("dead", l -> l.dead(change, error));
    }

    @Override
    public void conflict(Change change, OnConflict resolution, String reason) {
        tell("conflict", l -> l.conflict(change, resolution, reason));
    }

    @Override
    public void remoteUnavailable(String remote, String cause) {
        tell("remoteUnavailable", l -> l.remoteUnavailable(remote, cause));
    }

    @Override
    public void remoteAvailable(String remote, Duration outage) {
        tell("remoteAvailable", l -> l.remoteAvailable(remote, outage));
    }
}
