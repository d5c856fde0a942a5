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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Row {@code replay-stamped-vs-jdbc}: replaying {@code changes} pending inserts of {@link BenchStamped} (a
 * {@code @CreationTimestamp} and an {@code @UpdateTimestamp}, whose local values the replay writes again after its
 * upsert; local transactions of {@code txSize}) to PostgreSQL with {@code emf.sync()} and the default batch size (500),
 * against raw JDBC copying the same rows, times included, into an identical table ({@code bench_stamped_jdbc}) with a
 * batched {@code insert ... on conflict (id) do update}, 500 rows a transaction. Each iteration starts from empty remote
 * tables and a freshly filled sync log (not timed). Throughput = changes / time.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ReplayStampedVsJdbcBenchmark {

    static final String SELECT = "select id, name, created_at, updated_at, version from bench_stamped order by id";
    static final String UPSERT = "insert into bench_stamped_jdbc (id, name, created_at, updated_at, version)"
            + " values (?, ?, ?, ?, ?) on conflict (id) do update set name = excluded.name,"
            + " created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version";

    /** The composite unit (job off), the JDBC baseline's table and connections. */
    @State(Scope.Benchmark)
    public static class Databases {
        @Param("20000")
        public int changes;

        @Param("500")
        public int txSize;

        BenchDatabases db;
        CompositeEntityManagerFactory composite;
        Connection local;
        Connection remote;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            db = BenchDatabases.create("replay_stamped");
            composite = db.compositeWithStamps();
            db.pgExecute("create table bench_stamped_jdbc (like bench_stamped including all)");
            local = db.sqlite();
            remote = db.pg();
        }

        @Setup(Level.Iteration)
        public void fill() {
            db.sqliteExecute("delete from bench_stamped", "delete from dbc_sync_log");
            db.pgExecute("truncate table bench_stamped", "truncate table bench_stamped_jdbc");
            db.fillStamped(changes, txSize);
            db.expectPending(changes);
        }

        @TearDown(Level.Iteration)
        public void check() {
            // exactly one of the two benchmarks ran in this iteration, and it must have written every row with its times
            long rows = db.pgCount("bench_stamped") + db.pgCount("bench_stamped_jdbc");
            long stamped = db.pgLong("select count(*) from bench_stamped where created_at is not null and updated_at is not null")
                    + db.pgLong("select count(*) from bench_stamped_jdbc where created_at is not null and updated_at is not null");
            if (rows != changes || stamped != changes) {
                throw new IllegalStateException("expected " + changes + " rows with both times on PostgreSQL, found " + rows
                        + " rows, " + stamped + " with both times");
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

    /** The local file keeps an instant as UTC text ({@code yyyy-MM-dd HH:mm:ss.SSS[SSS]}). */
    private static OffsetDateTime instant(String text) {
        return text == null ? null : LocalDateTime.parse(text.replace(' ', 'T')).atOffset(ZoneOffset.UTC);
    }

    /** Streams the local rows into the JDBC table, {@code batch} rows a remote transaction. */
    static long copy(Connection local, Connection remote, int batch) throws SQLException {
        return BenchDatabases.copyInBatches(local, SELECT, remote, UPSERT, batch, (rs, upsert) -> {
            upsert.setLong(1, rs.getLong(1));
            upsert.setString(2, rs.getString(2));
            upsert.setObject(3, instant(rs.getString(3)));
            upsert.setObject(4, instant(rs.getString(4)));
            upsert.setLong(5, rs.getLong(5));
        });
    }
}
