package io.dbcomposite.mixed;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract's "Mixed routing and foreign keys": a write that reaches the remote in the caller's transaction takes
 * along the pending changes of the rows it refers to (same transaction or earlier ones), in log order, marked SYNCED
 * with it; a row held back by a DEAD change fails the commit naming that change. SQLite + PostgreSQL, with the
 * remote's foreign keys in place.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixedRoutingForeignKeyTest {

    private StandaloneUnit unit;
    private String schema;
    private String localUrl;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("MixedRouting", Author.class, Post.class, Comment.class);
        schema = unit.schema;
        localUrl = unit.localUrl;
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }


    @org.junit.jupiter.api.BeforeEach
    void emptyLog() {
        emf.sync();
    }

    private long remote(String sql, Object... params) {
        return unit.remote(sql, params);
    }

    private List<Map<String, Object>> log(String entity) {
        return SqliteFiles.rows(localUrl, "select * from dbc_sync_log where entity_name = ? order by id", entity);
    }

    @Test
    void a_new_author_and_their_first_dual_post_commit_in_one_transaction() {
        Author a = new Author("Ada");
        Post p = new Post("First", a);

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(a);
            em.persist(p);
        });

        assertThat(remote("select count(*) from post where id = ?", p.getId())).isEqualTo(1);
        assertThat(remote("select count(*) from author where id = ?", a.getId())).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id = ?", a.getId().toString()))
                .extracting(r -> r.get("status")).containsExactly("SYNCED");
    }

    @Test
    void a_dual_post_takes_along_the_pending_changes_of_an_author_written_earlier() {
        Author a = new Author("Grace");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));
        Transactions.inTransaction(emf.createEntityManager(), em -> em.find(Author.class, a.getId()).setName("Grace H."));
        assertThat(remote("select count(*) from author where id = ?", a.getId())).isZero();

        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Post("Second", em.find(Author.class, a.getId()))));

        assertThat(PostgresTestDatabase.rows(schema, "select name, version from author where id = ?", a.getId()))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("name")).isEqualTo("Grace H.");
                    assertThat(((Number) row.get("version")).intValue()).isEqualTo(1);
                });
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id = ? order by id", a.getId().toString()))
                .extracting(r -> r.get("status")).containsExactly("SYNCED", "SYNCED");
        assertThat(emf.sync().applied()).isZero();
    }

    @Test
    void sync_inside_a_transaction_that_took_changes_along_is_refused_instead_of_waiting_for_ever() {
        Author a = new Author("Barbara");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(new Post("Third", em.find(Author.class, a.getId())));
            em.flush(); // the post and the pending author go to the remote now; this thread holds the applier lock
            org.assertj.core.api.Assertions.assertThatThrownBy(emf::sync).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after the transaction commits");
        });

        assertThat(remote("select count(*) from author where id = ?", a.getId())).isEqualTo(1);
        assertThat(emf.sync().applied()).isZero(); // and after the commit it runs
    }

    @Test
    void a_dual_queue_comment_takes_along_its_new_author() {
        Author a = new Author("Barbara");
        Comment c = new Comment("hello", a);

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(a);
            em.persist(c);
        });

        assertThat(remote("select count(*) from comment where id = ?", c.getId())).isEqualTo(1);
        assertThat(remote("select count(*) from author where id = ?", a.getId())).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id in (?, ?)",
                a.getId().toString(), c.getId().toString())).extracting(r -> r.get("status")).containsOnly("SYNCED");
    }

    @Test
    void a_dual_queue_commit_sends_its_whole_local_transaction_and_marks_synced_only_what_reached_the_remote() {
        Author unrelated = new Author("Edsger");
        Author a = new Author("Tony");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));
        emf.sync();

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(unrelated);
            em.persist(new Comment("an unrelated author in the same transaction", em.find(Author.class, a.getId())));
        });

        // the local transaction reaches the remote whole (as the replay applies it), and its rows say so
        assertThat(remote("select count(*) from author where id = ?", unrelated.getId())).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id = ?", unrelated.getId().toString()))
                .extracting(r -> r.get("status")).containsExactly("SYNCED");
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_name = 'Comment' order by id desc limit 1"))
                .extracting(r -> r.get("status")).containsExactly("SYNCED");
        assertThat(emf.sync().applied()).isZero();
    }

    @Test
    void a_dual_queue_commit_whose_remote_step_fails_leaves_its_whole_transaction_pending() {
        Author a = new Author("Barbara L.");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));
        emf.sync();
        PostgresTestDatabase.update(schema, "alter table comment add constraint no_boom check (text <> 'boom')");
        try {
            Author other = new Author("Fran");
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                em.persist(other);
                em.persist(new Comment("boom", em.find(Author.class, a.getId())));
            });

            assertThat(remote("select count(*) from author where id = ?", other.getId())).isZero();
            assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id = ?", other.getId().toString()))
                    .extracting(r -> r.get("status")).containsExactly("PENDING");
        } finally {
            PostgresTestDatabase.update(schema, "alter table comment drop constraint no_boom");
        }
        assertThat(emf.sync().failed()).isZero();
    }

    @Test
    void a_take_along_waits_for_a_sync_run_in_flight_and_never_lets_it_write_an_older_state_over_a_newer_one() throws Exception {
        Author a = new Author("Radia");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (java.sql.Connection blocker = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(schema))) {
            // an uncommitted insert of the same id holds the engine's replay of the author in the middle of its batch
            blocker.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = blocker.prepareStatement("insert into author (id, name, version) values (?, 'blocker', 0)")) {
                ps.setObject(1, a.getId());
                ps.executeUpdate();
            }
            java.util.concurrent.Future<io.dbcomposite.SyncResult> run = threads.submit(emf::sync);
            await(() -> blockedSessions(blocker) == 1);

            // a newer state of the author, then a DUAL post that needs it: it must wait for the run, not race it
            Transactions.inTransaction(emf.createEntityManager(), em -> em.find(Author.class, a.getId()).setName("Radia P."));
            Post p = new Post("Spanning", a);
            Thread[] committer = new Thread[1];
            java.util.concurrent.Future<?> commit = threads.submit(() -> {
                committer[0] = Thread.currentThread();
                Transactions.inTransaction(emf.createEntityManager(),
                        em -> em.persist(new Post("Spanning", em.find(Author.class, a.getId()))));
            });
            await(() -> committer[0] != null && java.util.Arrays.stream(committer[0].getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("io.dbcomposite.internal.sync.ApplierLock")));
            assertThat(blockedSessions(blocker)).as("sessions waiting on the author row: only the run's").isEqualTo(1);

            blocker.rollback();
            assertThat(run.get(20, java.util.concurrent.TimeUnit.SECONDS).failed()).isZero();
            commit.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(PostgresTestDatabase.rows(schema, "select name, version from author where id = ?", a.getId()))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("name")).as("the newest state, not the run's older one").isEqualTo("Radia P.");
                    assertThat(((Number) row.get("version")).intValue()).isEqualTo(1);
                });
        assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log where entity_id = ? order by id", a.getId().toString()))
                .extracting(r -> r.get("status")).containsExactly("SYNCED", "SYNCED");
        assertThat(emf.sync().applied()).isZero();
    }

    private long blockedSessions(java.sql.Connection blocker) throws java.sql.SQLException {
        int pid;
        try (java.sql.Statement st = blocker.createStatement(); java.sql.ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        return ((Number) PostgresTestDatabase.rows(schema,
                "select count(*) as n from pg_stat_activity where ? = any(pg_blocking_pids(pid))", pid).get(0).get("n")).longValue();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check condition) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void a_row_sent_at_flush_and_deleted_later_in_the_transaction_leaves_the_remote_once_the_delete_replays() {
        Author a = new Author("Transient");
        Post p = new Post("Gone", a);

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(a);
            em.persist(p);
            em.flush();
            em.remove(p);
            em.remove(a);
        });

        assertThat(remote("select count(*) from post where id = ?", p.getId())).isZero();
        assertThat(SqliteFiles.rows(localUrl, "select operation, status from dbc_sync_log where entity_id = ? order by id",
                a.getId().toString())).extracting(r -> r.get("operation") + " " + r.get("status"))
                .as("the insert the flush sent, then the delete, each with its own row")
                .containsExactly("INSERT SYNCED", "DELETE PENDING");
        emf.sync();
        assertThat(remote("select count(*) from author where id = ?", a.getId())).isZero();
    }

    @Test
    void a_dual_post_referring_to_an_author_held_back_by_a_dead_change_fails_naming_that_change() {
        Author a = new Author("Held");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(a));
        SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'DEAD', attempts = 10, last_error = 'refused ten times' where entity_id = ?", a.getId().toString());
        long deadId = ((Number) SqliteFiles.rows(localUrl, "select id from dbc_sync_log where entity_id = ?",
                a.getId().toString()).get(0).get("id")).longValue();

        assertThatThrownBy(() -> Transactions.inTransaction(emf.createEntityManager(),
                em -> em.persist(new Post("Blocked", em.find(Author.class, a.getId())))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("#" + deadId)
                .hasMessageContaining("DEAD");
        assertThat(remote("select count(*) from author where id = ?", a.getId())).isZero();
        SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'SYNCED' where entity_id = ?", a.getId().toString());
    }
}
