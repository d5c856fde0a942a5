package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import jakarta.persistence.EntityManager;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Row {@code replay-updates-vs-jdbc}: the {@code replay-vs-jdbc} workload with updates instead of inserts. The remote
 * already holds {@code changes} rows; each is then renamed locally ({@code txSize} a transaction), and
 * {@code emf.sync()} replays those updates, which the replay checks for conflicts (the rows of a batch's updates are
 * read with one locking query per batch). The baseline is the same batched JDBC
 * {@code insert ... on conflict (id) do update} of the renamed rows into a table that already holds them. The setup
 * (inserts synced, renames captured, the JDBC table filled) is not timed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ReplayUpdatesVsJdbcBenchmark {

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
        private int round;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            db = BenchDatabases.create("replay_updates");
            composite = db.composite(false, null);
            db.pgExecute("create table bench_item_jdbc (like bench_item including all)");
            local = db.sqlite();
            remote = db.pg();
            db.fill(changes, txSize);
            SyncResult inserted = composite.sync();
            if (inserted.applied() != changes) {
                throw new IllegalStateException("expected " + changes + " inserts replayed, got " + inserted.applied());
            }
        }

        @Setup(Level.Iteration)
        public void rename() throws SQLException {
            db.pgExecute("truncate table bench_item_jdbc");
            ReplayVsJdbcBenchmark.copy(local, remote, BenchDatabases.BATCH); // the baseline's rows are there already
            round++;
            long renamed = 0;
            while (renamed < changes) {
                try (EntityManager em = composite.createEntityManager()) {
                    em.getTransaction().begin();
                    List<BenchItem> items = em.createQuery("select i from BenchItem i order by i.id", BenchItem.class)
                            .setFirstResult((int) renamed).setMaxResults(txSize).getResultList();
                    for (BenchItem item : items) {
                        item.setName("renamed " + round + " " + item.getQuantity());
                    }
                    em.getTransaction().commit();
                    renamed += items.size();
                    if (items.isEmpty()) {
                        break;
                    }
                }
            }
            long pending = composite.getSyncStatus().pendingChanges();
            if (pending != changes) {
                throw new IllegalStateException("expected " + changes + " pending updates, found " + pending);
            }
        }

        @TearDown(Level.Iteration)
        public void drain() {
            // the benchmark that did not run leaves the updates pending: replay them so the next round starts clean
            SyncResult r = composite.sync();
            if (composite.getSyncStatus().pendingChanges() != 0 || composite.getSyncStatus().conflictCount() != 0) {
                throw new IllegalStateException("updates left after the iteration: " + composite.getSyncStatus() + " " + r);
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
        return ReplayVsJdbcBenchmark.copy(d.local, d.remote, BenchDatabases.BATCH);
    }
}
