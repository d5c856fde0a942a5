package io.dbcomposite.internal.boot;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnectionConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bookkeeping behind a commit's deferred follow-up begin, with the order of events Hibernate gives it: the
 * connection goes back to the pool (and may be another thread's at once) before the commit's own restore runs.
 */
class DeferredBeginsTest {

    private static SQLiteConnectionConfig immediateConnection() {
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.newConnectionConfig();
    }

    @Test
    void the_release_gives_the_mode_back_and_the_commits_own_restore_after_it_does_nothing() {
        DeferredBegins begins = new DeferredBegins();
        SQLiteConnectionConfig connection = immediateConnection();

        Runnable first = begins.defer(connection);
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.DEFERRED);
        begins.release(connection);
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);

        // the pool hands the connection to another session, whose commit defers in turn
        Runnable second = begins.defer(connection);
        assertThat(second).isNotNull();
        // the first commit's restore, late: the connection is not its own any more
        first.run();
        assertThat(connection.getTransactionMode()).as("the second commit's deferral, untouched")
                .isEqualTo(SQLiteConfig.TransactionMode.DEFERRED);
        assertThat(begins.size()).as("still recorded, so that its release restores it").isEqualTo(1);
        begins.release(connection);
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
        assertThat(begins.size()).isZero();
    }

    @Test
    void a_commit_that_keeps_its_connection_restores_it_itself_once() {
        DeferredBegins begins = new DeferredBegins();
        SQLiteConnectionConfig connection = immediateConnection();
        Runnable restore = begins.defer(connection);
        restore.run();
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
        restore.run();
        begins.release(connection);
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
        assertThat(begins.size()).isZero();
    }

    @Test
    void a_connection_already_deferred_is_left_as_it_is() {
        DeferredBegins begins = new DeferredBegins();
        SQLiteConfig deferredPool = new SQLiteConfig();
        deferredPool.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        SQLiteConnectionConfig connection = deferredPool.newConnectionConfig();
        assertThat(begins.defer(connection)).isNull();
        begins.release(connection);
        assertThat(connection.getTransactionMode()).isEqualTo(SQLiteConfig.TransactionMode.DEFERRED);
    }

    /**
     * Two sessions passing two connections through a pool as fast as they can, each running its commit's restore after
     * the release: every connection the pool hands out is in its own mode.
     */
    @Test
    void connections_taken_from_the_pool_while_late_restores_run_are_always_in_their_own_mode() throws Exception {
        DeferredBegins begins = new DeferredBegins();
        BlockingQueue<SQLiteConnectionConfig> pool = new ArrayBlockingQueue<>(2);
        pool.add(immediateConnection());
        pool.add(immediateConnection());
        int sessions = 3;
        int commits = 200_000;
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                wrong.add(threads.submit(() -> {
                    int deferredAtBegin = 0;
                    for (int i = 0; i < commits; i++) {
                        SQLiteConnectionConfig connection = pool.take();
                        if (connection.getTransactionMode() != SQLiteConfig.TransactionMode.IMMEDIATE) {
                            deferredAtBegin++;
                        }
                        Runnable restore = begins.defer(connection);
                        begins.release(connection);
                        pool.put(connection);
                        if (restore != null) {
                            restore.run();
                        }
                    }
                    return deferredAtBegin;
                }));
            }
            for (Future<Integer> session : wrong) {
                assertThat(session.get(60, TimeUnit.SECONDS)).as("transactions begun on a DEFERRED connection").isZero();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(begins.size()).isZero();
    }
}
