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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Row {@code replay-collections-vs-jdbc}: replaying {@code changes} pending inserts of {@link BenchLabelled} (each
 * with {@value BenchLabelled#LABELS} labels in its element collection; local transactions of {@code txSize}) to
 * PostgreSQL with {@code emf.sync()} and the default batch size (500), against raw JDBC doing the same work on identical
 * tables ({@code bench_labelled_jdbc}, {@code bench_labelled_label_jdbc}, the foreign key of the labels to their owner
 * included): per 500 entities read from the local
 * tables, one transaction with a batched {@code insert ... on conflict (id) do update} of the rows, a batched delete
 * of their collection rows and a batched insert of them. Each iteration starts from empty remote tables and a freshly
 * filled sync log (not timed). Throughput = changes / time.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ReplayCollectionsVsJdbcBenchmark {

    static final String SELECT_OWNERS = "select id, name, version from bench_labelled order by id";
    static final String SELECT_LABELS = "select owner_id, label from bench_labelled_label where owner_id between ? and ?"
            + " order by owner_id";
    static final String UPSERT = "insert into bench_labelled_jdbc (id, name, version) values (?, ?, ?)"
            + " on conflict (id) do update set name = excluded.name, version = excluded.version";
    static final String DELETE_LABELS = "delete from bench_labelled_label_jdbc where owner_id = ?";
    static final String INSERT_LABEL = "insert into bench_labelled_label_jdbc (owner_id, label) values (?, ?)";

    /** The composite unit (job off), the JDBC baseline's tables and connections. */
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
            db = BenchDatabases.create("replay_coll");
            composite = db.compositeWithCollections();
            // "like" copies neither foreign key: the baseline's label table gets the one Hibernate gave the unit's, so
            // both sides pay PostgreSQL's check of each label row against its owner
            db.pgExecute("create table bench_labelled_jdbc (like bench_labelled including all)",
                    "create table bench_labelled_label_jdbc (like bench_labelled_label including all)",
                    "alter table bench_labelled_label_jdbc add foreign key (owner_id) references bench_labelled_jdbc (id)");
            if (db.pgLong("select count(*) from pg_constraint c join pg_class t on t.oid = c.conrelid where c.contype = 'f'"
                    + " and t.relname = 'bench_labelled_label' and t.relnamespace = current_schema()::regnamespace") != 1) {
                throw new IllegalStateException("the unit's label table has no foreign key to its owner: the baseline's must match it");
            }
            local = db.sqlite();
            remote = db.pg();
        }

        @Setup(Level.Iteration)
        public void fill() {
            db.sqliteExecute("delete from bench_labelled_label", "delete from bench_labelled", "delete from dbc_sync_log");
            db.pgExecute("truncate table bench_labelled_label, bench_labelled", "truncate table bench_labelled_label_jdbc, bench_labelled_jdbc");
            db.fillLabelled(changes, txSize);
            db.expectPending(changes);
        }

        @TearDown(Level.Iteration)
        public void check() {
            // exactly one of the two benchmarks ran in this iteration, and it must have written every row and label
            long rows = db.pgCount("bench_labelled") + db.pgCount("bench_labelled_jdbc");
            long labels = db.pgCount("bench_labelled_label") + db.pgCount("bench_labelled_label_jdbc");
            if (rows != changes || labels != (long) changes * BenchLabelled.LABELS) {
                throw new IllegalStateException("expected " + changes + " rows and " + changes * BenchLabelled.LABELS
                        + " labels on PostgreSQL, found " + rows + " and " + labels);
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

    private record Owner(long id, String name, long version) {
    }

    /** Streams the local rows and their labels into the JDBC tables, {@code batch} entities a remote transaction. */
    static long copy(Connection local, Connection remote, int batch) throws SQLException {
        long n = 0;
        remote.setAutoCommit(false);
        try (PreparedStatement owners = local.prepareStatement(SELECT_OWNERS);
             PreparedStatement labels = local.prepareStatement(SELECT_LABELS);
             PreparedStatement upsert = remote.prepareStatement(UPSERT);
             PreparedStatement delete = remote.prepareStatement(DELETE_LABELS);
             PreparedStatement insert = remote.prepareStatement(INSERT_LABEL)) {
            owners.setFetchSize(batch);
            List<Owner> page = new ArrayList<>(batch);
            try (ResultSet rs = owners.executeQuery()) {
                while (rs.next()) {
                    page.add(new Owner(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                    if (page.size() == batch) {
                        n += write(page, labels, upsert, delete, insert, remote);
                    }
                }
            }
            n += write(page, labels, upsert, delete, insert, remote);
        } catch (SQLException | RuntimeException e) {
            remote.rollback();
            throw e;
        } finally {
            remote.setAutoCommit(true);
        }
        return n;
    }

    private static int write(List<Owner> page, PreparedStatement labels, PreparedStatement upsert, PreparedStatement delete,
                             PreparedStatement insert, Connection remote) throws SQLException {
        if (page.isEmpty()) {
            return 0;
        }
        for (Owner o : page) {
            upsert.setLong(1, o.id());
            upsert.setString(2, o.name());
            upsert.setLong(3, o.version());
            upsert.addBatch();
            delete.setLong(1, o.id());
            delete.addBatch();
        }
        upsert.executeBatch();
        delete.executeBatch();
        labels.setLong(1, page.get(0).id());
        labels.setLong(2, page.get(page.size() - 1).id());
        try (ResultSet rs = labels.executeQuery()) {
            while (rs.next()) {
                insert.setLong(1, rs.getLong(1));
                insert.setString(2, rs.getString(2));
                insert.addBatch();
            }
        }
        insert.executeBatch();
        remote.commit();
        int n = page.size();
        page.clear();
        return n;
    }
}
