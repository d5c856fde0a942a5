package io.dbcomposite.bench;

import io.dbcomposite.SyncResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Row {@code backlog-1m}: drains a backlog of 1,000,000 pending changes with one {@code emf.sync()} and records
 * changes/s and the heap, then compares the rate with a 100,000-change backlog drained the same way in the same
 * JVM (the reference runs first, after a warm-up drain of the reference size that is not counted). Each backlog
 * is filled through the composite unit in local transactions of 500 items (not timed), on a fresh SQLite file
 * and PostgreSQL schema.
 *
 * <p>Run it with {@code -Xmx256m}: completing at all proves the drain fits in 256 MB; the measured peak is
 * reported too. {@code mvn -B -Pbench test-compile exec:exec@backlog} does that (see BENCHMARKS.md).
 *
 * <p>Arguments: {@code [backlog=1000000] [reference=100000] [result file=target/backlog-result.json]}.
 */
public final class BacklogHarness {

    /** One drained backlog. */
    public record Run(long changes, double fillSeconds, double drainSeconds, double changesPerSecond,
                      long peakHeapPoolSum, long maxHeapSampled, long maxHeapAfterGc, long collections,
                      long collectionMillis) {
    }

    /** Both backlogs; {@code rateRatio} = backlog rate / reference rate. */
    public record Result(Run reference, Run backlog, double rateRatio, long maxHeap) {
    }

    private BacklogHarness() {
    }

    public static void main(String[] args) throws IOException {
        long backlog = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        long reference = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 100_000;
        Path out = Path.of(args.length > 2 ? args[2] : "target/backlog-result.json");
        Result r = run(backlog, reference, System.out);
        BenchReport.writeJson(r, out);
        System.out.println("result written to " + out.toAbsolutePath());
        System.exit(0);
    }

    /** Drains the reference backlog, then the big one; prints progress to {@code log}. */
    public static Result run(long backlog, long reference, PrintStream log) {
        log.printf(Locale.ROOT, "backlog harness: max heap %d MB, JDK %s%n", HeapMonitor.maxHeap() >> 20, Runtime.version());
        log.printf(Locale.ROOT, "warm-up (not counted):%n");
        drain(reference, log);
        Run ref = drain(reference, log);
        Run big = drain(backlog, log);
        Result r = new Result(ref, big, big.changesPerSecond() / ref.changesPerSecond(), HeapMonitor.maxHeap());
        log.printf(Locale.ROOT, "backlog %,d: %,.0f changes/s; reference %,d: %,.0f changes/s; ratio %.3f; peak heap %.1f MB"
                        + " (pool peaks summed), %.1f MB live after GC%n",
                big.changes(), big.changesPerSecond(), ref.changes(), ref.changesPerSecond(), r.rateRatio(),
                big.peakHeapPoolSum() / 1048576.0, big.maxHeapAfterGc() / 1048576.0);
        return r;
    }

    private static Run drain(long changes, PrintStream log) {
        try (BenchDatabases db = BenchDatabases.create("backlog_" + changes)) {
            db.composite(false, null);
            long t0 = System.nanoTime();
            db.fill(changes, BenchDatabases.BATCH);
            double fill = (System.nanoTime() - t0) / 1e9;
            long pending = db.composite().getSyncStatus().pendingChanges();
            if (pending != changes) {
                throw new IllegalStateException("expected " + changes + " pending changes, found " + pending);
            }
            log.printf(Locale.ROOT, "%,d changes captured in %.1f s; draining...%n", changes, fill);
            Progress progress = new Progress(db, changes, log);
            SyncResult result;
            double seconds;
            HeapMonitor heap = HeapMonitor.start();
            try (heap) {
                progress.start();
                long s0 = System.nanoTime();
                result = db.composite().sync();
                seconds = (System.nanoTime() - s0) / 1e9;
            } finally {
                progress.stop();
            }
            long landed = db.pgCount("bench_item");
            if (result.applied() != changes || result.remaining() != 0 || landed != changes) {
                throw new IllegalStateException("drain incomplete: applied " + result.applied() + ", remaining "
                        + result.remaining() + ", on PostgreSQL " + landed + " of " + changes);
            }
            Run run = new Run(changes, fill, seconds, changes / seconds, heap.peakPoolSum(), heap.maxSampledUsed(),
                    heap.maxSampledAfterGc(), heap.collections(), heap.collectionMillis());
            log.printf(Locale.ROOT, "%,d changes drained in %.1f s: %,.0f changes/s, peak heap %.1f MB (pool peaks summed),"
                            + " %.1f MB sampled, %.1f MB after GC, %d collections (%d ms)%n", changes, seconds,
                    run.changesPerSecond(), run.peakHeapPoolSum() / 1048576.0, run.maxHeapSampled() / 1048576.0,
                    run.maxHeapAfterGc() / 1048576.0, run.collections(), run.collectionMillis());
            return run;
        }
    }

    /** Prints how many rows reached PostgreSQL every 15 s (the rate over time shows whether a drain slows down). */
    private static final class Progress {
        private final Thread thread;
        private volatile boolean running = true;

        Progress(BenchDatabases db, long total, PrintStream log) {
            thread = new Thread(() -> {
                long start = System.nanoTime();
                long lastCount = 0;
                long lastTime = start;
                while (running) {
                    try {
                        Thread.sleep(15_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long now = System.nanoTime();
                    long count = db.pgCount("bench_item");
                    log.printf(Locale.ROOT, "  %5.0f s: %,d of %,d on PostgreSQL (%,.0f changes/s over the last interval)%n",
                            (now - start) / 1e9, count, total, (count - lastCount) / ((now - lastTime) / 1e9));
                    lastCount = count;
                    lastTime = now;
                }
            }, "backlog-progress");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }
    }
}
