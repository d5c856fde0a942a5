package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Row {@code sync-lag}: the time from a local commit to the row being visible on PostgreSQL, with the background
 * job on at its default interval (1 s) and a steady writer: {@code rate} transactions a second (each persisting
 * one item) for {@code seconds}, after {@code warmup} seconds at the same rate that are not counted.
 *
 * <p>The writer records each item's id and the instant its commit returned; a poller queries PostgreSQL
 * ({@code select id from bench_item where id > ?}) every 10 ms on its own connection and records when each id
 * first shows. Lag = first seen - committed, so it includes up to 10 ms of polling granularity.
 *
 * <p>Arguments: {@code [rate=500] [seconds=60] [warmup=10] [result file=target/sync-lag-result.json]}.
 */
public final class SyncLagHarness {

    static final long DEFAULT_INTERVAL_MS = 1000;
    static final long POLL_MS = 10;

    /**
     * The lags of the measured writes (ms), and the writer's own figures.
     *
     * @param intervalMs the job's interval (the default)
     * @param achievedRate measured writes / measured seconds
     * @param missing measured writes never seen on PostgreSQL (within 30 s after the writer stopped)
     * @param maxScheduleSlipMs how late the writer started a write, at most (a commit stuck on the SQLite lock)
     */
    public record Result(int rate, int seconds, int warmupSeconds, long intervalMs, long writes, double achievedRate,
                         long missing, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                         double minMs, double commitP50Ms, double commitP99Ms, double commitMaxMs,
                         double maxScheduleSlipMs) {
    }

    private SyncLagHarness() {
    }

    public static void main(String[] args) throws IOException {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path out = Path.of(args.length > 3 ? args[3] : "target/sync-lag-result.json");
        if (args.length > 4) {
            // dbcomposite.sync.after-commit of the unit: "off" measures the interval alone
            System.setProperty("bench.after-commit", args[4]);
        }
        Result r = run(rate, seconds, warmup, System.out);
        BenchReport.writeJson(r, out);
        System.out.println("result written to " + out.toAbsolutePath());
        System.exit(0);
    }

    public static Result run(int rate, int seconds, int warmup, PrintStream log) {
        int total = rate * (seconds + warmup);
        int measuredFrom = rate * warmup;
        long[] ids = new long[total];
        long[] committed = new long[total];
        long[] commitTook = new long[total];
        Map<Long, Long> visible = new ConcurrentHashMap<>(total * 2);
        try (BenchDatabases db = BenchDatabases.create("sync_lag")) {
            CompositeEntityManagerFactory emf = db.composite(true, null); // the default interval
            Poller poller = new Poller(db, visible);
            poller.start();
            log.printf(Locale.ROOT, "sync-lag harness: %d writes/s for %d s after %d s of warm-up, job interval %d ms (default)%n",
                    rate, seconds, warmup, DEFAULT_INTERVAL_MS);
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long maxSlip = 0;
            long n = 0;
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (i >= measuredFrom) {
                    maxSlip = Math.max(maxSlip, now - due);
                }
                try (EntityManager em = emf.createEntityManager()) {
                    em.getTransaction().begin();
                    BenchItem item = BenchItem.numbered(n++);
                    em.persist(item);
                    em.getTransaction().commit();
                    committed[i] = System.nanoTime();
                    commitTook[i] = committed[i] - now;
                    ids[i] = item.getId();
                }
            }
            double measuredSeconds = (committed[total - 1] - (start + (long) measuredFrom * period)) / 1e9;
            long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < waitUntil && !visible.containsKey(ids[total - 1])) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            poller.stop();

            int measured = total - measuredFrom;
            double[] lags = new double[measured];
            double[] commits = new double[measured];
            int seen = 0;
            for (int i = measuredFrom; i < total; i++) {
                commits[i - measuredFrom] = commitTook[i] / 1e6;
                Long at = visible.get(ids[i]);
                if (at != null) {
                    lags[seen++] = Math.max(0, at - committed[i]) / 1e6;
                }
            }
            double[] l = Arrays.copyOf(lags, seen);
            Arrays.sort(l);
            Arrays.sort(commits);
            if (seen == 0) {
                throw new IllegalStateException("no write became visible on PostgreSQL; sync status " + emf.getSyncStatus());
            }
            Result r = new Result(rate, seconds, warmup, DEFAULT_INTERVAL_MS, measured, measured / measuredSeconds,
                    measured - seen, pct(l, 50), pct(l, 90), pct(l, 99), pct(l, 99.9), l[l.length - 1], l[0],
                    pct(commits, 50), pct(commits, 99), commits[commits.length - 1], maxSlip / 1e6);
            log.printf(Locale.ROOT, "%,d writes at %.1f/s: lag p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms;"
                            + " %d never seen; commit p50 %.2f ms, p99 %.2f ms, max %.1f ms; writer late by %.1f ms at most%n",
                    r.writes(), r.achievedRate(), r.p50Ms(), r.p90Ms(), r.p99Ms(), r.maxMs(), r.missing(),
                    r.commitP50Ms(), r.commitP99Ms(), r.commitMaxMs(), r.maxScheduleSlipMs());
            return r;
        }
    }

    /** @return the nearest-rank percentile of sorted values */
    static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Polls PostgreSQL for new ids every 10 ms and records when each one first shows. */
    private static final class Poller {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        Poller(BenchDatabases db, Map<Long, Long> visible) {
            thread = new Thread(() -> {
                long last = 0;
                try (Connection c = db.pg();
                     PreparedStatement ps = c.prepareStatement("select id from bench_item where id > ? order by id")) {
                    while (running) {
                        long next = System.nanoTime() + POLL_MS * 1_000_000;
                        ps.setLong(1, last);
                        try (ResultSet rs = ps.executeQuery()) {
                            long now = System.nanoTime();
                            while (rs.next()) {
                                long id = rs.getLong(1);
                                visible.putIfAbsent(id, now);
                                last = Math.max(last, id);
                            }
                        }
                        long wait;
                        while (running && (wait = next - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                } catch (SQLException e) {
                    failure = new IllegalStateException("poller failed", e);
                }
            }, "sync-lag-poller");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
