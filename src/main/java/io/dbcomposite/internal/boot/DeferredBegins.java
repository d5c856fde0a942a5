package io.dbcomposite.internal.boot;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnectionConfig;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The local connections whose next begin a commit deferred, each with the mode it gets back (see
 * {@link SqliteTransactionCoordinatorBuilder}).
 *
 * <p>Each deferral is an object of its own, and only that object, or the connection's release, gives the mode back. A
 * commit's own restore (its synchronization, its {@code finally}) can run after Hibernate has already given the
 * connection back to the pool and another thread has taken it and begun its own commit: a restore keyed by the
 * connection alone would then end the other thread's deferral between its record and its mode change, and that
 * connection would reach the pool {@code DEFERRED}. A stale deferral finds its own entry gone and does nothing.
 */
final class DeferredBegins {

    /** Keyed by identity: a connection's configuration is its own object. */
    private final Map<SQLiteConnectionConfig, Deferral> deferred = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Commits that deferred their follow-up begin so far (for tests and diagnostics). */
    private final java.util.concurrent.atomic.LongAdder deferrals = new java.util.concurrent.atomic.LongAdder();

    /**
     * Begins {@code config}'s next transaction {@code DEFERRED} until {@link #release} or the returned deferral's
     * {@code run()}, whichever comes first.
     *
     * @return what gives the mode back (a no-op once the connection was released), or null if the mode already is
     *         {@code DEFERRED}
     */
    Runnable defer(SQLiteConnectionConfig config) {
        SQLiteConfig.TransactionMode own = config.getTransactionMode();
        if (own == SQLiteConfig.TransactionMode.DEFERRED) {
            return null;
        }
        Deferral deferral = new Deferral(config, own);
        deferred.put(config, deferral);
        config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        deferrals.increment();
        return deferral;
    }

    /** Gives {@code config} its mode back if a commit deferred its next begin: the connection goes back to the pool. */
    void release(SQLiteConnectionConfig config) {
        Deferral deferral = deferred.remove(config);
        if (deferral != null) {
            config.setTransactionMode(deferral.own);
        }
    }

    /** @return true if no connection is deferred right now: a release has nothing to look up */
    boolean isEmpty() {
        return deferred.isEmpty();
    }

    /** @return how many commits deferred their follow-up begin so far */
    long deferrals() {
        return deferrals.sum();
    }

    /** How many connections are deferred right now (zero whenever no commit is in flight). */
    int size() {
        return deferred.size();
    }

    private final class Deferral implements Runnable {

        private final SQLiteConnectionConfig config;
        private final SQLiteConfig.TransactionMode own;

        Deferral(SQLiteConnectionConfig config, SQLiteConfig.TransactionMode own) {
            this.config = config;
            this.own = own;
        }

        @Override
        public void run() {
            // removed only if still this deferral's: the connection is still this commit's, not the pool's
            if (deferred.remove(config, this)) {
                config.setTransactionMode(own);
            }
        }
    }
}
