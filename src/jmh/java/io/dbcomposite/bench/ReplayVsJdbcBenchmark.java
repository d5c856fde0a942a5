package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * Row {@code replay-vs-jdbc}: replaying {@code changes} pending changes (inserts captured in local transactions of
 * {@code txSize} items) to PostgreSQL with {@code emf.sync()} and the default batch size (500), against raw JDBC
 * reading the same rows from the local table and writing them to an identical PostgreSQL table
 * ({@code bench_item_jdbc}, created {@code like bench_item including all}) with batched
 * {@code insert ... on conflict (id) do update}, 500 rows a batch and a transaction. Each iteration starts from an
 * empty remote table and a freshly filled sync log (the setup is not timed). Throughput = changes / time.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ReplayVsJdbcBenchmark {

    static final String SELECT_LOCAL = "select id, created_at, name, price, quantity, version from bench_item order by id";
    static final String UPSERT = "insert into bench_item_jdbc (id, created_at, name, price, quantity, version)"
            + " values (?, ?, ?, ?, ?, ?) on conflict (id) do update set created_at = excluded.created_at,"
            + " name = excluded.name, price = excluded.price, quantity = excluded.quantity, version = excluded.version";
    private static final DateTimeFormatter SQLITE_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    /** The composite unit (job off), the JDBC baseline's table and connections. */
    @State(Scope.Benchmark)
    public static class Databases {
        @Param("100000")
        public int changes;

        @Param("500")
        public int txSize;

        BenchDatabases db;
        CompositeEntityManagerFactory composite;
        Connection local;
        Connection remote;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            db = BenchDatabases.create("replay");
            composite = db.composite(false, null);
            db.pgExecute("create table bench_item_jdbc (like bench_item including all)");
            local = db.sqlite();
            remote = db.pg();
        }

        @Setup(Level.Iteration)
        public void fill() {
            db.sqliteExecute("delete from bench_item", "delete from dbc_sync_log");
            db.pgExecute("truncate table bench_item", "truncate table bench_item_jdbc");
            db.fill(changes, txSize);
            db.expectPending(changes);
        }

        @TearDown(Level.Iteration)
        public void check() {
            // exactly one of the two benchmarks ran in this iteration, and it must have written every row
            long landed = db.pgCount("bench_item") + db.pgCount("bench_item_jdbc");
            if (landed != changes) {
                throw new IllegalStateException("expected " + changes + " rows on PostgreSQL, found " + landed);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            db.closeWith(local, remote);
        }
    }

    @Benchmark
    public SyncResult sync(Databases d) {
        return BenchDatabases.syncAll(d.composite, d.changes);
    }

    @Benchmark
    public long jdbc(Databases d) throws SQLException {
        return copy(d.local, d.remote, BenchDatabases.BATCH);
    }

    /** Streams the local rows into {@code bench_item_jdbc}, {@code batch} rows a batch and a remote transaction. */
    static long copy(Connection local, Connection remote, int batch) throws SQLException {
        return BenchDatabases.copyInBatches(local, SELECT_LOCAL, remote, UPSERT, batch, (rs, upsert) -> {
            upsert.setLong(1, rs.getLong(1));
            String created = rs.getString(2);
            upsert.setObject(2, created == null ? null
                    : LocalDateTime.parse(created, SQLITE_TEXT).atOffset(ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            upsert.setString(3, rs.getString(3));
            upsert.setBigDecimal(4, rs.getBigDecimal(4));
            upsert.setInt(5, rs.getInt(5));
            upsert.setLong(6, rs.getLong(6));
        });
    }

}
