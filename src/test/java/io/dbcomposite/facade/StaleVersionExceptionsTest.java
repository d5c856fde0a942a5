package io.dbcomposite.facade;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.persistence.RollbackException;
import org.hibernate.Session;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 10, item 10: a stale {@code @Version} is reported as Jakarta Persistence says (3.2, 3.4.4 and 3.1.2), on every
 * routing: {@code flush()} throws {@link OptimisticLockException}, {@code commit()} throws {@link RollbackException}
 * caused by it. It is never a {@code RemoteWriteException} (the remote answered; it is not an outage), never queued,
 * and it leaves both databases and the sync log as they were before the transaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaleVersionExceptionsTest {

    private static final AtomicLong IDS = new AtomicLong(1);

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("StaleVersion", LocalNote.class, DualFailNote.class, DualQueueNote.class,
                RemoteFailNote.class, RemoteQueueNote.class, CachedNote.class);
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void a_stale_version_fails_the_commit_with_a_RollbackException_caused_by_OptimisticLockException(Class<? extends Note> type) {
        long id = saved(type);
        try (CompositeEntityManager em = emf.createEntityManager()) {
            Note stale = em.find(type, id); // read outside a transaction: SQLite has one writer at a time
            changedElsewhere(type, id);
            long mark = logMark();
            em.getTransaction().begin();
            stale.setText("lost");

            Throwable thrown = catchThrowable(() -> em.getTransaction().commit());

            assertThat(thrown).isInstanceOf(RollbackException.class).hasCauseInstanceOf(OptimisticLockException.class);
            assertThat(em.getTransaction().isActive()).isFalse();
            assertUnchanged(type, id, mark);
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void a_stale_version_fails_an_explicit_flush_with_OptimisticLockException_and_marks_the_transaction_for_rollback(
            Class<? extends Note> type) {
        long id = saved(type);
        try (CompositeEntityManager em = emf.createEntityManager()) {
            Note stale = em.find(type, id); // read outside a transaction: SQLite has one writer at a time
            changedElsewhere(type, id);
            long mark = logMark();
            em.getTransaction().begin();
            stale.setText("lost");

            assertThatThrownBy(em::flush).isInstanceOf(OptimisticLockException.class);

            assertThat(em.getTransaction().getRollbackOnly()).isTrue();
            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(RollbackException.class);
            assertUnchanged(type, id, mark);
        }
    }

    @Test
    void a_pessimistic_read_of_a_row_locked_on_the_remote_fails_with_a_lock_failure_not_as_an_outage() throws Exception {
        long id = saved(RemoteFailNote.class);
        try (Connection holder = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(unit.schema))) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.executeQuery("select * from RemoteFailNote where id = " + id + " for update").close();
            }

            Throwable thrown = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(),
                    em -> em.find(RemoteFailNote.class, id, LockModeType.PESSIMISTIC_WRITE,
                            java.util.Map.of("jakarta.persistence.lock.timeout", 0))));
            holder.rollback();

            assertThat(thrown).isInstanceOfAny(PessimisticLockException.class, LockTimeoutException.class);
            assertThat(emf.getSyncStatus().remoteAvailable()).as("a lock is no outage").isTrue();
        }
    }

    @Test
    void plain_hibernate_on_the_same_model_and_database_throws_the_same_exceptions() {
        try (EntityManagerFactory plain = new HibernatePersistenceConfiguration("plain")
                .managedClass(RemoteFailNote.class)
                .jdbcUrl(PostgresTestDatabase.urlFor(unit.schema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .createEntityManagerFactory()) {
            for (boolean flushFirst : new boolean[] {true, false}) {
                Throwable byPlain = staleWrite(plain, RemoteFailNote.class, flushFirst);
                Throwable byComposite = staleWrite(emf, RemoteFailNote.class, flushFirst);

                assertThat(byComposite).isExactlyInstanceOf(byPlain.getClass());
                if (byPlain.getCause() != null) {
                    assertThat(byComposite.getCause()).isExactlyInstanceOf(byPlain.getCause().getClass());
                }
            }
        }
    }

    /** @return what a stale write of a new row throws, from an explicit flush or from the commit */
    private Throwable staleWrite(EntityManagerFactory factory, Class<? extends Note> type, boolean flushFirst) {
        long id = saved(type);
        try (EntityManager em = factory.createEntityManager()) {
            Note stale = em.find(type, id);
            changedElsewhere(type, id);
            em.getTransaction().begin();
            stale.setText("lost");
            Throwable thrown = catchThrowable(flushFirst ? em::flush : () -> em.getTransaction().commit());
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            return thrown;
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {DualFailNote.class, CachedNote.class})
    void a_remote_row_at_another_version_than_the_local_copy_fails_the_commit_as_a_stale_version(Class<? extends Note> type) {
        long id = saved(type);
        // the remote row moved on without this unit (another unit, or an edit on the remote)
        PostgresTestDatabase.update(unit.schema, "update " + table(type) + " set text = 'elsewhere', version = version + 1"
                + " where id = ?", id);
        long mark = logMark();

        Throwable thrown = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(),
                em -> em.find(type, id).setText("lost")));

        assertThat(thrown).isInstanceOf(RollbackException.class).hasCauseInstanceOf(OptimisticLockException.class);
        assertThat(unit.local("select count(*) from " + table(type) + " where id = ? and text = 'first' and version = 0", id))
                .as("the local row, rolled back").isEqualTo(1);
        assertThat(unit.remote("select count(*) from " + table(type) + " where id = ? and text = 'elsewhere'", id))
                .as("the remote row, as it was").isEqualTo(1);
        assertThat(logMark()).as("no log row for the failed transaction").isEqualTo(mark);
    }

    @ParameterizedTest
    @ValueSource(classes = {DualFailNote.class, RemoteFailNote.class, RemoteQueueNote.class, CachedNote.class})
    void a_row_locked_on_the_remote_fails_the_commit_with_a_RollbackException_caused_by_a_pessimistic_lock_failure(
            Class<? extends Note> type) throws Exception {
        long id = saved(type);
        try (Connection holder = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(unit.schema))) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.executeQuery("select * from " + table(type) + " where id = " + id + " for update").close();
            }
            long mark = logMark();

            Throwable thrown = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(), em -> {
                // wait for the row lock a moment, not forever
                em.remote().unwrap(Session.class).doWork(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("set local lock_timeout = '200ms'");
                    }
                });
                em.find(type, id).setText("blocked");
            }));
            holder.rollback();

            assertThat(thrown).isInstanceOf(RollbackException.class);
            assertThat(thrown.getCause()).isInstanceOfAny(PessimisticLockException.class, LockTimeoutException.class);
            assertThat(unit.remote("select count(*) from " + table(type) + " where id = ? and text = 'first'", id))
                    .as("the remote row, as it was").isEqualTo(1);
            if (type != RemoteFailNote.class && type != RemoteQueueNote.class) {
                assertThat(unit.local("select count(*) from " + table(type) + " where id = ? and text = 'first'", id))
                        .as("the local row, as it was").isEqualTo(1);
            }
            assertThat(logMark()).as("nothing queued for the failed transaction").isEqualTo(mark);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private long saved(Class<? extends Note> type) {
        long id = IDS.getAndIncrement();
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(newNote(type, id, "first")));
        return id;
    }

    /** Another entity manager updates the row and commits: the version the caller holds is stale. */
    private void changedElsewhere(Class<? extends Note> type, long id) {
        Transactions.inTransaction(emf.createEntityManager(), em -> em.find(type, id).setText("second"));
    }

    private void assertUnchanged(Class<? extends Note> type, long id, long mark) {
        String table = table(type);
        if (type != RemoteFailNote.class && type != RemoteQueueNote.class) {
            assertThat(unit.local("select count(*) from " + table + " where id = ? and text = 'second' and version = 1", id))
                    .as("the local row holds the other transaction's change").isEqualTo(1);
        } else {
            assertThat(unit.local("select count(*) from " + table + " where id = ?", id)).as("no local row").isZero();
        }
        if (type != LocalNote.class) {
            assertThat(unit.remote("select count(*) from " + table + " where id = ? and text = 'second' and version = 1", id))
                    .as("the remote row holds the other transaction's change").isEqualTo(1);
        }
        assertThat(logMark()).as("no log row for the failed transaction").isEqualTo(mark);
    }

    private long logMark() {
        return unit.local("select coalesce(max(id), 0) from dbc_sync_log");
    }

    private static String table(Class<?> type) {
        return type.getSimpleName(); // the default table name
    }

    static Note newNote(Class<? extends Note> type, long id, String text) {
        try {
            return type.getConstructor(Long.class, String.class).newInstance(id, text);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
