package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's REMOTE routing (differential item 7): a change of a held entity ({@code Loan}, read and written REMOTE,
 * {@code onRemoteFail=QUEUE}) queued during an outage was based on the remote row this unit read. Its replay applies it
 * over that row only: if another transaction changed the row meanwhile, the replay reports a conflict and leaves the row
 * alone instead of overwriting the newer update. The remote is cut by a TCP proxy; the sync runs by {@code emf.sync()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingQueuedConflictTest {

    private static final AtomicLong IDS = new AtomicLong(11000);

    private RemoteRoutingUnit unit;
    private long grower;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingQueuedConflict", true, HeldMark.class);
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = new Grower("Dill Marsh", "dill@seeds.test", GrowerLevel.NOVICE, LocalDate.parse("2026-08-03"));
            em.persist(g);
            em.getTransaction().commit();
            grower = g.getId();
        }
    }

    @AfterEach
    void networkBack() {
        unit.restoreNetwork();
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
            em.persist(new Loan(id, em.find(Grower.class, grower), null, LocalDate.parse("2026-01-27"), BigDecimal.ZERO,
                    LoanStatus.OPEN));
            em.getTransaction().commit();
        }
        return id;
    }

    /** Changes the loan's fee in a transaction of its own; the remote is cut while it commits, so the change is queued. */
    private void changeQueuedDuringAnOutage(EntityManager em, Loan loan, String fee) {
        unit.proxy.cut();
        em.getTransaction().begin();
        loan.setFee(new BigDecimal(fee));
        em.getTransaction().commit();
        unit.restoreNetwork();
    }

    @Test
    void a_queued_change_of_a_row_changed_meanwhile_is_not_replayed_over_the_newer_row() {
        long id = loan();
        long conflictsBefore = unit.emf.getSyncStatus().conflictCount();
        try (EntityManager stale = unit.emf.createEntityManager()) {
            Loan old = stale.find(Loan.class, id); // read outside a transaction, version 0
            try (EntityManager other = unit.emf.createEntityManager()) {
                other.getTransaction().begin();
                other.find(Loan.class, id).setDueOn(LocalDate.parse("2026-02-03"));
                other.getTransaction().commit(); // version 1
            }
            changeQueuedDuringAnOutage(stale, old, "99.00");
        }
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isEqualTo(1);

        unit.emf.sync();

        assertThat(unit.remote("select fee, due_on, version from loan where id = ?", id).get(0))
                .containsEntry("fee", new BigDecimal("0.00")).containsEntry("version", 1)
                .containsEntry("due_on", java.sql.Date.valueOf("2026-02-03"));
        // a conflict (onConflict=FAIL, the default): held for retry or discard, not retried until DEAD
        assertThat(unit.emf.getSyncStatus().conflictCount()).isEqualTo(conflictsBefore + 1);
        assertThat(unit.emf.getSyncStatus().failedCount()).isZero();
        assertThat(unit.emf.getSyncStatus().lastError()).contains("Conflict", "Loan", String.valueOf(id), "version 1");
    }

    @Test
    void a_queued_change_of_an_unversioned_row_changed_meanwhile_is_a_conflict_too() {
        long id = IDS.incrementAndGet();
        long conflictsBefore = unit.emf.getSyncStatus().conflictCount();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new HeldMark(id, "as read"));
            em.getTransaction().commit();
        }
        try (EntityManager stale = unit.emf.createEntityManager()) {
            HeldMark mark = stale.find(HeldMark.class, id);
            assertThat(io.dbcomposite.testing.PostgresTestDatabase.update(unit.schema,
                    "update held_mark set text = 'changed meanwhile' where id = ?", id)).isEqualTo(1);
            unit.proxy.cut();
            stale.getTransaction().begin();
            mark.setText("queued");
            stale.getTransaction().commit();
            unit.restoreNetwork();
        }

        unit.emf.sync();

        assertThat(unit.remote("select text from held_mark where id = ?", id).get(0)).containsEntry("text", "changed meanwhile");
        assertThat(unit.emf.getSyncStatus().conflictCount()).isEqualTo(conflictsBefore + 1);
        assertThat(unit.emf.getSyncStatus().lastError()).contains("Conflict", "HeldMark", "text");
    }

    @Test
    void a_queued_change_of_a_row_nobody_else_changed_is_replayed() {
        long id = loan();
        try (EntityManager em = unit.emf.createEntityManager()) {
            Loan loan = em.find(Loan.class, id);
            changeQueuedDuringAnOutage(em, loan, "4.50");
        }

        unit.emf.sync();

        assertThat(unit.remote("select fee, version from loan where id = ?", id).get(0))
                .containsEntry("fee", new BigDecimal("4.50")).containsEntry("version", 1);
    }
}
