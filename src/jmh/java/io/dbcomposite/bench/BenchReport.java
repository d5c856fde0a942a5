package io.dbcomposite.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the summary table of BENCHMARKS.md (and one line per JMH result) from the result files of a run:
 * {@code [jmh json=target/jmh-result.json] [backlog=target/backlog-result.json] [sync lag=target/sync-lag-result.json]};
 * the first may list several JMH files separated by commas (a later one replaces the results it repeats).
 * A missing file leaves its rows "not run". Medians are the JMH percentile 50 over every measured iteration
 * of every fork; the error is JMH's 99.9% confidence half-width of the mean; a ratio's error combines the two
 * relative errors.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchReport() {
    }

    /** One JMH result. */
    record Jmh(String benchmark, Map<String, String> params, String mode, double median, double mean, double error,
               String unit, int forks, int iterations) {
        double relError() {
            return Double.isNaN(error) ? 0 : error / mean;
        }
    }

    public static void main(String[] args) throws IOException {
        Path jmh = Path.of(args.length > 0 ? args[0] : "target/jmh-result.json");
        Path backlog = Path.of(args.length > 1 ? args[1] : "target/backlog-result.json");
        Path lag = Path.of(args.length > 2 ? args[2] : "target/sync-lag-result.json");
        report(jmh, backlog, lag, System.out);
    }

    /** Prints the summary table and the JMH details from the three result files (missing ones print "not run"). */
    public static void report(Path jmh, Path backlog, Path lag, PrintStream out) throws IOException {
        print(read(jmh), Files.exists(backlog) ? JSON.readTree(backlog.toFile()) : null,
                Files.exists(lag) ? JSON.readTree(lag.toFile()) : null, out);
    }

    /** Writes a harness result as indented JSON. */
    public static void writeJson(Object result, Path out) throws IOException {
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    }

    /**
     * @param files one JMH JSON result file, or several separated by commas: a result of a later file replaces the
     *              one of an earlier file for the same benchmark and parameters (a re-run of some benchmarks)
     */
    static List<Jmh> read(Path files) throws IOException {
        List<Jmh> out = new ArrayList<>();
        for (String name : files.toString().split(",")) {
            for (Jmh j : readOne(Path.of(name.trim()))) {
                out.removeIf(o -> o.benchmark().equals(j.benchmark()) && o.params().equals(j.params()));
                out.add(j);
            }
        }
        out.sort(java.util.Comparator.comparing(Jmh::benchmark).thenComparing(j -> j.params().toString()));
        return out;
    }

    private static List<Jmh> readOne(Path file) throws IOException {
        List<Jmh> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (JsonNode r : JSON.readTree(file.toFile())) {
            Map<String, String> params = new java.util.TreeMap<>();
            JsonNode p = r.get("params");
            if (p != null) {
                for (Map.Entry<String, JsonNode> e : p.properties()) {
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            JsonNode m = r.get("primaryMetric");
            int iterations = 0;
            for (JsonNode fork : m.get("rawData")) {
                iterations += fork.size();
            }
            out.add(new Jmh(r.get("benchmark").asText(), params, r.get("mode").asText(),
                    m.get("scorePercentiles").get("50.0").asDouble(), m.get("score").asDouble(),
                    m.get("scoreError").asDouble(), m.get("scoreUnit").asText(), r.get("forks").asInt(), iterations));
        }
        return out;
    }

    static Jmh find(List<Jmh> results, String benchmark, String param, String value) {
        for (Jmh j : results) {
            if (j.benchmark().equals("io.dbcomposite.bench." + benchmark)
                    && (param == null || value.equals(j.params().get(param)))) {
                return j;
            }
        }
        return null;
    }

    static void print(List<Jmh> results, JsonNode backlog, JsonNode lag, PrintStream out) {
        out.println("| row | what | ours (median) | baseline (median) | goal | met | ratio |");
        out.println("|---|---|---|---|---|---|---|");
        timeRow(out, "local-read", "find by id, composite EM vs plain Hibernate, same SQLite file",
                find(results, "LocalReadBenchmark.composite", null, null), find(results, "LocalReadBenchmark.plain", null, null), 1.05);
        timeRow(out, "local-query", "100-row JPQL query, composite vs plain Hibernate",
                find(results, "LocalQueryBenchmark.composite", null, null), find(results, "LocalQueryBenchmark.plain", null, null), 1.05);
        timeRow(out, "local-write-1", "1-entity transaction, captured vs plain Hibernate",
                find(results, "LocalWriteBenchmark.composite", "size", "1"), find(results, "LocalWriteBenchmark.plain", "size", "1"), 1.25);
        timeRow(out, "local-write-100", "100-entity transaction, captured vs plain Hibernate",
                find(results, "LocalWriteBenchmark.composite", "size", "100"), find(results, "LocalWriteBenchmark.plain", "size", "100"), 1.5);
        timeRow(out, "capture-vs-envers", "100-entity transaction, captured vs Envers",
                find(results, "CaptureVsEnversBenchmark.captured", null, null), find(results, "CaptureVsEnversBenchmark.envers", null, null), 1.0);
        replayRow(out, "replay-vs-jdbc", "PostgreSQL", "changes", find(results, "ReplayVsJdbcBenchmark.sync", null, null),
                find(results, "ReplayVsJdbcBenchmark.jdbc", null, null), 0.9);
        replayRow(out, "replay-collections-vs-jdbc", "PostgreSQL", "inserts of entities with 2 labels",
                find(results, "ReplayCollectionsVsJdbcBenchmark.sync", null, null),
                find(results, "ReplayCollectionsVsJdbcBenchmark.jdbc", null, null), 0.9);
        replayRow(out, "replay-vs-jdbc-mariadb", "MariaDB", "changes", find(results, "ReplayVsJdbcMariaDbBenchmark.sync", null, null),
                find(results, "ReplayVsJdbcMariaDbBenchmark.jdbc", null, null), 0.7);
        backlogRow(out, backlog);
        lagRow(out, lag);
        out.println();
        out.println("| benchmark | params | mode | forks x iterations | median | mean ± error (99.9%) | unit |");
        out.println("|---|---|---|---|---|---|---|");
        for (Jmh j : results) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %d x %d | %s | %s ± %s | %s |%n",
                    j.benchmark().replace("io.dbcomposite.bench.", ""), j.params().isEmpty() ? "" : j.params(), j.mode(),
                    j.forks(), j.iterations() / Math.max(1, j.forks()), num(j.median()), num(j.mean()), num(j.error()), j.unit());
        }
    }

    private static void timeRow(PrintStream out, String row, String what, Jmh ours, Jmh base, double goal) {
        if (ours == null || base == null) {
            out.printf("| %s | %s | not run | not run | ratio <= %s | - | - |%n", row, what, goal);
            return;
        }
        double ratio = ours.median() / base.median();
        double err = ratio * Math.hypot(ours.relError(), base.relError());
        out.printf(Locale.ROOT, "| %s | %s | %s %s (± %s) | %s %s (± %s) | ratio <= %s | %s | %.3f ± %.3f |%n", row, what,
                num(ours.median()), ours.unit(), num(ours.error()), num(base.median()), base.unit(), num(base.error()), goal,
                ratio <= goal ? "yes" : "**no**", ratio, err);
    }

    private static void replayRow(PrintStream out, String row, String remote, String kind, Jmh ours, Jmh base, double goal) {
        String what = "replay 100,000 pending " + kind + " to " + remote + ": sync() vs raw JDBC batched upsert (throughput)";
        if (ours == null || base == null) {
            out.printf(Locale.ROOT, "| %s | %s | not run | not run | ratio >= %s | - | - |%n", row, what, goal);
            return;
        }
        double changes = Double.parseDouble(ours.params().get("changes"));
        double oursRate = changes / (ours.median() / 1000);
        double baseRate = changes / (base.median() / 1000);
        double ratio = oursRate / baseRate;
        double err = ratio * Math.hypot(ours.relError(), base.relError());
        out.printf(Locale.ROOT, "| %s | %s | %,.0f changes/s (%s ms ± %s) | %,.0f changes/s (%s ms ± %s) | ratio >= %s | %s | %.3f ± %.3f |%n",
                row, what.replace("100,000", String.format(Locale.ROOT, "%,.0f", changes)), oursRate, num(ours.median()), num(ours.error()),
                baseRate, num(base.median()), num(base.error()), goal, ratio >= goal ? "yes" : "**no**", ratio, err);
    }

    private static void backlogRow(PrintStream out, JsonNode b) {
        String what = "drain 1,000,000 pending changes with -Xmx256m: changes/s, peak heap; vs the 100,000 drain";
        if (b == null) {
            out.printf("| backlog-1m | %s | not run | not run | heap < 256 MB, rate within 20%% | - | - |%n", what);
            return;
        }
        JsonNode big = b.get("backlog");
        JsonNode ref = b.get("reference");
        double ratio = b.get("rateRatio").asDouble();
        double peakMb = big.get("peakHeapPoolSum").asDouble() / 1048576.0;
        boolean met = peakMb < 256 && ratio >= 0.8;
        out.printf(Locale.ROOT, "| backlog-1m | %s | %,.0f changes/s, peak heap %.0f MB (live after GC %.0f MB) | %,.0f changes/s (%,d changes) |"
                        + " heap < 256 MB, rate within 20%% | %s | %.3f |%n",
                what.replace("1,000,000", String.format(Locale.ROOT, "%,d", big.get("changes").asLong())),
                big.get("changesPerSecond").asDouble(), peakMb, big.get("maxHeapAfterGc").asDouble() / 1048576.0,
                ref.get("changesPerSecond").asDouble(), ref.get("changes").asLong(), met ? "yes" : "**no**", ratio);
    }

    private static void lagRow(PrintStream out, JsonNode l) {
        String what = "commit-to-visible lag at 500 writes/s for 60 s, default interval";
        if (l == null) {
            out.printf("| sync-lag | %s | not run | not run | p99 < interval + 250 ms | - | - |%n", what);
            return;
        }
        double interval = l.get("intervalMs").asDouble();
        double p99 = l.get("p99Ms").asDouble();
        boolean met = p99 < interval + 250 && l.get("missing").asLong() == 0;
        out.printf(Locale.ROOT, "| sync-lag | %s | p50 %.0f ms, p99 %.0f ms (max %.0f ms, %d missing; %.0f writes/s achieved) | interval %.0f ms |"
                        + " p99 < %.0f ms | %s | %.3f |%n",
                what.replace("500", l.get("rate").asText()).replace("60 s", l.get("seconds").asText() + " s"),
                l.get("p50Ms").asDouble(), p99, l.get("maxMs").asDouble(), l.get("missing").asLong(),
                l.get("achievedRate").asDouble(), interval, interval + 250, met ? "yes" : "**no**", p99 / interval);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
