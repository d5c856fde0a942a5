package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
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
 * Row {@code capture-vs-envers}: the local-write-100 workload (one transaction persisting 100 new items) with
 * db-composite's capture, against Hibernate Envers auditing the same entity on the same SQLite file (one revision
 * row and 100 audit rows per transaction).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(2)
public class CaptureVsEnversBenchmark {

    /** The composite unit and the Envers baseline on one fresh SQLite file. */
    @State(Scope.Benchmark)
    public static class Databases {
        @Param("100")
        public int size;

        BenchDatabases db;
        CompositeEntityManagerFactory composite;
        SessionFactory envers;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            db = BenchDatabases.create("capture_envers");
            composite = db.composite(false, null);
            envers = db.envers();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    @Benchmark
    public long captured(Databases d) {
        return LocalWriteBenchmark.persistComposite(d.composite, d.size, d.next += d.size);
    }

    @Benchmark
    public long envers(Databases d) {
        return LocalWriteBenchmark.persistPlain(d.envers, d.size, d.next += d.size);
    }
}
