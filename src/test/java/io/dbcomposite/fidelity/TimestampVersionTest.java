package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.fidelity.StampVersioned.Stamped;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.RollbackException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, item 15: a timestamp {@code @Version} ({@code Instant}, {@code LocalDateTime}, {@code Timestamp}) is the same
 * on both sides after every commit (DUAL with FAIL or QUEUE) and every sync (background), repeated updates succeed, and
 * a stale update fails as plain Hibernate's does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimestampVersionTest {

    private final AtomicLong ids = new AtomicLong();
    private StandaloneUnit unit;
    private TimeZone savedZone;

    /** A default zone that is not UTC, set before the unit starts, as an application's is. */
    @BeforeAll
    void start() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        unit = StandaloneUnit.start("TimestampVersion", Arrays.stream(StampVersioned.class.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(jakarta.persistence.Entity.class)).toArray(Class<?>[]::new));
    }

    @AfterAll
    void stop() {
        try {
            if (unit != null) {
                unit.close();
            }
        } finally {
            TimeZone.setDefault(savedZone);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"InstantDualFail", "InstantDualQueue", "InstantSynced",
            "LocalDateTimeDualFail", "LocalDateTimeDualQueue", "LocalDateTimeSynced",
            "TimestampDualFail", "TimestampDualQueue", "TimestampSynced"})
    void a_timestamp_version_is_the_same_on_both_sides_after_every_update_and_still_locks(String entity) {
        CompositeEntityManagerFactory emf = unit.emf;
        Class<? extends Stamped> type = typeOf(entity);
        long id = ids.incrementAndGet();
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(newStamped(type, id, "created")));
        assertSameVersion(type, entity, id);
        for (int i = 1; i <= 3; i++) {
            String label = "update " + i;
            Transactions.inTransaction(emf.createEntityManager(), em -> em.find(type, id).setLabel(label));
            assertSameVersion(type, entity, id);
            assertThat(remoteLabel(entity, id)).isEqualTo(label);
        }
        // the same instance updated twice in one persistence context: its in-memory version has the clock's full
        // precision, the databases hold microseconds
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            Stamped st = em.find(type, id);
            st.setLabel("twice, first");
            em.flush();
            st.setLabel("twice, second");
        });
        assertSameVersion(type, entity, id);
        assertThat(remoteLabel(entity, id)).isEqualTo("twice, second");

        // optimistic locking as plain Hibernate's: an update based on a stale version fails, and changes nothing
        // (read outside a transaction: SQLite's writers take the write lock when they begin)
        try (CompositeEntityManager stale = emf.createEntityManager()) {
            Stamped old = stale.find(type, id);
            Transactions.inTransaction(emf.createEntityManager(), em -> em.find(type, id).setLabel("winner"));
            stale.getTransaction().begin();
            old.setLabel("loser");
            assertThatThrownBy(() -> stale.getTransaction().commit())
                    .isInstanceOf(RollbackException.class)
                    .hasCauseInstanceOf(OptimisticLockException.class);
        }
        assertSameVersion(type, entity, id);
        assertThat(remoteLabel(entity, id)).isEqualTo("winner");
    }

    /** Where the entity is synced in the background, brings the remote up to date first. */
    private void assertSameVersion(Class<? extends Stamped> type, String table, long id) {
        if (table.endsWith("Synced")) {
            assertThat(unit.emf.sync().failed()).isZero();
        }
        String local = (String) SqliteFiles.rows(unit.localUrl, "select version from " + table + " where id = ?", id)
                .get(0).get("version");
        String pgColumn = type.getSimpleName().startsWith("Instant") ? "version at time zone 'UTC'" : "version";
        String remote = (String) PostgresTestDatabase.rows(unit.schema, "select to_char(" + pgColumn
                + ", 'YYYY-MM-DD HH24:MI:SS.US') as v from " + table + " where id = ?", id).get(0).get("v");
        // SQLite holds the version with PostgreSQL's precision, the microsecond (three digits where it has whole
        // milliseconds, six otherwise)
        assertThat(local).as("the local version of %s %d", table, id)
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.(\\d{3}|\\d{6})");
        assertThat(remote).as("the version of %s %d over JDBC", table, id).isEqualTo(local.length() == 23 ? local + "000" : local);
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            Object localVersion = em.local().find(type, id).getVersion();
            Object remoteVersion = em.remote().find(type, id).getVersion();
            assertThat(remoteVersion).as("the version of %s %d through Hibernate", table, id).isEqualTo(localVersion);
        }
    }

    private String remoteLabel(String table, long id) {
        if (table.endsWith("Synced")) {
            assertThat(unit.emf.sync().failed()).isZero();
        }
        return (String) PostgresTestDatabase.rows(unit.schema, "select label from " + table + " where id = ?", id)
                .get(0).get("label");
    }

    private static Class<? extends Stamped> typeOf(String entity) {
        for (Class<?> c : StampVersioned.class.getDeclaredClasses()) {
            if (c.getSimpleName().equals(entity)) {
                return c.asSubclass(Stamped.class);
            }
        }
        throw new IllegalArgumentException(entity);
    }

    private static Stamped newStamped(Class<? extends Stamped> type, long id, String label) {
        try {
            return type.getConstructor(Long.class, String.class).newInstance(id, label);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

}
