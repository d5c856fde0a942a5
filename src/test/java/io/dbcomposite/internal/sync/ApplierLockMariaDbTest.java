package io.dbcomposite.internal.sync;

import io.dbcomposite.testing.MariaDbTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The applier lock across JVMs on a MariaDB remote: {@code GET_LOCK} named after the local store. Two locks of one
 * store (as two JVMs sharing it hold them) exclude each other; the lock is named alike by both; and it dies with the
 * session that holds it, so a crashed applier never leaves it held.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApplierLockMariaDbTest {

    private final String store = "applier-lock-mariadb-" + UUID.randomUUID();

    private static DataSource remote() throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(MariaDbTestDatabase.url());
        ds.setUser(MariaDbTestDatabase.user());
        ds.setPassword(MariaDbTestDatabase.password());
        return ds;
    }

    private String lockName() {
        return "dbcomposite-" + Integer.toHexString(store.hashCode());
    }

    /** The connection id holding the store's lock on the server, or null if it is free. */
    private Long holder() {
        Object id = MariaDbTestDatabase.rows("test", "select is_used_lock(?) as holder", lockName()).get(0).get("holder");
        return id == null ? null : ((Number) id).longValue();
    }

    @Test
    void two_appliers_of_one_store_on_two_connections_exclude_each_other() throws Exception {
        ApplierLock first = new ApplierLock(remote(), store, ApplierLock.RemoteKind.MYSQL);
        ApplierLock second = new ApplierLock(remote(), store, ApplierLock.RemoteKind.MYSQL);

        assertThat(first.acquire(false)).isTrue();
        assertThat(holder()).as("the server's lock, held for the first applier").isNotNull();
        assertThat(second.acquire(false)).as("the second applier while the first holds the lock").isFalse();
        assertThat(second.acquire(Duration.ofMillis(300))).as("the second applier, waiting a while").isFalse();

        assertThat(first.release()).isTrue();
        assertThat(holder()).as("the server's lock after the release").isNull();
        assertThat(second.acquire(false)).isTrue();
        assertThat(first.acquire(false)).isFalse();
        assertThat(second.release()).isTrue();
    }

    @Test
    void the_lock_of_an_applier_whose_session_dies_is_free_at_once() throws Exception {
        ApplierLock crashed = new ApplierLock(remote(), store, ApplierLock.RemoteKind.MYSQL);
        ApplierLock survivor = new ApplierLock(remote(), store, ApplierLock.RemoteKind.MYSQL);
        assertThat(crashed.acquire(false)).isTrue();
        Long session = holder();
        assertThat(session).isNotNull();

        MariaDbTestDatabase.update("test", "kill connection " + session);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (holder() != null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(survivor.acquire(false)).as("the lock once its holder's session is gone").isTrue();
        assertThat(survivor.release()).isTrue();
        assertThat(crashed.release()).as("the dead holder's release frees its in-JVM lock without throwing").isTrue();
    }
}
