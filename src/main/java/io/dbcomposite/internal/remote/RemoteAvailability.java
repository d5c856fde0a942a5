package io.dbcomposite.internal.remote;

import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.internal.config.Failures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the unit knows of the remote: up, or down since when. While it is down, every operation that needs the
 * remote fails at once with {@link RemoteUnavailableException}; a probe on a daemon thread of its own tries the remote
 * once per probe interval (waiting at most the connect timeout, so no caller ever does). The first success ends the
 * outage: the listener retires the pooled connections the outage broke and runs what waited for the remote (schema
 * management) before anyone else gets through. The start and the end of an outage are logged once each (WARN, then
 * INFO).
 */
public final class RemoteAvailability {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");

    /** Called when the remote answers again after an outage (or for the first time). */
    public interface Listener {
        /** The remote was found unreachable: the pooled connections are suspect. */
        void outage();

        /** The remote answered after being down: retire broken connections, run what waited for it. */
        void recovered();
    }

    private final String remoteName;
    private final Duration probeInterval;
    private final Clock clock;
    /** Set on the probe thread, whose connection attempts go through during an outage. */
    private static final ThreadLocal<Boolean> PROBING = ThreadLocal.withInitial(() -> false);
    private final String unitName;
    private java.util.concurrent.ScheduledExecutorService prober;
    private java.util.concurrent.Callable<Void> probe;
    private boolean closed;
    /** Set on the thread running the recovery work, whose own connections go through. */
    private static final ThreadLocal<Boolean> RECOVERING = ThreadLocal.withInitial(() -> false);
    private volatile Listener listener = new Listener() {
        @Override
        public void outage() {
        }

        @Override
        public void recovered() {
        }
    };
    private volatile Instant downSince;
    private volatile String lastCause;

    /**
     * @param unitName the unit's name (in the probe thread's name)
     * @param remoteName the remote without credentials, for messages
     * @param probeInterval the least time between two probes while the remote is down
     * @param clock the unit's clock (for {@code downSince})
     */
    public RemoteAvailability(String unitName, String remoteName, Duration probeInterval, Clock clock) {
        this.unitName = unitName;
        this.remoteName = remoteName;
        this.probeInterval = probeInterval;
        this.clock = clock;
    }

    private volatile io.dbcomposite.SyncListener syncListener;

    /** @param listener the application's listeners, told once when an outage begins and once when it ends */
    public void syncListener(io.dbcomposite.SyncListener listener) {
        this.syncListener = listener;
    }

    /** @param listener what runs when the remote answers again */
    public void listener(Listener listener) {
        this.listener = listener;
    }

    /** @return true unless the remote is known to be down */
    public boolean isAvailable() {
        return downSince == null;
    }

    /** @return when the current outage began, or null while the remote is up */
    public Instant downSince() {
        return downSince;
    }

    /** @param probe one attempt to reach the remote (a connection taken and given back), run by the probe thread */
    public void probe(java.util.concurrent.Callable<Void> probe) {
        this.probe = probe;
    }

    /**
     * Lets an operation through if the remote is up (or this is the probe, or the recovery work).
     *
     * @return true if this caller is the probe of a known outage
     * @throws RemoteUnavailableException at once while the remote is known down
     */
    public boolean enter() {
        if (downSince == null || RECOVERING.get()) {
            return false;
        }
        if (PROBING.get()) {
            return true;
        }
        throw unavailable("the remote database " + remoteName + " is unreachable (down since " + downSince + ": " + lastCause
                + "); no connection is tried until a probe finds it back", null);
    }

    private synchronized void startProbing() {
        if (closed || probe == null || prober != null) {
            return;
        }
        prober = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dbcomposite-" + unitName + "-remote-probe");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, probeInterval.toMillis());
        prober.scheduleWithFixedDelay(this::probeOnce, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void probeOnce() {
        if (downSince == null) {
            stopProbing();
            return;
        }
        PROBING.set(true);
        try {
            probe.call();
        } catch (Exception stillDown) {
            // counted by the guard; the next probe tries again
        } finally {
            PROBING.remove();
        }
        if (downSince == null) {
            stopProbing();
        }
    }

    private synchronized void stopProbing() {
        if (prober != null) {
            prober.shutdown();
            prober = null;
        }
    }

    /** Stops probing; the unit is closing. */
    public synchronized void close() {
        closed = true;
        stopProbing();
    }

    /** The remote answered. */
    public void succeeded(boolean wasProbe) {
        Instant ended = null;
        try {
            if (downSince == null || RECOVERING.get()) {
                return;
            }
            synchronized (this) {
                if (downSince == null) {
                    return;
                }
                Instant since = downSince;
                RECOVERING.set(true);
                try {
                    // still "down" for every other thread until what waited for the remote is done
                    listener.recovered();
                } finally {
                    RECOVERING.remove();
                }
                downSince = null;
                ended = since;
                LOG.log(System.Logger.Level.INFO, "db-composite: the remote database " + remoteName + " is reachable again"
                        + " (it was down since " + since + ")");
            }
        } finally {
            if (downSince == null) {
                stopProbing();
            }
        }
        io.dbcomposite.SyncListener told = syncListener;
        if (told != null && ended != null) {
            // outside the lock and once the remote counts as available: a listener may use the unit
            told.remoteAvailable(remoteName, Duration.between(ended, clock.instant()));
        }
    }

    /**
     * An operation failed. A connection failure starts (or continues) an outage; any other failure means the remote
     * answered.
     *
     * @return true if it was a connection failure
     */
    public boolean failed(Throwable failure, boolean wasProbe) {
        if (!ConnectionFailures.isConnectionFailure(failure)) {
            succeeded(false);
            return false;
        }
        if (ConnectionFailures.unavailable(failure) != null && ConnectionFailures.unavailable(failure).getCause() == null) {
            return true; // our own fail-fast refusal: the outage is already known
        }
        String began = null;
        synchronized (this) {
            lastCause = Failures.describe(failure);
            if (downSince == null) {
                downSince = clock.instant();
                listener.outage();
                startProbing();
                LOG.log(System.Logger.Level.WARNING, "db-composite: the remote database " + remoteName + " is unreachable ("
                        + lastCause + "); local work goes on, changes wait in the sync log, operations that need the"
                        + " remote fail at once until it answers again");
                began = lastCause;
            }
        }
        io.dbcomposite.SyncListener told = syncListener;
        if (told != null && began != null) {
            told.remoteUnavailable(remoteName, began); // outside the lock: other threads reporting failures do not wait
        }
        return true;
    }

    /**
     * Marks the remote down: it could not be reached at start, whatever the failure was (refused login, a database
     * starting up): until a probe gets a connection, the deferred work waits.
     */
    public void startDown(Throwable failure) {
        String began = null;
        synchronized (this) {
            if (downSince == null) {
                lastCause = Failures.describe(failure);
                downSince = clock.instant();
                LOG.log(System.Logger.Level.WARNING, "db-composite: the remote database " + remoteName + " cannot be"
                        + " reached at start (" + lastCause + "); the unit starts, local work goes on, and remote schema"
                        + " management waits until it answers");
                startProbing();
                began = lastCause;
            }
        }
        io.dbcomposite.SyncListener told = syncListener;
        if (told != null && began != null) {
            told.remoteUnavailable(remoteName, began);
        }
    }

    /** @return a RemoteUnavailableException for an operation that needs the remote */
    public RemoteUnavailableException unavailable(String message, Throwable cause) {
        return new RemoteUnavailableException(message, downSince, cause);
    }

    /** @return the remote's name without credentials */
    public String remoteName() {
        return remoteName;
    }
}
