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
 * and a lock on the remote keyed by the local store (PostgreSQL's session advisory lock, MySQL/MariaDB's
 * {@code GET_LOCK}), so two JVMs sharing one store never apply concurrently. Such a lock dies with its
 * connection, so a crashed JVM never leaves it held. Other remotes get the in-JVM lock only.
 */
final class ApplierLock {

    private final ReentrantLock inJvm = new ReentrantLock();
    private final DataSource remote;
    private final long key;
    private final String name;
    private final RemoteKind kind;
    private Connection held;

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
        if (kind == RemoteKind.OTHER) {
            return true;
        }
        try {
            while (true) {
                Connection c = remote.getConnection();
                try (PreparedStatement ps = c.prepareStatement(kind == RemoteKind.POSTGRESQL
                        ? "select pg_try_advisory_lock(?)" : "select get_lock(?, 0)")) {
                    if (kind == RemoteKind.POSTGRESQL) {
                        ps.setLong(1, key);
                    } else {
                        ps.setString(1, name);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            held = c;
                            return true;
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    c.close();
                    throw e;
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
                try (PreparedStatement ps = held.prepareStatement(kind == RemoteKind.POSTGRESQL
                        ? "select pg_advisory_unlock(?)" : "select release_lock(?)")) {
                    if (kind == RemoteKind.POSTGRESQL) {
                        ps.setLong(1, key);
                    } else {
                        ps.setString(1, name);
                    }
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
