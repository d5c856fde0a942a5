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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Row {@code local-query}: a JPQL query returning 100 rows (a random id range of the 1,000-row table), each
 * operation opening an entity manager, running the query and closing it; through the composite unit and through
 * plain Hibernate on the same SQLite file (the baseline).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(3)
public class LocalQueryBenchmark {

    static final String JPQL = "select i from BenchItem i where i.id between :from and :to order by i.id";
    static final int RESULT_ROWS = 100;

    @Benchmark
    public List<BenchItem> composite(LocalItems d) {
        long from = d.randomFrom(RESULT_ROWS);
        try (EntityManager em = d.composite.createEntityManager()) {
            return checked(em.createQuery(JPQL, BenchItem.class)
                    .setParameter("from", from).setParameter("to", from + RESULT_ROWS - 1).getResultList());
        }
    }

    @Benchmark
    public List<BenchItem> plain(LocalItems d) {
        long from = d.randomFrom(RESULT_ROWS);
        try (Session session = d.plain.openSession()) {
            return checked(session.createQuery(JPQL, BenchItem.class)
                    .setParameter("from", from).setParameter("to", from + RESULT_ROWS - 1).getResultList());
        }
    }

    private static List<BenchItem> checked(List<BenchItem> items) {
        if (items.size() != RESULT_ROWS) {
            throw new IllegalStateException("expected " + RESULT_ROWS + " rows, got " + items.size());
        }
        return items;
    }
}
