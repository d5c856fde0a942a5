package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
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

    /** The composite unit and the plain baseline on one SQLite file holding {@code rows} items. */
    @State(Scope.Benchmark)
    public static class Databases {
        @Param("1000")
        public int rows;

        BenchDatabases db;
        CompositeEntityManagerFactory composite;
        SessionFactory plain;
        long firstId;

        @Setup(Level.Trial)
        public void setUp() {
            db = BenchDatabases.create("local_read");
            composite = db.composite(false, null);
            db.fill(rows, rows);
            plain = db.plain();
            firstId = db.sqliteLong("select min(id) from bench_item");
        }

        long randomId() {
            return firstId + ThreadLocalRandom.current().nextInt(rows);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    @Benchmark
    public BenchItem composite(Databases d) {
        try (EntityManager em = d.composite.createEntityManager()) {
            return found(em.find(BenchItem.class, d.randomId()));
        }
    }

    @Benchmark
    public BenchItem plain(Databases d) {
        try (Session session = d.plain.openSession()) {
            return found(session.find(BenchItem.class, d.randomId()));
        }
    }

    private static BenchItem found(BenchItem item) {
        if (item == null) {
            throw new IllegalStateException("no item found");
        }
        return item;
    }
}
