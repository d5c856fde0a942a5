package io.dbcomposite.bench;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Row {@code local-read}: {@code find} by id of a read=LOCAL entity, each operation opening an entity manager,
 * finding a random one of 1,000 rows and closing it; through the composite unit, and through plain Hibernate
 * on the same SQLite file (the baseline).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(3)
public class LocalReadBenchmark {

    @Benchmark
    public BenchItem composite(LocalItems d) {
        try (EntityManager em = d.composite.createEntityManager()) {
            return found(em.find(BenchItem.class, d.randomFrom(1)));
        }
    }

    @Benchmark
    public BenchItem plain(LocalItems d) {
        try (Session session = d.plain.openSession()) {
            return found(session.find(BenchItem.class, d.randomFrom(1)));
        }
    }

    private static BenchItem found(BenchItem item) {
        if (item == null) {
            throw new IllegalStateException("no item found");
        }
        return item;
    }
}
