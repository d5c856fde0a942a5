package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import org.hibernate.SessionFactory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of the read benchmarks ({@code local-read}, {@code local-query}): the composite unit and the
 * plain-Hibernate baseline on one SQLite file holding {@code rows} items.
 */
@State(Scope.Benchmark)
public class LocalItems {
    @Param("1000")
    public int rows;

    BenchDatabases db;
    CompositeEntityManagerFactory composite;
    SessionFactory plain;
    long firstId;

    @Setup(Level.Trial)
    public void setUp() {
        db = BenchDatabases.create("local_items");
        composite = db.composite(false, null);
        db.fill(rows, rows);
        plain = db.plain();
        firstId = db.sqliteLong("select min(id) from bench_item");
    }

    /** @return a random id from which {@code span} consecutive ids exist */
    long randomFrom(int span) {
        return firstId + ThreadLocalRandom.current().nextInt(rows - span + 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
    }
}
