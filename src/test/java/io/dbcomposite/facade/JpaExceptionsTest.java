package io.dbcomposite.facade;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.NoResultException;
import jakarta.persistence.NonUniqueResultException;
import jakarta.persistence.TransactionRequiredException;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Each side of the unit is a Jakarta Persistence unit, not a native Hibernate one: on every routing, what the spec says
 * an entity manager throws is what the composite throws, exactly as plain Hibernate's JPA entity manager on the same
 * model throws it (the reference here), and a refused operation leaves both databases and the sync log alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpaExceptionsTest {

    private static final AtomicLong IDS = new AtomicLong(1);
    private static final List<Class<? extends Note>> TYPES = List.of(LocalNote.class, DualFailNote.class,
            DualQueueNote.class, RemoteFailNote.class, RemoteQueueNote.class, CachedNote.class);

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;
    private String plainSchema;
    private EntityManagerFactory plain;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("JpaExceptions", TYPES.toArray(Class<?>[]::new));
        emf = unit.emf;
        plainSchema = PostgresTestDatabase.createSchema("JpaExceptionsPlain");
        plain = new HibernatePersistenceConfiguration("plain")
                .managedClasses(new ArrayList<>(TYPES))
                .jdbcUrl(PostgresTestDatabase.urlFor(plainSchema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory();
    }

    @AfterAll
    void stop() {
        try {
            if (plain != null) {
                plain.close();
            }
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
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void a_reference_to_a_missing_row_throws_EntityNotFoundException_when_used(Class<? extends Note> type) {
        Throwable thrown = sameAsPlain(type, (factory, id) -> {
            try (EntityManager em = factory.createEntityManager()) {
                return catchThrowable(() -> em.getReference(type, -id).getText());
            }
        });

        assertThat(thrown).isInstanceOf(EntityNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void refreshing_an_instance_whose_row_was_removed_throws_EntityNotFoundException(Class<? extends Note> type) {
        Throwable thrown = sameAsPlain(type, (factory, id) -> {
            saved(factory, type, id);
            try (EntityManager em = factory.createEntityManager()) {
                Note note = em.find(type, id);
                Transactions.inTransaction(factory.createEntityManager(), other -> other.remove(other.find(type, id)));
                return catchThrowable(() -> em.refresh(note));
            }
        });

        assertThat(thrown).isInstanceOf(EntityNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void removing_a_detached_instance_throws_IllegalArgumentException_and_leaves_the_row(Class<? extends Note> type) {
        long[] mark = new long[1];
        Throwable thrown = sameAsPlain(type, (factory, id) -> {
            saved(factory, type, id);
            Note detached;
            try (EntityManager em = factory.createEntityManager()) {
                detached = em.find(type, id);
            }
            mark[0] = logMark();
            return catchThrowable(() -> Transactions.inTransaction(factory.createEntityManager(), em -> em.remove(detached)));
        });

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        long id = IDS.get() - 1;
        if (type != RemoteFailNote.class && type != RemoteQueueNote.class) {
            assertThat(unit.local("select count(*) from " + table(type) + " where id = ?", id)).as("the local row").isEqualTo(1);
        }
        if (type != LocalNote.class) {
            assertThat(unit.remote("select count(*) from " + table(type) + " where id = ?", id)).as("the remote row").isEqualTo(1);
        }
        assertThat(logMark()).as("nothing logged").isEqualTo(mark[0]);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void a_flush_outside_a_transaction_throws_TransactionRequiredException(Class<? extends Note> type) {
        Throwable thrown = sameAsPlain(type, (factory, id) -> {
            try (EntityManager em = factory.createEntityManager()) {
                return catchThrowable(em::flush);
            }
        });

        assertThat(thrown).isInstanceOf(TransactionRequiredException.class);
    }

    @ParameterizedTest
    @ValueSource(classes = {LocalNote.class, DualFailNote.class, DualQueueNote.class, RemoteFailNote.class,
            RemoteQueueNote.class, CachedNote.class})
    void queries_throw_what_the_spec_says(Class<? extends Note> type) {
        String entity = type.getSimpleName();
        Throwable none = sameAsPlain(type, (factory, id) -> {
            try (EntityManager em = factory.createEntityManager()) {
                return catchThrowable(() -> em.createQuery("select n from " + entity + " n where n.id = :id", type)
                        .setParameter("id", -id).getSingleResult());
            }
        });
        Throwable two = sameAsPlain(type, (factory, id) -> {
            saved(factory, type, id);
            saved(factory, type, id + 100_000);
            try (EntityManager em = factory.createEntityManager()) {
                return catchThrowable(() -> em.createQuery("select n from " + entity + " n where n.id in (:a, :b)", type)
                        .setParameter("a", id).setParameter("b", id + 100_000).getSingleResult());
            }
        });
        Throwable badName = sameAsPlain(type, (factory, id) -> {
            try (EntityManager em = factory.createEntityManager()) {
                return catchThrowable(() -> em.createQuery("select n from " + entity + " n where n.id = :id", type)
                        .setParameter("nope", id));
            }
        });

        assertThat(none).isInstanceOf(NoResultException.class);
        assertThat(two).isInstanceOf(NonUniqueResultException.class);
        assertThat(badName).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Runs the scenario on plain Hibernate and on the composite, each with a fresh id, and checks both throw the same:
     * the same class, caused by the same class.
     *
     * @return what the composite threw
     */
    private Throwable sameAsPlain(Class<? extends Note> type, BiFunction<EntityManagerFactory, Long, Throwable> scenario) {
        Throwable byPlain = scenario.apply(plain, IDS.getAndIncrement());
        Throwable byComposite = scenario.apply(emf, IDS.getAndIncrement());

        assertThat(byPlain).as("plain Hibernate throws").isNotNull();
        assertThat(byComposite).as("the composite throws as plain Hibernate does (%s)", byPlain)
                .isExactlyInstanceOf(byPlain.getClass());
        if (byPlain.getCause() != null) {
            assertThat(byComposite.getCause()).as("caused as in plain Hibernate (%s)", byPlain.getCause())
                    .isExactlyInstanceOf(byPlain.getCause().getClass());
        }
        return byComposite;
    }

    private static void saved(EntityManagerFactory factory, Class<? extends Note> type, long id) {
        Transactions.inTransaction(factory.createEntityManager(), em -> em.persist(StaleVersionExceptionsTest.newNote(type, id, "first")));
    }

    private long logMark() {
        return unit.local("select coalesce(max(id), 0) from dbc_sync_log");
    }

    private static String table(Class<?> type) {
        return type.getSimpleName();
    }
}
