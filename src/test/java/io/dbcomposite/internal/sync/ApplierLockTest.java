package io.dbcomposite.internal.sync;

import io.dbcomposite.testing.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The applier lock against the real PostgreSQL (its session advisory lock), with faults injected into the remote
 * data source: an attempt that does not end holding the lock leaves neither the in-JVM lock nor a remote
 * connection behind, whether it ends because another applier holds the lock, because the waiting thread is
 * interrupted, or because the remote throws. A lock left held would make every later {@code sync()} of the unit
 * wait forever and its background job skip every run.
 *
 * <p>Each failing attempt runs on a thread of its own and the lock is then taken on another: the in-JVM lock is
 * reentrant, so a lock leaked to the thread that checks it would go unnoticed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApplierLockTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A store name of this test alone, so no other test's applier shares its advisory lock key. */
    private final String store = "applier-lock-test-" + UUID.randomUUID();
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        executors.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void an_interrupt_while_waiting_for_another_applier_leaves_neither_lock_held_nor_a_connection_open() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        ApplierLock otherJvm = new ApplierLock(new FaultyRemote(), store, ApplierLock.RemoteKind.POSTGRESQL);
        assertThat(otherJvm.acquire(false)).isTrue();

        Waiter waiter = new Waiter();
        Future<Boolean> waiting = waiter.submit(() -> lock.acquire(true));
        awaitRetryPause(waiter.thread());
        waiter.thread().interrupt();

        assertThat(failureOf(waiting)).isInstanceOf(InterruptedException.class);
        assertThat(remote.openConnections()).as("remote connections left open by the interrupted wait").isZero();
        assertThat(otherJvm.release()).isTrue();
        assertThat(lock.acquire(false)).as("the lock, taken on another thread after the interrupted wait").isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void a_try_that_finds_the_lock_taken_by_another_applier_leaves_neither_lock_held_nor_a_connection_open() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        ApplierLock otherJvm = new ApplierLock(new FaultyRemote(), store, ApplierLock.RemoteKind.POSTGRESQL);
        assertThat(otherJvm.acquire(false)).isTrue();

        assertThat(new Waiter().submit(() -> lock.acquire(false)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isFalse();

        assertThat(remote.openConnections()).isZero();
        assertThat(otherJvm.release()).isTrue();
        assertThat(lock.acquire(false)).isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void a_runtime_exception_from_the_remote_data_source_leaves_the_in_jvm_lock_free() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        IllegalStateException poolClosed = new IllegalStateException("the pool is closed");
        remote.failGetConnection(() -> poolClosed);

        assertThat(failureOf(new Waiter().submit(() -> lock.acquire(true)))).isSameAs(poolClosed);

        remote.heal();
        assertThat(lock.acquire(false)).as("the lock, taken on another thread after the failed attempt").isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void a_runtime_exception_from_the_lock_query_closes_its_connection_and_leaves_the_in_jvm_lock_free() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        IllegalStateException driverBug = new IllegalStateException("the driver failed");
        remote.failPrepareStatement(() -> driverBug);

        assertThat(failureOf(new Waiter().submit(() -> lock.acquire(true)))).isSameAs(driverBug);

        assertThat(remote.openConnections()).isZero();
        remote.heal();
        assertThat(lock.acquire(false)).isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void an_sql_exception_from_the_lock_query_is_an_unreachable_remote_and_leaves_the_in_jvm_lock_free() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        SQLException linkDown = new SQLNonTransientConnectionException("An I/O error occurred", "08006");
        remote.failPrepareStatement(() -> linkDown);

        Throwable failure = failureOf(new Waiter().submit(() -> lock.acquire(true)));

        assertThat(failure).isInstanceOf(ApplierLock.RemoteUnavailable.class).hasCause(linkDown);
        assertThat(remote.openConnections()).isZero();
        remote.heal();
        assertThat(lock.acquire(false)).isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void an_interrupt_while_waiting_for_a_pooled_connection_is_an_interrupt_not_an_unreachable_remote() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        // what HikariCP does when the thread waiting for a connection is interrupted
        remote.failGetConnection(() -> {
            Thread.currentThread().interrupt();
            return new SQLException("Interrupted during connection acquisition");
        });
        AtomicBoolean flagAfterwards = new AtomicBoolean(true);

        Throwable failure = failureOf(new Waiter().submit(() -> {
            try {
                return lock.acquire(true);
            } finally {
                flagAfterwards.set(Thread.currentThread().isInterrupted());
            }
        }));

        assertThat(failure).isInstanceOf(InterruptedException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(flagAfterwards).as("the interrupt flag, cleared as by any InterruptedException").isFalse();
        remote.heal();
        assertThat(lock.acquire(false)).isTrue();
        assertThat(lock.release()).isTrue();
    }

    @Test
    void release_by_a_thread_that_does_not_hold_the_lock_does_nothing_and_does_not_throw() throws Exception {
        ApplierLock lock = new ApplierLock(new FaultyRemote(), store, ApplierLock.RemoteKind.POSTGRESQL);
        ApplierLock otherJvm = new ApplierLock(new FaultyRemote(), store, ApplierLock.RemoteKind.POSTGRESQL);
        Waiter holder = new Waiter();
        assertThat(holder.submit(() -> lock.acquire(false)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(lock.release()).as("release by a thread that never acquired").isFalse();

        assertThat(lock.acquire(false)).as("the in-JVM lock, still held by its holder").isFalse();
        assertThat(otherJvm.acquire(false)).as("the remote lock, still held by its holder").isFalse();
        assertThat(holder.submit(lock::release).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(otherJvm.acquire(false)).isTrue();
        assertThat(otherJvm.release()).isTrue();
    }

    @Test
    void release_frees_the_in_jvm_lock_and_closes_the_connection_even_when_the_remote_unlock_fails() throws Exception {
        FaultyRemote remote = new FaultyRemote();
        ApplierLock lock = new ApplierLock(remote, store, ApplierLock.RemoteKind.POSTGRESQL);
        ApplierLock otherJvm = new ApplierLock(new FaultyRemote(), store, ApplierLock.RemoteKind.POSTGRESQL);
        assertThat(lock.acquire(false)).isTrue();
        assertThat(remote.openConnections()).isEqualTo(1);
        remote.failPrepareStatement(() -> new IllegalStateException("the driver failed"));

        assertThat(lock.release()).isTrue();

        assertThat(remote.openConnections()).as("the lock's connection, closed (its session ends, and its lock)").isZero();
        remote.heal();
        assertThat(new Waiter().submit(() -> {
            boolean taken = lock.acquire(false);
            if (taken) {
                lock.release();
            }
            return taken;
        }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the in-JVM lock, taken on another thread").isTrue();
        assertThat(otherJvm.acquire(false)).as("the remote lock, taken by another applier").isTrue();
        assertThat(otherJvm.release()).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Waits until the thread pauses between two tries of the remote lock: it holds the in-JVM lock by then. */
    private static void awaitRetryPause(Thread thread) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!(thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(ApplierLock.class.getName())))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out waiting for " + thread.getName() + " to wait for the remote lock; it is "
                        + thread.getState() + " at " + Arrays.toString(thread.getStackTrace()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** What the task threw (it must throw within {@link #PATIENCE}). */
    private static Throwable failureOf(Future<?> task) throws Exception {
        try {
            Object result = task.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + result);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** One thread of its own, kept for every task submitted to it (a lock belongs to the thread that took it). */
    private final class Waiter {
        private final AtomicReference<Thread> thread = new AtomicReference<>();
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "applier-lock-test-" + executors.size());
            t.setDaemon(true);
            thread.set(t);
            return t;
        });

        Waiter() {
            executors.add(executor);
        }

        <T> Future<T> submit(Callable<T> task) {
            return executor.submit(task);
        }

        Thread thread() {
            return thread.get();
        }
    }

    /** A fault to throw: an SQLException or a RuntimeException. */
    @FunctionalInterface
    private interface Fault {
        Exception get();
    }

    /**
     * The real PostgreSQL, unpooled (closing a connection ends its session, and the advisory lock of that
     * session), counting the connections open and throwing injected faults from {@code getConnection} or from
     * {@code prepareStatement}.
     */
    private static final class FaultyRemote implements DataSource {
        private final AtomicInteger open = new AtomicInteger();
        private volatile Fault onGetConnection;
        private volatile Fault onPrepareStatement;

        void failGetConnection(Fault fault) {
            onGetConnection = fault;
        }

        void failPrepareStatement(Fault fault) {
            onPrepareStatement = fault;
        }

        void heal() {
            onGetConnection = null;
            onPrepareStatement = null;
        }

        int openConnections() {
            return open.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            throwIfSet(onGetConnection);
            Connection real = PostgresTestDatabase.connect(PostgresTestDatabase.url());
            open.incrementAndGet();
            AtomicBoolean closed = new AtomicBoolean();
            InvocationHandler handler = (proxy, method, args) -> invoke(real, closed, method, args);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
        }

        private Object invoke(Connection real, AtomicBoolean closed, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("close") && closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            } else if (method.getName().equals("prepareStatement")) {
                throwIfSet(onPrepareStatement);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static void throwIfSet(Fault fault) throws SQLException {
            if (fault == null) {
                return;
            }
            Exception e = fault.get();
            if (e instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) e;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // no logging
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // the driver's default
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
