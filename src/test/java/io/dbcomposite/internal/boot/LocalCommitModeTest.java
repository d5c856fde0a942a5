package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.conflict.Memo;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local commit begins sqlite-jdbc's follow-up transaction {@code DEFERRED} (it takes no lock) and gives the
 * connection its own mode back before the pool has it again: every transaction still begins {@code IMMEDIATE}, so
 * concurrent writers queue for the write lock and none fails with {@code SQLITE_BUSY}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalCommitModeTest {

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("commit_mode", null, Map.of(), Memo.class);
    }

    @AfterAll
    void stop() {
        unit.close();
    }

    private static SQLiteConfig.TransactionMode modeIn(CompositeEntityManager em) {
        return em.local().unwrap(Session.class).doReturningWork(c -> c.unwrap(SQLiteConnection.class).getConnectionConfig()
                .getTransactionMode());
    }

    @Test
    void every_transaction_after_a_commit_or_a_rollback_begins_immediate_again() {
        long before = SqliteFiles.count(unit.localUrl, "memo");
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            for (int i = 0; i < 5; i++) {
                em.getTransaction().begin();
                em.persist(new Memo("m" + i, i));
                assertThat(modeIn(em)).as("transaction %d of one entity manager", i).isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
                if (i % 2 == 0) {
                    em.getTransaction().commit();
                } else {
                    em.getTransaction().rollback();
                }
            }
        }
        // the connection the pool hands out next (the commits above gave theirs back)
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            assertThat(modeIn(em)).as("a new entity manager's transaction").isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
            em.getTransaction().rollback();
        }
        assertThat(SqliteFiles.count(unit.localUrl, "memo")).as("the three committed").isEqualTo(before + 3);
    }

    @Test
    void four_writers_committing_at_once_queue_for_the_lock_and_every_row_commits() throws Exception {
        long before = SqliteFiles.count(unit.localUrl, "memo");
        int writers = 4;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        {
                            Transactions.inTransaction(unit.emf.createEntityManager(), e -> {
                                // a read before the first write: begun DEFERRED, the read would take a snapshot that a
                                // concurrent commit makes stale, and the write would fail with SQLITE_BUSY_SNAPSHOT
                                e.createQuery("select count(m) from Memo m", Long.class).getSingleResult();
                                e.persist(new Memo("w" + writer + "-" + n, n));
                                e.persist(new Memo("w" + writer + "-" + n + "b", n));
                            });
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS); // a writer's SQLITE_BUSY would surface here
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(SqliteFiles.count(unit.localUrl, "memo")).isEqualTo(before + 2L * writers * each);
    }
}
