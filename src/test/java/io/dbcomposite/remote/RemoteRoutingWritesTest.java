package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 10's REMOTE routing (differential items 6, 8, 9): writes of entities read and written REMOTE behave as plain
 * Hibernate's on the same PostgreSQL, for those the remote session manages ({@code onRemoteFail=FAIL}) and for those
 * the local session holds until commit ({@code QUEUE}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingWritesTest {

    private static final AtomicLong IDS = new AtomicLong(5000);

    private RemoteRoutingUnit unit;
    private long grower;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingWrites");
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = new Grower("Ada Moss", "ada@seeds.test", GrowerLevel.NOVICE, LocalDate.parse("2026-01-15"));
            em.persist(g);
            em.getTransaction().commit();
            grower = g.getId();
        }
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private long loan() {
        long id = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Loan(id, em.find(Grower.class, grower), null, LocalDate.parse("2026-01-25"), new BigDecimal("7.25"),
                    LoanStatus.OPEN));
            em.getTransaction().commit();
        }
        return id;
    }

    @Test
    void a_stale_update_of_a_remote_home_entity_fails_the_commit_and_writes_nothing() {
        try (EntityManager em = unit.emf.createEntityManager()) {
            Grower stale = em.find(Grower.class, grower); // read outside a transaction
            try (EntityManager other = unit.emf.createEntityManager()) {
                other.getTransaction().begin();
                other.find(Grower.class, grower).setEmail("ada.moss@seeds.test");
                other.getTransaction().commit();
            }
            em.getTransaction().begin();
            stale.setName("Ada the stale");

            Throwable thrown = catchThrowable(() -> em.getTransaction().commit());

            assertThat(thrown).isInstanceOf(RollbackException.class).hasCauseInstanceOf(OptimisticLockException.class);
            assertThat(unit.remoteValue("select name from grower where id = ?", grower)).isEqualTo("Ada Moss");
        }
    }

    @Test
    void a_held_entity_changed_then_flushed_explicitly_commits_its_change_once() {
        long id = loan();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.find(Loan.class, id).setFee(new BigDecimal("8.10"));
            em.flush();
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select fee, version from loan where id = ?", id).get(0))
                .containsEntry("fee", new BigDecimal("8.10")).containsEntry("version", 1);
    }

    @Test
    void a_held_entity_changed_in_two_flushes_reaches_the_remote_with_both_versions() {
        long id = loan();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Loan l = em.find(Loan.class, id);
            l.setFee(new BigDecimal("8.10"));
            em.flush();
            l.setStatus(LoanStatus.OVERDUE);
            em.getTransaction().commit();
            assertThat(l.getVersion()).isEqualTo(2);
        }

        assertThat(unit.remote("select fee, status, version from loan where id = ?", id).get(0))
                .containsEntry("fee", new BigDecimal("8.10")).containsEntry("status", "OVERDUE").containsEntry("version", 2);
    }

    @Test
    void persisting_a_held_entity_with_an_id_that_exists_fails_and_never_overwrites_the_row() {
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Habitat("BOG", "Raised bog", 310));
            em.getTransaction().commit();
        }
        long pending = unit.emf.getSyncStatus().pendingChanges();

        Throwable thrown;
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Habitat("BOG", "Second bog", 1));
            thrown = catchThrowable(() -> em.getTransaction().commit());
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
        }

        assertThat(thrown).isInstanceOf(PersistenceException.class);
        assertThat(thrown).rootCause().hasMessageContaining("habitat_pkey");
        assertThat(unit.remote("select name, altitude_m from habitat where code = 'BOG'").get(0))
                .containsEntry("name", "Raised bog").containsEntry("altitude_m", 310);
        assertThat(unit.emf.getSyncStatus().pendingChanges()).as("a refused write is not queued").isEqualTo(pending);
    }
}
