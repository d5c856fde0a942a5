package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 6 after an interrupt: a {@code sync()} that waits for another applier (a second unit sharing the
 * local store and the remote, as another JVM would) and is interrupted gives up without keeping the unit's applier
 * lock, so once the other applier is done, the unit's next {@code sync()} runs and its background job replays again.
 *
 * <p>The other unit is held in the middle of its replay by a {@link RemoteRowBlocker}: it keeps the applier lock
 * for as long as the test needs, and lets go when the test rolls the blocking row back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InterruptedSyncTest extends SyncTestBase {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private CompositeEntityManagerFactory other;
    private final List<ExecutorService> executors = new ArrayList<>();

    @BeforeAll
    void otherUnitOnTheSameStores() {
        other = openUnit("InterruptedSyncTest_other", localUrl, schema, "none", b -> b);
    }

    @AfterAll
    void closeOtherUnit() {
        if (other != null) {
            other.close();
        }
    }

    @AfterEach
    void stopThreads() {
        // interrupts a sync() still waiting, so that a failed test leaves no thread behind to hang the unit's close
        executors.forEach(ExecutorService::shutdownNow);
        executors.clear();
    }

    @Test
    void a_sync_interrupted_while_another_unit_replays_leaves_the_next_sync_of_its_unit_working() throws Exception {
        assertThat(other.sync().remaining()).isZero();
        Product held = product("INT-HELD");
        inTransaction(em -> em.persist(held));

        // a unit of this test alone: should the interrupt leave its lock held, no other test hangs on it
        try (CompositeEntityManagerFactory unit = openUnit("InterruptedSyncTest_manual", localUrl, schema, "none", b -> b)) {
            try (RemoteRowBlocker blocker = new RemoteRowBlocker(schema, held.getId())) {
                Future<SyncResult> otherRun = new OwnThread().submit(other::sync);
                blocker.awaitWaiter(PATIENCE);

                interruptWhileWaitingForTheLock(unit);

                blocker.release();
                assertThat(within(otherRun, "the other unit's sync").applied()).isEqualTo(1);
            }
            Product later = product("INT-LATER");
            inTransaction(em -> em.persist(later));

            SyncResult next = within(new OwnThread().submit(unit::sync), "the next sync of the unit whose sync was interrupted");

            assertThat(next.applied()).isEqualTo(1);
            assertThat(next.remaining()).isZero();
            assertThat(remoteCount("product", "sku in (?, ?)", held.getSku(), later.getSku())).isEqualTo(2);
        }
        assertRemoteEqualsLocal();
    }

    @Test
    void a_sync_interrupted_while_another_unit_replays_leaves_the_background_job_of_its_unit_working() throws Exception {
        assertThat(other.sync().remaining()).isZero();
        Product held = product("INT-JOB-HELD");
        inTransaction(em -> em.persist(held));

        try (RemoteRowBlocker blocker = new RemoteRowBlocker(schema, held.getId())) {
            Future<SyncResult> otherRun = new OwnThread().submit(other::sync);
            blocker.awaitWaiter(PATIENCE);
            // opened only now, so that its job finds the applier lock taken and cannot be the replay held above
            try (CompositeEntityManagerFactory withJob = openUnit("InterruptedSyncTest_job", localUrl, schema, "none",
                    b -> b.syncEnabled(true).syncInterval(Duration.ofMillis(100)))) {
                interruptWhileWaitingForTheLock(withJob);

                blocker.release();
                assertThat(within(otherRun, "the other unit's sync").applied()).isEqualTo(1);
                Product later = product("INT-JOB-LATER");
                inTransaction(em -> em.persist(later));

                await("the job of the unit whose sync was interrupted to replay a new change", PATIENCE,
                        () -> withJob.getSyncStatus().pendingChanges() == 0);

                assertThat(remoteCount("product", "sku = ?", later.getSku())).isEqualTo(1);
            }
        }
        assertRemoteEqualsLocal();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static Product product(String prefix) {
        return new Product(unique(prefix), "Interrupted " + prefix, new BigDecimal("3.10"), Category.TOYS);
    }

    /**
     * Calls {@code unit.sync()} on a thread of its own while another applier holds the lock, interrupts that thread
     * once it is waiting for the lock (so the interrupt lands inside the wait, not before it), and asserts that the
     * call returned without replaying anything and kept the interrupt flag.
     */
    private void interruptWhileWaitingForTheLock(CompositeEntityManagerFactory unit) throws Exception {
        OwnThread waiter = new OwnThread();
        Future<boolean[]> run = waiter.submit(() -> {
            SyncResult r = unit.sync();
            return new boolean[] {r.applied() == 0, Thread.currentThread().isInterrupted()};
        });
        awaitWaitingForTheApplierLock(waiter.thread());
        waiter.thread().interrupt();

        boolean[] outcome = within(run, "the interrupted sync");
        assertThat(outcome[0]).as("the interrupted sync replayed nothing").isTrue();
        assertThat(outcome[1]).as("the interrupt flag, kept for the caller").isTrue();
    }

    /**
     * Waits until the thread pauses between two tries of the remote applier lock (the class is internal, so it is
     * named here): by then it holds its unit's in-JVM lock, the one an interrupt must not leave held.
     */
    private static void awaitWaitingForTheApplierLock(Thread thread) {
        String lockClass = "io.dbcomposite.internal.sync.ApplierLock";
        await("the sync to wait for the applier lock", PATIENCE, () -> thread.getState() == Thread.State.TIMED_WAITING
                && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().equals(lockClass)));
    }

    /** The task's result within {@link #PATIENCE}; a task still running then is interrupted and the test fails. */
    private static <T> T within(Future<T> task, String what) throws Exception {
        try {
            return task.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new AssertionError(what + " did not return within " + PATIENCE, e);
        }
    }

    /** A thread of its own for a task, kept to be interrupted. */
    private final class OwnThread {
        private final AtomicReference<Thread> thread = new AtomicReference<>();
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "interrupted-sync-test-" + executors.size());
            t.setDaemon(true);
            thread.set(t);
            return t;
        });

        OwnThread() {
            executors.add(executor);
        }

        <T> Future<T> submit(Callable<T> task) {
            return executor.submit(task);
        }

        Thread thread() {
            return thread.get();
        }
    }
}
