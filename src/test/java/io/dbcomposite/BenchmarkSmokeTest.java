package io.dbcomposite;

import io.dbcomposite.bench.BacklogHarness;
import io.dbcomposite.bench.BenchReport;
import io.dbcomposite.bench.SyncLagHarness;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark suite (src/jmh/java, BENCHMARKS.md) compiling and working: one short in-process iteration of
 * every JMH benchmark with tiny sizes, then the two harness mains with tiny sizes, then the report over their
 * results. The real measurements run only with {@code -Pbench}; this checks that each one runs and produces a result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchmarkSmokeTest {

    /** benchmark method [size] of every result the suite must produce */
    private static final Set<String> EXPECTED = Set.of(
            "LocalReadBenchmark.composite", "LocalReadBenchmark.plain",
            "LocalQueryBenchmark.composite", "LocalQueryBenchmark.plain",
            "LocalWriteBenchmark.composite size=1", "LocalWriteBenchmark.plain size=1",
            "LocalWriteBenchmark.composite size=100", "LocalWriteBenchmark.plain size=100",
            "LocalWriteReferenceBenchmark.composite", "LocalWriteReferenceBenchmark.plain",
            "CaptureVsEnversBenchmark.captured", "CaptureVsEnversBenchmark.envers",
            "ReplayVsJdbcBenchmark.sync", "ReplayVsJdbcBenchmark.jdbc",
            "ReplayCollectionsVsJdbcBenchmark.sync", "ReplayCollectionsVsJdbcBenchmark.jdbc",
            "ReplayStampedVsJdbcBenchmark.sync", "ReplayStampedVsJdbcBenchmark.jdbc",
            "ReplayUpdatesVsJdbcBenchmark.sync", "ReplayUpdatesVsJdbcBenchmark.jdbc",
            "ReplayVsJdbcMariaDbBenchmark.sync", "ReplayVsJdbcMariaDbBenchmark.jdbc");

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void every_jmh_benchmark_runs_one_short_iteration() throws Exception {
        // a full benchmark run may hold JMH's lock file on this machine; an in-process smoke run does not need it
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include("io\\.dbcomposite\\.bench\\..*Benchmark\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .param("changes", "1000")
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve("jmh-result.json").toString())
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("io.dbcomposite.bench.", "");
            String size = r.getParams().getParam("size");
            ran.add(name.startsWith("LocalWriteBenchmark") ? name + " size=" + size : name);
            assertThat(r.getPrimaryResult().getScore()).as(name).isPositive().isFinite();
        }
        assertThat(ran).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void backlog_harness_drains_a_small_backlog() throws Exception {
        BacklogHarness.Result r = BacklogHarness.run(2000, 1000, quiet);

        assertThat(r.reference().changes()).isEqualTo(1000);
        assertThat(r.backlog().changes()).isEqualTo(2000);
        assertThat(r.backlog().changesPerSecond()).isPositive();
        assertThat(r.backlog().peakHeapPoolSum()).isPositive();
        assertThat(r.rateRatio()).isPositive().isFinite();
        BenchReport.writeJson(r, dir.resolve("backlog-result.json"));
    }

    @Test
    @Order(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sync_lag_harness_sees_every_write_on_the_remote() throws Exception {
        SyncLagHarness.Result r = SyncLagHarness.run(50, 2, 0, quiet);

        assertThat(r.writes()).isEqualTo(100);
        assertThat(r.missing()).isZero();
        assertThat(r.p50Ms()).isPositive();
        assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
        BenchReport.writeJson(r, dir.resolve("sync-lag-result.json"));
    }

    @Test
    @Order(3)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replay_pairs_harness_times_both_sides_of_each_pair() throws Exception {
        io.dbcomposite.bench.ReplayPairsHarness.Result r = io.dbcomposite.bench.ReplayPairsHarness.run(2, 0, 1000, 500, quiet);

        for (io.dbcomposite.bench.ReplayPairsHarness.Row row : java.util.List.of(r.replay(), r.collections())) {
            assertThat(row.ratios()).as(row.name()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(row.syncMs()[i]).as(row.name()).isPositive();
                assertThat(row.ratios()[i]).as(row.name()).isEqualTo(row.jdbcMs()[i] / row.syncMs()[i]);
                // the JVM did work on both sides (its CPU clock is read on every platform the tests run on); the
                // PostgreSQL server's CPU is read where /proc shows the server's processes (a server on this host)
                assertThat(row.syncJvmCpuMs()[i]).as(row.name()).isPositive();
                assertThat(row.jdbcJvmCpuMs()[i]).as(row.name()).isPositive();
                if (io.dbcomposite.bench.ReplayPairsHarness.serverCpuMs() >= 0) {
                    // read, not the "cannot be read" mark
                    assertThat(row.syncServerCpuMs()[i]).as(row.name()).isNotEqualTo(-1.0);
                    assertThat(row.jdbcServerCpuMs()[i]).as(row.name()).isNotEqualTo(-1.0);
                }
            }
            assertThat(row.medianRatio()).as(row.name()).isEqualTo((row.ratios()[0] + row.ratios()[1]) / 2);
        }
    }

    @Test
    @Order(4)
    void report_has_every_row_of_the_summary_table() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchReport.report(dir.resolve("jmh-result.json"), dir.resolve("backlog-result.json"),
                dir.resolve("sync-lag-result.json"), new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);

        for (String row : new String[] {"local-read", "local-query", "local-write-1", "local-write-100", "capture-vs-envers",
                "replay-vs-jdbc", "replay-collections-vs-jdbc", "replay-vs-jdbc-mariadb", "backlog-1m", "sync-lag"}) {
            assertThat(report).contains("| " + row + " |");
        }
    }
}
