package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Colour;
import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import io.dbcomposite.differential.model.SeedPacket;
import io.dbcomposite.differential.model.Specimen;
import io.dbcomposite.differential.model.Viability;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's REMOTE routing (differential item 10): the writes the local session holds until commit ({@code Loan},
 * {@code onRemoteFail=QUEUE}) and those the remote session runs ({@code Specimen}, {@code FAIL}) reach the remote in
 * the order one Hibernate session would run them: a held delete of a row that refers to a row the remote session
 * deletes goes first, so the foreign key holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingFlushOrderTest {

    private static final AtomicLong IDS = new AtomicLong(7000);

    private RemoteRoutingUnit unit;
    private long grower;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingFlushOrder");
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = new Grower("Basil Fern", "basil@seeds.test", GrowerLevel.NOVICE, LocalDate.parse("2026-02-24"));
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

    /** @return the id of a new specimen with one loan of it (whose id is {@code loan}) */
    private UUID specimenWithLoan(long loan) {
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Grower g = em.find(Grower.class, grower);
            SeedPacket s = new SeedPacket("S-" + loan, Instant.parse("2026-03-01T08:15:30.125Z"), new BigDecimal("2.000"),
                    new Colour(10, 20, 30), g, 80, Viability.LOW);
            em.persist(s);
            em.flush();
            em.persist(new Loan(loan, g, s, LocalDate.parse("2026-01-10"), new BigDecimal("7.25"), LoanStatus.OVERDUE));
            em.getTransaction().commit();
            return s.getId();
        }
    }

    @Test
    void removing_a_held_row_and_the_remote_row_it_refers_to_in_one_transaction_commits() {
        long loan = IDS.incrementAndGet();
        UUID specimen = specimenWithLoan(loan);

        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.remove(em.find(Loan.class, loan));
            em.remove(em.find(Specimen.class, specimen));
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select id from loan where id = ?", loan)).isEmpty();
        assertThat(unit.remote("select id from specimen where id = ?", specimen)).isEmpty();
    }

    @Test
    void a_query_after_removing_a_held_row_and_the_remote_row_it_refers_to_flushes_both_in_order() {
        long loan = IDS.incrementAndGet();
        UUID specimen = specimenWithLoan(loan);

        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Specimen s = em.find(Specimen.class, specimen);
            for (Loan l : em.createQuery("select l from Loan l where l.specimen = :s", Loan.class).setParameter("s", s)
                    .getResultList()) {
                em.remove(l);
            }
            em.remove(s);
            assertThat(em.createQuery("select count(s) from Specimen s where s.id = :id", Long.class)
                    .setParameter("id", specimen).getSingleResult()).isZero();
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select id from loan where id = ?", loan)).isEmpty();
        assertThat(unit.remote("select id from specimen where id = ?", specimen)).isEmpty();
    }
}
