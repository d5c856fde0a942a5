package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Colour;
import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.GrowerLevel;
import io.dbcomposite.differential.model.Jar;
import io.dbcomposite.differential.model.JarSize;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.LoanStatus;
import io.dbcomposite.differential.model.SeedPacket;
import io.dbcomposite.differential.model.Shelf;
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
import java.time.LocalDateTime;
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

    @Test
    void held_rows_added_to_an_inverse_ordered_list_of_a_remote_row_get_their_list_index() {
        long shelf = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Shelf(shelf, "North vault"));
            em.getTransaction().commit();
        }

        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Shelf s = em.find(Shelf.class, shelf);
            assertThat(s.getJars()).isEmpty(); // loaded: an addition to a list never loaded is refused (below)
            for (int i = 0; i < 3; i++) {
                Jar jar = new Jar(shelf * 10 + i, "jar " + i, LocalDateTime.parse("2026-02-11T17:45:10.250").plusMinutes(i),
                        JarSize.SMALL);
                jar.setShelf(s);
                s.getJars().add(jar);
                em.persist(jar);
            }
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select id, position from jar where shelf_id = ? order by id", shelf))
                .extracting(r -> r.get("position")).containsExactly(0, 1, 2);
        try (EntityManager em = unit.emf.createEntityManager()) {
            assertThat(em.find(Shelf.class, shelf).getJars()).extracting(Jar::getContents).containsExactly("jar 0", "jar 1", "jar 2");
        }
    }

    @Test
    void a_held_row_added_to_an_inverse_ordered_list_never_loaded_is_refused_with_nothing_written() {
        long shelf = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Shelf(shelf, "South vault"));
            em.getTransaction().commit();
        }

        Throwable thrown;
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Shelf s = em.find(Shelf.class, shelf);
            Jar jar = new Jar(shelf * 10, "jar 0", LocalDateTime.parse("2026-02-11T17:45:10.250"), JarSize.SMALL);
            jar.setShelf(s);
            s.getJars().add(jar);
            em.persist(jar);
            thrown = org.assertj.core.api.Assertions.catchThrowable(() -> em.getTransaction().commit());
        }

        assertThat(thrown).hasStackTraceContaining("Shelf.jars").hasStackTraceContaining("Load the list before adding");
        assertThat(unit.remote("select id from jar where shelf_id = ?", shelf)).isEmpty();
    }
}
