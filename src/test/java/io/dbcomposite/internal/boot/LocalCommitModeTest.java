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

    /** @return how many commits of the unit's local side deferred their follow-up begin so far */
    private static long deferredCommits(io.dbcomposite.CompositeEntityManagerFactory emf) {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            return ((SqliteTransactionCoordinatorBuilder) em.local().unwrap(Session.class).getSessionFactory()
                    .unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class).getServiceRegistry()
                    .requireService(org.hibernate.resource.transaction.spi.TransactionCoordinatorBuilder.class)).deferredCommits();
        }
    }

    private static SQLiteConfig.TransactionMode modeIn(CompositeEntityManager em) {
        return em.local().unwrap(Session.class).doReturningWork(c -> c.unwrap(SQLiteConnection.class).getConnectionConfig()
                .getTransactionMode());
    }

    @Test
    void every_transaction_after_a_commit_or_a_rollback_begins_immediate_again() {
        long before = SqliteFiles.count(unit.localUrl, "memo");
        long deferredBefore = deferredCommits(unit.emf);
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
        assertThat(deferredCommits(unit.emf) - deferredBefore).as("each commit deferred its follow-up begin").isEqualTo(3);
    }

    private static final io.dbcomposite.testing.DatabasePair PAIR = io.dbcomposite.testing.DatabasePair.SQLITE_POSTGRESQL;

    /** @return a pool on a new SQLite file, set up as the library sets up its own (WAL, busy timeout, IMMEDIATE) */
    private static com.zaxxer.hikari.HikariConfig poolOnNewFile(String name) throws java.io.IOException {
        com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
        pool.setJdbcUrl(SqliteFiles.urlIn(java.nio.file.Files.createTempDirectory("dbcomposite-" + name), "local.db"));
        pool.addDataSourceProperty("journal_mode", "WAL");
        pool.addDataSourceProperty("busy_timeout", "5000");
        pool.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        return pool;
    }

    /** @return a unit of {@link Memo} on the application's own local data source and the remote {@code schema} */
    private static io.dbcomposite.CompositeEntityManagerFactory unitOn(javax.sql.DataSource local, String name, String schema,
                                                                     Map<String, String> properties) {
        io.dbcomposite.CompositePersistence.Builder builder = io.dbcomposite.CompositePersistence.builder()
                .name(name)
                .local(local)
                .remote(PAIR.remoteUrl(schema), PAIR.remoteUser(), PAIR.remotePassword())
                .entities(Memo.class)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create");
        properties.forEach(builder::property);
        return builder.build();
    }

    /** Asserts that some connection holds the file's write lock: a second one cannot begin IMMEDIATE without waiting. */
    private static void assertWriteLockHeld(String localUrl, String what) throws java.sql.SQLException {
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(localUrl);
             java.sql.Statement st = other.createStatement()) {
            st.execute("pragma busy_timeout = 0");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.execute("begin immediate"))
                    .as(what)
                    .isInstanceOf(java.sql.SQLException.class)
                    .hasMessageContaining("SQLITE_BUSY");
        }
    }

    /** A local data source that can be told to refuse connections, counting the requests. */
    static final class Refusing extends com.zaxxer.hikari.HikariDataSource {
        volatile boolean refuse;
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        Refusing(com.zaxxer.hikari.HikariConfig config) {
            super(config);
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            asked.incrementAndGet();
            if (refuse) {
                throw new java.sql.SQLTransientConnectionException("no connection available (test)");
            }
            return super.getConnection();
        }
    }

    /** A begin whose connection cannot be had fails after one request for it (a pool's wait is not paid twice). */
    @Test
    void a_begin_without_a_connection_asks_the_pool_once() throws Exception {
        String schema = PAIR.createRemote("commit_mode_refused");
        com.zaxxer.hikari.HikariConfig pool = poolOnNewFile("commit-mode-refused");
        String url = pool.getJdbcUrl();
        try (Refusing local = new Refusing(pool);
             io.dbcomposite.CompositeEntityManagerFactory emf = unitOn(local, "commit_mode_refused", schema, Map.of())) {
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Memo("before", 1)));
            local.refuse = true;
            local.asked.set(0);
            try (CompositeEntityManager em = emf.createEntityManager()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> em.getTransaction().begin())
                        .hasStackTraceContaining("no connection available (test)");
            }
            assertThat(local.asked.get()).as("requests for the begin's connection").isEqualTo(1);
            local.refuse = false;
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Memo("after", 2)));
            assertThat(SqliteFiles.count(url, "memo")).isEqualTo(2);
        } finally {
            PAIR.dropRemote(schema);
        }
    }

    /**
     * An entity manager that keeps its connection between transactions (as Spring's JPA vendor adapter sets it up): the
     * transaction after a commit holds the write lock from its begin, before any write (checked with the lock itself,
     * not only the connection's setting).
     */
    @Test
    void an_entity_manager_that_keeps_its_connection_begins_its_next_transaction_immediate() throws Exception {
        try (StandaloneUnit held = StandaloneUnit.start("commit_mode_hold", null,
                Map.of("dbcomposite.local.hibernate.connection.handling_mode", "DELAYED_ACQUISITION_AND_HOLD"), Memo.class);
             CompositeEntityManager em = held.emf.createEntityManager()) {
            for (int i = 0; i < 3; i++) {
                em.getTransaction().begin();
                em.createQuery("select count(m) from Memo m", Long.class).getSingleResult();
                assertWriteLockHeld(held.localUrl, "transaction " + i + " holds the write lock from its begin");
                em.persist(new Memo("held" + i, i));
                em.getTransaction().commit();
            }
            assertThat(deferredCommits(held.emf)).as("a kept connection never defers").isZero();
        }
    }

    /**
     * A data source whose connections start with auto-commit off, Hibernate told so
     * ({@code provider_disables_autocommit}): Hibernate never turns auto-commit back on, so the transaction sqlite-jdbc
     * begins in {@code commit()} is the next transaction itself. It must begin in the pool's mode: {@code IMMEDIATE},
     * holding the write lock from its begin (here: while the one pooled connection waits idle in the pool).
     */
    @Test
    void with_auto_commit_left_off_by_the_provider_the_next_transaction_still_begins_immediate() throws Exception {
        String schema = PAIR.createRemote("commit_mode_off");
        com.zaxxer.hikari.HikariConfig pool = poolOnNewFile("commit-mode-off");
        pool.setAutoCommit(false);
        pool.setMaximumPoolSize(1);
        String url = pool.getJdbcUrl();
        try (com.zaxxer.hikari.HikariDataSource local = new com.zaxxer.hikari.HikariDataSource(pool);
             io.dbcomposite.CompositeEntityManagerFactory emf = unitOn(local, "commit_mode_off", schema,
                     Map.of("dbcomposite.local.hibernate.connection.provider_disables_autocommit", "true"))) {
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Memo("off", 1)));
            // the pooled connection's next transaction, begun by the commit: IMMEDIATE holds the write lock now
            assertWriteLockHeld(url, "the pooled connection's next transaction holds the write lock from its begin");
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Memo("off again", 2)));
            assertThat(SqliteFiles.count(url, "memo")).isEqualTo(2);
            assertThat(deferredCommits(emf)).as("auto-commit left off: never deferred").isZero();
        } finally {
            PAIR.dropRemote(schema);
        }
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
