package io.dbcomposite.bench;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The two replay rows ({@code replay-vs-jdbc}, {@code replay-collections-vs-jdbc}) measured in pairs: each pair replays
 * the same freshly filled backlog once through the unit and once through raw JDBC, right after each other, the order
 * alternating from pair to pair, and its ratio is the baseline's time over ours (the throughput ratio). JMH runs all
 * iterations of one side before the other, so a PostgreSQL that speeds up or slows down during the run (it does on
 * this machine, by up to a quarter between rounds) moves the ratio; the median of paired ratios does not follow such a
 * drift. The workloads, the fills and the checks are those of {@link ReplayVsJdbcBenchmark} and
 * {@link ReplayCollectionsVsJdbcBenchmark}. Arguments: {@code [pairs=10] [warm-up pairs=2] [changes=100000]
 * [collection changes=20000]}.
 */
public final class ReplayPairsHarness {

    /** One row: the per-pair times (ms) and ratios, in the order run. */
    public record Row(String name, double[] syncMs, double[] jdbcMs, double[] ratios) {

        /** @return the median of the paired ratios */
        public double medianRatio() {
            return median(ratios);
        }
    }

    /** Both rows. */
    public record Result(Row replay, Row collections) {
    }

    /** One side of a pair. */
    private interface Side {
        void run() throws SQLException;
    }

    private ReplayPairsHarness() {
    }

    public static void main(String[] args) throws SQLException {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int changes = args.length > 2 ? Integer.parseInt(args[2].replace("_", "")) : 100_000;
        int collectionChanges = args.length > 3 ? Integer.parseInt(args[3].replace("_", "")) : 20_000;
        run(pairs, warmup, changes, collectionChanges, System.out);
        System.exit(0);
    }

    /** Runs both rows; prints each pair and each row's medians to {@code log}. */
    public static Result run(int pairs, int warmup, int changes, int collectionChanges, PrintStream log) throws SQLException {
        log.printf(Locale.ROOT, "replay pairs: %d pairs after %d warm-up pairs, order alternating%n", pairs, warmup);
        ReplayVsJdbcBenchmark.Databases flat = new ReplayVsJdbcBenchmark.Databases();
        flat.changes = changes;
        flat.txSize = BenchDatabases.BATCH;
        ReplayVsJdbcBenchmark flatBench = new ReplayVsJdbcBenchmark();
        Row replay = measure(new Workload("replay-vs-jdbc", flat::setUp, flat::tearDown, flat::fill, flat::check,
                () -> flatBench.sync(flat), () -> flatBench.jdbc(flat)), pairs, warmup, log);
        ReplayCollectionsVsJdbcBenchmark.Databases owners = new ReplayCollectionsVsJdbcBenchmark.Databases();
        owners.changes = collectionChanges;
        owners.txSize = BenchDatabases.BATCH;
        ReplayCollectionsVsJdbcBenchmark ownersBench = new ReplayCollectionsVsJdbcBenchmark();
        Row collections = measure(new Workload("replay-collections-vs-jdbc", owners::setUp, owners::tearDown, owners::fill,
                owners::check, () -> ownersBench.sync(owners), () -> ownersBench.jdbc(owners)), pairs, warmup, log);
        return new Result(replay, collections);
    }

    /** A benchmark's state, as the harness drives it: set up once, filled and checked around every run of a side. */
    private record Workload(String name, Side setUp, Side tearDown, Runnable fill, Runnable check, Side sync, Side jdbc) {
    }

    private static Row measure(Workload w, int pairs, int warmup, PrintStream log) throws SQLException {
        w.setUp().run();
        try {
            return row(w.name(), pairs, warmup, w.fill(), w.check(), w.sync(), w.jdbc(), log);
        } finally {
            w.tearDown().run();
        }
    }

    private static Row row(String name, int pairs, int warmup, Runnable fill, Runnable check, Side sync, Side jdbc,
                           PrintStream log) throws SQLException {
        List<double[]> measured = new ArrayList<>();
        for (int p = 0; p < warmup + pairs; p++) {
            boolean syncFirst = p % 2 == 0;
            double first = timed(fill, check, syncFirst ? sync : jdbc);
            double second = timed(fill, check, syncFirst ? jdbc : sync);
            double syncMs = syncFirst ? first : second;
            double jdbcMs = syncFirst ? second : first;
            boolean counted = p >= warmup;
            log.printf(Locale.ROOT, "%s %s pair %d (%s first): ours %.0f ms, JDBC %.0f ms, ratio %.3f%n", name,
                    counted ? "measured" : "warm-up", counted ? p - warmup + 1 : p + 1, syncFirst ? "ours" : "JDBC", syncMs,
                    jdbcMs, jdbcMs / syncMs);
            if (counted) {
                measured.add(new double[] {syncMs, jdbcMs});
            }
        }
        double[] syncMs = measured.stream().mapToDouble(m -> m[0]).toArray();
        double[] jdbcMs = measured.stream().mapToDouble(m -> m[1]).toArray();
        double[] ratios = measured.stream().mapToDouble(m -> m[1] / m[0]).toArray();
        Row row = new Row(name, syncMs, jdbcMs, ratios);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        log.printf(Locale.ROOT, "%s: median ratio %.3f (pairs %.3f to %.3f); medians ours %.0f ms, JDBC %.0f ms%n", name,
                row.medianRatio(), sorted[0], sorted[sorted.length - 1], median(syncMs), median(jdbcMs));
        return row;
    }

    /** Fills, runs one side (timed), checks that it wrote every row. @return its time in ms */
    private static double timed(Runnable fill, Runnable check, Side side) throws SQLException {
        fill.run();
        long t0 = System.nanoTime();
        side.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        check.run();
        return ms;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
