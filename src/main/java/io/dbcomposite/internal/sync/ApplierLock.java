package io.dbcomposite.internal.sync;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure one applier at a time works on a local store: an in-JVM lock for the job and {@code sync()},
 * and a lock on the remote keyed by the local store (PostgreSQL's session advisory lock, MySQL/MariaDB's
 * {@code GET_LOCK}), so two JVMs sharing one store never apply concurrently. Such a lock dies with its
 * connection, so a crashed JVM never leaves it held. Other remotes get the in-JVM lock only.
 *
 * <p>{@link #acquire(boolean)} either returns true with both locks held by the calling thread, or leaves
 * neither held, whatever ends it (another applier, an interrupt, an unreachable remote, any exception): a lock
 * left behind by a failed attempt would make every later {@code sync()} wait forever and the job skip every run.
 */
final class ApplierLock {

    /** Pause between two tries of the remote lock while another applier holds it. */
    private static final long RETRY_MILLIS = 100;

    private final OwnedLock inJvm = new OwnedLock();
    /** Commits of this JVM waiting in {@link #acquire(java.time.Duration)}; each holds the local write lock. */
    private final java.util.concurrent.atomic.AtomicInteger waitingCommits = new java.util.concurrent.atomic.AtomicInteger();
    private final DataSource remote;
    private final long key;
    private final String name;
    private final RemoteKind kind;
    /**
     * The connection whose session holds the remote lock: set by the thread holding {@link #inJvm}, taken back by
     * {@link #release()} or {@link #releaseHeldBy(Thread)} (another thread's, hence volatile).
     */
    private volatile Connection held;

    /**
     * A background run gave way to another applier of this JVM (it found the lock held, or yielded to a waiting commit):
     * whoever releases the lock next asks for the run again ({@link #whenRunMissed}), so the wake-up of the commits
     * behind it is not lost until the interval's run.
     */
    private final java.util.concurrent.atomic.AtomicBoolean runMissed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Runnable rerun;

    /** Which lock the remote database offers across JVMs. */
    enum RemoteKind {
        /** {@code pg_try_advisory_lock}. */
        POSTGRESQL,
        /** {@code GET_LOCK} of MySQL and MariaDB. */
        MYSQL,
        /** None: only the in-JVM lock. */
        OTHER
    }

    ApplierLock(DataSource remote, String localStore, RemoteKind kind) {
        this.remote = remote;
        this.key = 0x64626300_00000000L ^ localStore.hashCode();
        this.name = "dbcomposite-" + Integer.toHexString(localStore.hashCode());
        this.kind = kind;
    }

    /** @param run asks for another background run (the job's after-commit wake-up); null for none */
    void whenRunMissed(Runnable run) {
        this.rerun = run;
    }

    /**
     * A background run of this JVM could not take the lock, or gave it up for a waiting applier: the next release asks
     * for the run again, or this call does if the lock was given back meanwhile (only one of the two, once).
     */
    void runMissed() {
        if (rerun == null) {
            return;
        }
        runMissed.set(true);
        if (!inJvm.isLocked()) {
            askAgain();
        }
    }

    private void askAgain() {
        Runnable r = rerun;
        if (r != null && runMissed.compareAndSet(true, false)) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // a job shutting down: the interval's run (or the next start) picks the changes up
            }
        }
    }

    /**
     * Takes the in-JVM lock, then the remote lock. On every way out but {@code true}, the in-JVM lock is
     * released again and no remote connection stays open.
     *
     * @param wait whether to wait for another applier to finish
     * @return true if acquired; false only if {@code wait} is false and another applier holds either lock
     * @throws InterruptedException if the thread is interrupted while waiting (for either lock, or for a remote
     *     connection)
     * @throws RemoteUnavailable if the remote cannot be asked for its lock
     */
    boolean acquire(boolean wait) throws InterruptedException {
        if (inJvm.isHeldByCurrentThread()) {
            // this thread's open transaction took changes along and holds the lock: a run here would wait for ever for
            // the remote lock its own session holds (and for the rows its own remote transaction locked)
            throw new IllegalStateException("The sync cannot run on a thread whose open transaction has written to the"
                    + " remote with pending changes taken along: it holds the applier lock until it ends. Call sync(),"
                    + " retry(...), discard(...) or retryDeadLetters() after the transaction commits or rolls back");
        }
        if (wait) {
            inJvm.lockInterruptibly();
        } else if (!inJvm.tryLock()) {
            runMissed(); // another applier of this JVM: its release asks for this run again
            return false;
        }
        if (kind == RemoteKind.OTHER) {
            return true;
        }
        boolean acquired = false;
        try {
            acquired = acquireRemote(wait);
            return acquired;
        } finally {
            if (!acquired) {
                inJvm.unlock();
                askAgain(); // a run that found this one holding the in-JVM lock may go now
            }
        }
    }

    /**
     * Takes both locks within a time limit (a commit that takes pending changes along with its remote writes); the
     * engine gives way between two batches when it sees such a waiter ({@link #hasWaiters()}).
     *
     * @return true if acquired; false if another applier kept either lock for {@code timeout}
     * @throws RemoteUnavailable if the remote cannot be asked for its lock
     */
    boolean acquire(java.time.Duration timeout) throws InterruptedException {
        if (inJvm.lockIfHeldByCurrentThread()) {
            // a flush took changes along and the commit takes more: this thread already holds both locks
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waitingCommits.incrementAndGet();
        boolean taken;
        try {
            taken = inJvm.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            waitingCommits.decrementAndGet();
        }
        if (!taken) {
            return false;
        }
        if (kind == RemoteKind.OTHER) {
            return true;
        }
        boolean acquired = false;
        try {
            while (true) {
                acquired = acquireRemote(false);
                if (acquired || System.nanoTime() > deadline) {
                    return acquired;
                }
                TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
            }
        } finally {
            if (!acquired) {
                inJvm.unlock();
                askAgain();
            }
        }
    }

    /** @return true if a thread of this JVM waits for the lock (the engine then ends its run after the batch in flight) */
    boolean hasWaiters() {
        return inJvm.hasQueuedThreads();
    }

    /**
     * @return true if a commit of this JVM waits for the lock ({@link #acquire(java.time.Duration)}): it holds the
     *     local write lock, so the holder must not wait for a local write of its own before releasing
     */
    boolean hasWaitingCommit() {
        return waitingCommits.get() > 0;
    }

    /** Tries the remote lock until it is taken, or once if {@code wait} is false; called holding {@link #inJvm}. */
    private boolean acquireRemote(boolean wait) throws InterruptedException {
        while (true) {
            Connection c;
            try {
                c = remote.getConnection();
            } catch (SQLException e) {
                if (Thread.interrupted()) {
                    // a pool gives up waiting for a connection when interrupted (HikariCP says so with an
                    // SQLException and the interrupt flag set): that is an interrupted wait, not an outage
                    InterruptedException interrupted = new InterruptedException("interrupted while waiting for a remote connection");
                    interrupted.initCause(e);
                    throw interrupted;
                }
                throw new RemoteUnavailable(e);
            }
            boolean keep = false;
            try {
                if (tryRemoteLock(c)) {
                    held = c;
                    keep = true;
                    return true;
                }
            } catch (SQLException e) {
                throw new RemoteUnavailable(e);
            } finally {
                if (!keep) {
                    closeQuietly(c);
                }
            }
            if (!wait) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
        }
    }

    private boolean tryRemoteLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(kind == RemoteKind.POSTGRESQL
                ? "select pg_try_advisory_lock(?)" : "select get_lock(?, 0)")) {
            bindKey(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void bindKey(PreparedStatement ps) throws SQLException {
        if (kind == RemoteKind.POSTGRESQL) {
            ps.setLong(1, key);
        } else {
            ps.setString(1, name);
        }
    }

    /**
     * Gives back, from any thread, both locks a given thread holds (every hold of it): the thread ended without
     * releasing them (a JTA transaction ended by the transaction manager's reaper thread).
     *
     * @return true if that thread held the lock
     */
    boolean releaseHeldBy(Thread holder) {
        boolean released = releaseAllOf(holder);
        if (released) {
            askAgain();
        }
        return released;
    }

    private synchronized boolean releaseAllOf(Thread holder) {
        if (!inJvm.isHeldBy(holder)) {
            return false;
        }
        Connection c = held;
        held = null;
        try {
            unlockRemote(c);
        } finally {
            inJvm.unlockAllOf(holder);
        }
        return true;
    }

    /**
     * Releases both locks taken by {@link #acquire(boolean)}. The in-JVM lock is always released, and the remote
     * connection always closed; a failure to release the remote lock is swallowed (its usual cause, a lost
     * connection, ends the session that holds the lock).
     *
     * <p>Called by a thread that does not hold the lock, it does nothing and returns false instead of throwing:
     * such a call must never free the lock of the applier that does hold it, and an exception from the
     * {@code finally} block a release is called from would hide the exception that ended the run. It is atomic with
     * {@link #releaseHeldBy(Thread)}: a holder whose locks another thread gave back finds nothing to release.
     *
     * @return true if the calling thread held the lock and released it
     */
    boolean release() {
        boolean[] last = {false};
        boolean released = release(last);
        if (last[0]) {
            askAgain(); // outside the monitor: the job's wake-up may take the scheduler's own locks
        }
        return released;
    }

    /** @param last set to true if the lock is free now (not a nested hold given back) */
    private synchronized boolean release(boolean[] last) {
        if (!inJvm.isHeldByCurrentThread()) {
            return false;
        }
        if (inJvm.getHoldCount() > 1) {
            inJvm.unlock(); // a nested hold of the same thread: the remote lock stays with the outer one
            return true;
        }
        Connection c = held;
        held = null;
        try {
            unlockRemote(c); // nothing else may keep the in-JVM lock held
        } finally {
            inJvm.unlock();
        }
        last[0] = true;
        return true;
    }

    private void unlockRemote(Connection c) {
        if (c == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(kind == RemoteKind.POSTGRESQL
                ? "select pg_advisory_unlock(?)" : "select release_lock(?)")) {
            bindKey(ps);
            ps.execute();
        } catch (SQLException | RuntimeException ignored) {
            // a lost connection releases the lock by itself
        } finally {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already gone; nothing of it is needed any more
        }
    }

    /** The remote cannot be reached (to take the lock or to apply). */
    static final class RemoteUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteUnavailable(Throwable cause) {
            super(cause);
        }
    }
}
