package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import io.dbcomposite.testing.PostgresTestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.RollbackException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 10's REMOTE routing (differential item 14): a lock that the remote transaction completes or has already written
 * reaches the remote in a transaction that writes nothing else, for a remote-home entity ({@code Grower},
 * {@code onRemoteFail=FAIL}) and for one held until commit ({@code Loan}, {@code QUEUE}), as in plain Hibernate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingLocksTest {

    private static final AtomicLong IDS = new AtomicLong(9000);

    private RemoteRoutingUnit unit;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingLocks");
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private long grower() {
        long n = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = new Grower("Clover " + n, "clover" + n + "@seeds.test", GrowerLevel.MASTER, LocalDate.parse("2023-01-15"));
            em.persist(g);
            em.getTransaction().commit();
            return g.getId();
        }
    }

    private long loan() {
        long grower = grower();
        long id = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Loan(id, em.find(Grower.class, grower), null, LocalDate.parse("2026-01-25"), new BigDecimal("2.50"),
                    LoanStatus.OPEN));
            em.getTransaction().commit();
        }
        return id;
    }

    private Object remoteVersion(String table, long id) {
        return unit.remoteValue("select version from " + table + " where id = ?", id);
    }

    @Test
    void an_optimistic_forced_increment_of_a_remote_home_entity_reaches_the_remote() {
        long id = grower();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.lock(em.find(Grower.class, id), LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            em.getTransaction().commit();
        }

        assertThat(remoteVersion("grower", id)).isEqualTo(1);
    }

    @Test
    void a_pessimistic_forced_increment_of_a_remote_home_entity_reaches_the_remote() {
        long id = grower();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.find(Grower.class, id, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            em.getTransaction().commit();
        }

        assertThat(remoteVersion("grower", id)).isEqualTo(1);
    }

    @Test
    void a_pessimistic_forced_increment_of_a_held_entity_reaches_the_remote() {
        long id = loan();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.lock(em.find(Loan.class, id), LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            em.getTransaction().commit();
        }

        assertThat(remoteVersion("loan", id)).isEqualTo(1);
    }

    @Test
    void an_optimistic_lock_of_a_remote_entity_changed_meanwhile_fails_the_commit() throws Exception {
        long id = grower();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = em.find(Grower.class, id);
            em.lock(g, LockModeType.OPTIMISTIC);
            // another unit's change (SQLite lets one local transaction write at a time, so not through this unit)
            try (Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(unit.schema));
                 Statement st = c.createStatement()) {
                st.executeUpdate("update grower set level = 'KEEPER', version = version + 1 where id = " + id);
            }

            Throwable thrown = catchThrowable(() -> em.getTransaction().commit());

            assertThat(thrown).isInstanceOf(RollbackException.class).hasCauseInstanceOf(OptimisticLockException.class);
        }
    }
}
