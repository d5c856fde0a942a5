package io.dbcomposite.facade;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A write the remote refuses for a constraint is reported as plain Hibernate reports it, on every routing that writes
 * the remote in the caller's transaction: {@code flush()} throws Hibernate's {@code ConstraintViolationException} (a
 * {@link PersistenceException}), {@code commit()} throws {@link RollbackException} caused by it. It is never a
 * {@code RemoteWriteException} (the remote answered: no outage), never queued (a {@code QUEUE} routing would replay it
 * for ever), nothing of the transaction is written anywhere, and the remote is not marked down. Plain Hibernate on the
 * same model on PostgreSQL is the reference, also where the local side refuses (LOCAL): the local SQLite side reports a
 * constraint as the remote does (plain Hibernate on SQLite would throw a {@code GenericJDBCException}).
 * <p>
 * On the DUAL and write-through routings the conflicting row is on the remote only (the local side, as strict as the
 * remote, refuses what it can see itself). {@code DUAL+QUEUE} commits locally first by contract, so the refusal reaches
 * the sync log instead (its own test); the flush of {@code write=REMOTE+QUEUE} sends nothing (its writes are held until
 * commit).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConstraintViolationExceptionsTest {

    private static final AtomicLong IDS = new AtomicLong(1);
    private static final List<Class<? extends LabelBase>> TYPES = List.of(LocalLabel.class, DualFailLabel.class,
            DualQueueLabel.class, RemoteFailLabel.class, RemoteQueueLabel.class, CachedLabel.class);

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;
    private String plainSchema;
    private EntityManagerFactory plainPostgres;

    @BeforeAll
    void start() throws IOException {
        unit = StandaloneUnit.start("ConstraintViolations", TYPES.toArray(Class<?>[]::new));
        emf = unit.emf;
        plainSchema = PostgresTestDatabase.createSchema("ConstraintViolationsPlain");
        plainPostgres = new HibernatePersistenceConfiguration("plain-postgres")
                .managedClasses(List.copyOf(TYPES))
                .jdbcUrl(PostgresTestDatabase.urlFor(plainSchema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory();
    }

    @AfterAll
    void stop() {
        try {
            closeAll(plainPostgres);
            if (plainSchema != null) {
                PostgresTestDatabase.dropSchema(plainSchema);
            }
        } finally {
            if (unit != null) {
                unit.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalLabel.class, DualFailLabel.class, RemoteFailLabel.class, CachedLabel.class})
    void a_unique_violation_fails_an_explicit_flush_as_in_plain_Hibernate_and_marks_the_transaction_for_rollback(
            Class<? extends LabelBase> type) {
        long id = IDS.getAndIncrement();
        String taken = taken(type, id);
        long mark = logMark();

        Throwable byComposite = outcome(emf, em -> {
            em.persist(newLabel(type, id, taken));
            Throwable flushed = catchThrowable(em::flush);
            assertThat(em.getTransaction().getRollbackOnly()).as("marked for rollback").isTrue();
            throw (RuntimeException) flushed;
        });
        long plainId = IDS.getAndIncrement();
        EntityManagerFactory plain = plainFor(type);
        Transactions.inTransaction(plain.createEntityManager(), em -> em.persist(newLabel(type, -plainId, taken)));
        Throwable byPlain = outcome(plain, em -> {
            em.persist(newLabel(type, plainId, taken));
            em.flush();
        });

        assertSameAs(byPlain, byComposite);
        assertThat(byComposite).isInstanceOf(PersistenceException.class);
        assertNothingWritten(type, id, mark);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalLabel.class, DualFailLabel.class, RemoteFailLabel.class, RemoteQueueLabel.class,
            CachedLabel.class})
    void a_unique_violation_fails_the_commit_with_a_RollbackException_caused_by_it_and_nothing_is_queued(
            Class<? extends LabelBase> type) {
        long id = IDS.getAndIncrement();
        String taken = taken(type, id);
        long mark = logMark();

        Throwable byComposite = outcome(emf, em -> em.persist(newLabel(type, id, taken)));
        long plainId = IDS.getAndIncrement();
        EntityManagerFactory plain = plainFor(type);
        Transactions.inTransaction(plain.createEntityManager(), em -> em.persist(newLabel(type, -plainId, taken)));
        Throwable byPlain = outcome(plain, em -> em.persist(newLabel(type, plainId, taken)));

        assertSameAs(byPlain, byComposite);
        assertThat(byComposite).isInstanceOf(RollbackException.class);
        assertNothingWritten(type, id, mark);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalLabel.class, DualFailLabel.class, RemoteFailLabel.class, RemoteQueueLabel.class,
            CachedLabel.class})
    void an_update_to_a_taken_value_fails_the_commit_and_leaves_the_row_as_it_was(Class<? extends LabelBase> type) {
        long id = IDS.getAndIncrement();
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(newLabel(type, id, "own-" + id)));
        String taken = taken(type, id);
        long mark = logMark();

        Throwable byComposite = outcome(emf, em -> em.find(type, id).setLabel(taken));
        long plainId = IDS.getAndIncrement();
        EntityManagerFactory plain = plainFor(type);
        Transactions.inTransaction(plain.createEntityManager(), em -> {
            em.persist(newLabel(type, -plainId, taken));
            em.persist(newLabel(type, plainId, "own-" + plainId));
        });
        Throwable byPlain = outcome(plain, em -> em.find(type, plainId).setLabel(taken));

        assertSameAs(byPlain, byComposite);
        assertThat(byComposite).isInstanceOf(RollbackException.class);
        String table = type.getSimpleName();
        if (writesLocal(type)) {
            assertThat(unit.local("select count(*) from " + table + " where id = ? and label = ?", id, "own-" + id))
                    .as("the local row, as it was").isEqualTo(1);
        }
        if (type != LocalLabel.class) {
            assertThat(unit.remote("select count(*) from " + table + " where id = ? and label = ?", id, "own-" + id))
                    .as("the remote row, as it was").isEqualTo(1);
        }
        assertThat(logMark()).as("nothing logged or queued").isEqualTo(mark);
        assertThat(emf.getSyncStatus().remoteAvailable()).as("a refusal is no outage").isTrue();
    }

    /**
     * DUAL+QUEUE commits locally first (contract, routing table): the remote's refusal comes after the caller's commit
     * succeeded, so the change stays in the sync log, not SYNCED, for the replay to report (FAILED, then DEAD, with the
     * constraint in {@code lastError}). The remote is not marked down.
     */
    @org.junit.jupiter.api.Test
    void on_DUAL_QUEUE_a_remote_only_violation_leaves_the_committed_change_in_the_sync_log_not_synced() {
        long id = IDS.getAndIncrement();
        PostgresTestDatabase.update(unit.schema, "insert into DualQueueLabel (id, label, version) values (?, ?, 0)",
                -id, "taken-" + id);
        long mark = logMark();

        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new DualQueueLabel(id, "taken-" + id)));

        assertThat(unit.local("select count(*) from DualQueueLabel where id = ?", id)).as("the local row").isEqualTo(1);
        assertThat(unit.remote("select count(*) from DualQueueLabel where id = ?", id)).as("no remote row").isZero();
        assertThat(unit.local("select count(*) from dbc_sync_log where id > ? and status <> 'SYNCED'", mark))
                .as("the change, waiting in the log").isEqualTo(1);
        assertThat(emf.getSyncStatus().remoteAvailable()).as("a refusal is no outage").isTrue();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Puts a row holding a new label where the entity's writes will meet it: through the composite where the side that
     * refuses first sees it anyway, on the remote only for DUAL and write-through (so the remote is the one to refuse).
     *
     * @return the label, now taken
     */
    private String taken(Class<? extends LabelBase> type, long id) {
        String label = "taken-" + id;
        if (type == DualFailLabel.class || type == CachedLabel.class) {
            PostgresTestDatabase.update(unit.schema, "insert into " + type.getSimpleName()
                    + " (id, label, version) values (?, ?, 0)", -id, label);
        } else {
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(newLabel(type, -id, label)));
        }
        return label;
    }

    /** @return what a transaction doing {@code work} throws (from the work or from its commit); it is rolled back */
    private static Throwable outcome(EntityManagerFactory factory, Consumer<EntityManager> work) {
        try (EntityManager em = factory.createEntityManager()) {
            em.getTransaction().begin();
            Throwable thrown = catchThrowable(() -> {
                work.accept(em);
                em.getTransaction().commit();
            });
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            assertThat(thrown).as("the transaction fails").isNotNull();
            return thrown;
        }
    }

    private static void assertSameAs(Throwable byPlain, Throwable byComposite) {
        assertThat(byComposite).as("thrown as plain Hibernate throws it (%s)", byPlain).isExactlyInstanceOf(byPlain.getClass());
        // the driver's own exception below Hibernate's differs between the databases
        if (byPlain.getCause() != null && !(byPlain.getCause() instanceof java.sql.SQLException)) {
            assertThat(byComposite.getCause()).as("caused as in plain Hibernate (%s)", byPlain.getCause())
                    .isExactlyInstanceOf(byPlain.getCause().getClass());
        }
    }

    private void assertNothingWritten(Class<? extends LabelBase> type, long id, long mark) {
        String table = type.getSimpleName();
        assertThat(unit.local("select count(*) from " + table + " where id = ?", id)).as("no local row").isZero();
        assertThat(unit.remote("select count(*) from " + table + " where id = ?", id)).as("no remote row").isZero();
        assertThat(logMark()).as("nothing logged or queued").isEqualTo(mark);
        assertThat(emf.getSyncStatus().remoteAvailable()).as("a refusal is no outage").isTrue();
    }

    private EntityManagerFactory plainFor(Class<? extends LabelBase> type) {
        return plainPostgres;
    }

    private static boolean writesLocal(Class<? extends LabelBase> type) {
        return type != RemoteFailLabel.class && type != RemoteQueueLabel.class;
    }

    private long logMark() {
        return unit.local("select coalesce(max(id), 0) from dbc_sync_log");
    }

    private static LabelBase newLabel(Class<? extends LabelBase> type, long id, String label) {
        try {
            return type.getConstructor(Long.class, String.class).newInstance(id, label);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeAll(EntityManagerFactory... factories) {
        for (EntityManagerFactory f : factories) {
            if (f != null) {
                f.close();
            }
        }
    }
}
