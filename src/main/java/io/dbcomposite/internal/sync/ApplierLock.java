package io.dbcomposite.internal.sync;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes sure one applier at a time works on a local store: an in-JVM lock for the job and {@code sync()},
 * and, when the remote is PostgreSQL, a session advisory lock there keyed by the local store, so two JVMs
 * sharing one store never apply concurrently. The advisory lock dies with its connection, so a crashed
 * JVM never leaves it held.
 */
final class ApplierLock {

    private final ReentrantLock inJvm = new ReentrantLock();
    private final DataSource remote;
    private final long key;
    private final boolean advisory;
    private Connection held;

    ApplierLock(DataSource remote, String localStore, boolean remoteIsPostgres) {
        this.remote = remote;
        this.key = 0x64626300_00000000L ^ localStore.hashCode();
        this.advisory = remoteIsPostgres;
    }

    /**
     * @param wait whether to wait for another applier to finish
     * @return true if acquired
     */
    boolean acquire(boolean wait) throws InterruptedException {
        if (wait) {
            inJvm.lockInterruptibly();
        } else if (!inJvm.tryLock()) {
            return false;
        }
        if (!advisory) {
            return true;
        }
        try {
            while (true) {
                Connection c = remote.getConnection();
                try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                    ps.setLong(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            held = c;
                            return true;
                        }
                    }
                }
                c.close();
                if (!wait) {
                    inJvm.unlock();
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (SQLException e) {
            inJvm.unlock();
            throw new RemoteUnavailable(e);
        }
    }

    void release() {
        try {
            if (held != null) {
                try (PreparedStatement ps = held.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    ps.execute();
                } catch (SQLException ignored) {
                    // a lost connection releases the lock by itself
                } finally {
                    try {
                        held.close();
                    } catch (SQLException ignored) {
                        // already gone
                    }
                    held = null;
                }
            }
        } finally {
            inJvm.unlock();
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
