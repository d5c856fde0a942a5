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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of the local side's foreign keys (issue 11): one transaction persisting an item and 100 lines that refer to
 * it, through the composite unit (the local tables declare the key, so SQLite checks each line's reference) and
 * through plain Hibernate with the community dialect on its own SQLite file (no key, nothing checked).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class LocalWriteReferenceBenchmark {

    /** The composite unit and the plain baseline. */
    @State(Scope.Benchmark)
    public static class Databases {
        BenchDatabases db;
        BenchDatabases plainDb;
        CompositeEntityManagerFactory composite;
        SessionFactory plain;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            db = BenchDatabases.create("local_write_ref");
            composite = db.compositeWithLines();
            // the plain baseline gets a file of its own, created by plain Hibernate's community dialect: no keys
            plainDb = BenchDatabases.create("local_write_ref_plain");
            plain = plainDb.plainCreating();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
            plainDb.close();
        }
    }

    @Benchmark
    public long composite(Databases d) {
        try (EntityManager em = d.composite.createEntityManager()) {
            em.getTransaction().begin();
            BenchItem item = BenchItem.numbered(d.next++);
            em.persist(item);
            BenchLine last = null;
            for (int i = 0; i < 100; i++) {
                last = new BenchLine(item, i);
                em.persist(last);
            }
            em.getTransaction().commit();
            return last.getId();
        }
    }

    @Benchmark
    public long plain(Databases d) {
        try (Session session = d.plain.openSession()) {
            session.getTransaction().begin();
            BenchItem item = BenchItem.numbered(d.next++);
            session.persist(item);
            BenchLine last = null;
            for (int i = 0; i < 100; i++) {
                last = new BenchLine(item, i);
                session.persist(last);
            }
            session.getTransaction().commit();
            return last.getId();
        }
    }
}
