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

import java.util.concurrent.TimeUnit;

/**
 * Rows {@code local-write-1} and {@code local-write-100}: one local transaction persisting {@code size} new items;
 * through the composite unit (every change captured into the sync log in the same transaction, the background
 * job off) and through plain Hibernate on the same SQLite file with no capture (the baseline).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(2)
public class LocalWriteBenchmark {

    /** The composite unit and the plain baseline on one fresh SQLite file. */
    @State(Scope.Benchmark)
    public static class Databases {
        @Param({"1", "100"})
        public int size;

        BenchDatabases db;
        CompositeEntityManagerFactory composite;
        SessionFactory plain;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            db = BenchDatabases.create("local_write");
            composite = db.composite(false, null);
            plain = db.plain();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    @Benchmark
    public long composite(Databases d) {
        return persistComposite(d.composite, d.size, d.next += d.size);
    }

    @Benchmark
    public long plain(Databases d) {
        return persistPlain(d.plain, d.size, d.next += d.size);
    }

    /** One composite transaction persisting {@code size} items. @return the last id */
    static long persistComposite(CompositeEntityManagerFactory emf, int size, long n) {
        try (EntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            BenchItem last = null;
            for (int i = 0; i < size; i++) {
                last = BenchItem.numbered(n + i);
                em.persist(last);
            }
            em.getTransaction().commit();
            return last.getId();
        }
    }

    /** One plain Hibernate transaction persisting {@code size} items. @return the last id */
    static long persistPlain(SessionFactory sf, int size, long n) {
        try (Session session = sf.openSession()) {
            session.getTransaction().begin();
            BenchItem last = null;
            for (int i = 0; i < size; i++) {
                last = BenchItem.numbered(n + i);
                session.persist(last);
            }
            session.getTransaction().commit();
            return last.getId();
        }
    }
}
