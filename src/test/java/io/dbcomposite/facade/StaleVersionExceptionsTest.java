package io.dbcomposite.facade;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.RollbackException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
