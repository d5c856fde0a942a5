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
 *
 * <p>Each side's CPU time is measured too: this JVM's (every thread: the replay's, its helper's, the JIT's and the
 * collector's) and, where {@code /proc} shows them (Linux, the server on this host), the PostgreSQL server's processes'.
 * The wall ratio depends on how fast PostgreSQL is next to the JVM on the machine at hand (a server that takes longer
 * per row hides more of the client's work); the JVM's CPU per side does not, and tells where a change to the replay's
 * own work went.
 */
public final class ReplayPairsHarness {

    /**
     * One row: the per-pair times (ms) and ratios, in the order run, and each side's CPU time (ms): this JVM's, and the
     * PostgreSQL server's ({@code -1} where it cannot be read).
     */
    public record Row(String name, double[] syncMs, double[] jdbcMs, double[] ratios, double[] syncJvmCpuMs,
                      double[] jdbcJvmCpuMs, double[] syncServerCpuMs, double[] jdbcServerCpuMs) {

        /** @return the median of the paired ratios */
        public double medianRatio() {
            return median(ratios);
        }
    }

    /** One timed run of a side: its wall time and the CPU time used meanwhile (ms). */
    record Timed(double wallMs, double jvmCpuMs, double serverCpuMs) {
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
        List<Timed[]> measured = new ArrayList<>();
        for (int p = 0; p < warmup + pairs; p++) {
            boolean syncFirst = p % 2 == 0;
            Timed first = timed(fill, check, syncFirst ? sync : jdbc);
            Timed second = timed(fill, check, syncFirst ? jdbc : sync);
            Timed ours = syncFirst ? first : second;
            Timed theirs = syncFirst ? second : first;
            boolean counted = p >= warmup;
            log.printf(Locale.ROOT, "%s %s pair %d (%s first): ours %.0f ms, JDBC %.0f ms, ratio %.3f; CPU ours %s,"
                            + " JDBC %s%n", name, counted ? "measured" : "warm-up", counted ? p - warmup + 1 : p + 1,
                    syncFirst ? "ours" : "JDBC", ours.wallMs(), theirs.wallMs(), theirs.wallMs() / ours.wallMs(), cpu(ours),
                    cpu(theirs));
            if (counted) {
                measured.add(new Timed[] {ours, theirs});
            }
        }
        double[] syncMs = measured.stream().mapToDouble(m -> m[0].wallMs()).toArray();
        double[] jdbcMs = measured.stream().mapToDouble(m -> m[1].wallMs()).toArray();
        double[] ratios = measured.stream().mapToDouble(m -> m[1].wallMs() / m[0].wallMs()).toArray();
        Row row = new Row(name, syncMs, jdbcMs, ratios, measured.stream().mapToDouble(m -> m[0].jvmCpuMs()).toArray(),
                measured.stream().mapToDouble(m -> m[1].jvmCpuMs()).toArray(),
                measured.stream().mapToDouble(m -> m[0].serverCpuMs()).toArray(),
                measured.stream().mapToDouble(m -> m[1].serverCpuMs()).toArray());
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        log.printf(Locale.ROOT, "%s: median ratio %.3f (pairs %.3f to %.3f); medians ours %.0f ms, JDBC %.0f ms%n", name,
                row.medianRatio(), sorted[0], sorted[sorted.length - 1], median(syncMs), median(jdbcMs));
        log.printf(Locale.ROOT, "%s: median CPU, JVM: ours %.0f ms, JDBC %.0f ms; PostgreSQL server: ours %s, JDBC %s%n",
                name, median(row.syncJvmCpuMs()), median(row.jdbcJvmCpuMs()), serverMedian(row.syncServerCpuMs()),
                serverMedian(row.jdbcServerCpuMs()));
        return row;
    }

    private static String cpu(Timed t) {
        return String.format(Locale.ROOT, "JVM %.0f ms%s", t.jvmCpuMs(),
                t.serverCpuMs() < 0 ? "" : String.format(Locale.ROOT, " + server %.0f ms", t.serverCpuMs()));
    }

    private static String serverMedian(double[] values) {
        return values.length == 0 || values[0] < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f ms", median(values));
    }

    /** Fills, runs one side (timed), checks that it wrote every row. @return its wall and CPU times */
    private static Timed timed(Runnable fill, Runnable check, Side side) throws SQLException {
        fill.run();
        long server0 = serverCpuMs();
        long jvm0 = jvmCpuNanos();
        long t0 = System.nanoTime();
        side.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        long jvm1 = jvmCpuNanos();
        long server1 = serverCpuMs();
        check.run();
        return new Timed(ms, jvm0 < 0 || jvm1 < 0 ? -1 : (jvm1 - jvm0) / 1e6, server0 < 0 || server1 < 0 ? -1 : server1 - server0);
    }

    /** @return this JVM's CPU time so far (every thread), or -1 where the platform does not tell it */
    static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /**
     * @return the CPU time (user and system, ms) of every process on this host named {@code postgres} (the server's
     *     backends and its background processes), read from {@code /proc/<pid>/stat}; -1 where there is no such file
     *     system or it shows no such process (a server on another host). A process that ends between two readings
     *     takes its time with it: the connections of a replay stay open across it, so its own backends' time is
     *     counted.
     */
    public static long serverCpuMs() {
        java.io.File[] processes = new java.io.File("/proc").listFiles((dir, n) -> !n.isEmpty() && n.chars().allMatch(Character::isDigit));
        if (processes == null) {
            return -1;
        }
        long ticks = 0;
        boolean found = false;
        for (java.io.File process : processes) {
            String stat;
            try {
                stat = java.nio.file.Files.readString(process.toPath().resolve("stat"));
            } catch (java.io.IOException | RuntimeException gone) {
                continue; // ended meanwhile, or not ours to read
            }
            int close = stat.lastIndexOf(')');
            if (close < 0 || !stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                continue;
            }
            // after the command: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime
            String[] fields = stat.substring(close + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            found = true;
        }
        return found ? ticks * 1000 / CLOCK_TICKS_PER_SECOND : -1;
    }

    /** Linux's {@code USER_HZ}, the unit of {@code /proc/<pid>/stat}'s times: 100 on every architecture Java runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
