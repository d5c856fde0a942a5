package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;

import java.sql.Time;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code java.sql.Time} that carries a date (built from a whole instant, as {@code new Time(System.currentTimeMillis())}
 * is): the remote's {@code time} column keeps its time of day, and so does the local SQLite side, which would keep the
 * driver's text of the whole instant, date included, and read that date back where the remote gives none.
 */
class TimeWithDateTest {

    @Entity(name = "ClockReading")
    @Table(name = "clock_reading")
    public static class ClockReading {
        @Id
        public Long id;
        public Time at;
    }

    @Test
    void a_time_of_day_built_from_a_whole_instant_reads_back_alike_on_both_sides() {
        try (StandaloneUnit unit = StandaloneUnit.start("TimeWithDate", ClockReading.class)) {
            ClockReading reading = new ClockReading();
            reading.id = 1L;
            // whole seconds: the remote's column, as Hibernate creates it for a java.sql.Time, keeps no fraction
            reading.at = new Time(Instant.parse("2026-03-04T18:26:07Z").toEpochMilli());
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(reading));
            assertThat(unit.emf.sync().failed()).isZero();

            try (CompositeEntityManager em = unit.emf.createEntityManager()) {
                long local = em.local().find(ClockReading.class, 1L).at.getTime();
                long remote = em.remote().find(ClockReading.class, 1L).at.getTime();
                assertThat(local).as("the local side's time of day").isEqualTo(remote);
                assertThat(remote).isEqualTo(Instant.parse("1970-01-01T18:26:07Z").toEpochMilli());
            }
        }
    }
}
