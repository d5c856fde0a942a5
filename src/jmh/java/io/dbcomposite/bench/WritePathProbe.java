package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.testing.PostgresTestDatabase;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * A diagnostic for the local-write rows (not part of the measured suite): splits the cost of a write transaction
 * into the facade and the capture, and counts the SQLite pages each variant writes per transaction.
 *
 * <p>For each variant, on a fresh SQLite file: {@code n} warm-up transactions, then {@code n} measured ones of
 * {@code size} new items each, with a reader transaction held open so that no checkpoint resets the WAL while
 * they run (the WAL's growth is then the pages written, at 4,096 + 24 bytes a frame). Variants:
 * <ul>
 *   <li>{@code plain}: plain Hibernate (the baseline);</li>
 *   <li>{@code facade}: the composite unit with the entity routed {@code sync=NONE} (facade, no capture);</li>
 *   <li>{@code captured}: the composite unit, default routing (captured into the sync log);</li>
 *   <li>{@code envers}: plain Hibernate with Envers auditing the entity.</li>
 * </ul>
 * The timed loop runs separately from the page count, without the reader (checkpoints included, as in the
 * benchmark). Arguments: {@code [size=1] [transactions=5000] [rounds=3]}; each variant's figures are the median
 * over the rounds, and the variants alternate within a round.
 */
public final class WritePathProbe {

    private static final String[] VARIANTS = {"plain", "facade", "captured", "envers"};

    private WritePathProbe() {
    }

    public static void main(String[] args) throws SQLException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        double[][] mean = new double[VARIANTS.length][rounds];
        double[][] median = new double[VARIANTS.length][rounds];
        double[][] pages = new double[VARIANTS.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < VARIANTS.length; v++) {
                double[] m = measure(VARIANTS[v], size, n);
                mean[v][r] = m[0];
                median[v][r] = m[1];
                pages[v][r] = m[2];
            }
        }
        System.out.printf(Locale.ROOT, "%d-item transactions, %d per variant and round, %d rounds (medians over rounds)%n", size, n, rounds);
        System.out.println("| variant | mean us/tx | median us/tx | pages written/tx | mean vs plain |");
        System.out.println("|---|---|---|---|---|");
        double plain = med(mean[0]);
        for (int v = 0; v < VARIANTS.length; v++) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.2f |%n", VARIANTS[v], med(mean[v]), med(median[v]),
                    med(pages[v]), med(mean[v]) / plain);
        }
        System.exit(0);
    }

    /** @return mean us/tx, median us/tx, pages/tx */
    private static double[] measure(String variant, int size, int n) throws SQLException {
        try (BenchDatabases db = BenchDatabases.create("write_path")) {
            CompositeEntityManagerFactory captured = db.composite(false, null);
            CompositeEntityManagerFactory facade = null;
            try {
                if (variant.equals("facade")) {
                    facade = CompositePersistence.builder().name("bench-facade").local(db.sqliteUrl())
                            .remote(db.pgUrl(), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                            .entities(BenchItem.class)
                            .route(BenchItem.class, Routing.builder().sync(Sync.NONE).build())
                            .syncEnabled(false)
                            .property("hibernate.integration.envers.enabled", "false")
                            .build();
                }
                SessionFactory sf = variant.equals("envers") ? db.envers() : db.plain();
                CompositeEntityManagerFactory unit = facade != null ? facade : captured;
                long k = 0;
                for (int i = 0; i < n; i++) {
                    write(variant, unit, sf, size, k++);
                }
                long[] t = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    write(variant, unit, sf, size, k++);
                    t[i] = System.nanoTime() - t0;
                }
                // pages: a reader holds the WAL so that it only grows
                Path wal = Path.of(db.sqliteUrl().substring("jdbc:sqlite:".length()) + "-wal");
                try (Connection c = db.sqlite(); Statement s = c.createStatement()) {
                    s.execute("pragma wal_checkpoint(TRUNCATE)");
                }
                int counted = Math.min(n, size == 1 ? 2000 : 200);
                double pages;
                try (Connection reader = db.sqlite()) {
                    reader.setAutoCommit(false);
                    try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("select count(*) from bench_item")) {
                        rs.next();
                    }
                    long before = Files.exists(wal) ? sizeOf(wal) : 0;
                    for (int i = 0; i < counted; i++) {
                        write(variant, unit, sf, size, k++);
                    }
                    pages = (sizeOf(wal) - before) / 4120.0 / counted;
                    reader.rollback();
                }
                long[] sorted = t.clone();
                Arrays.sort(sorted);
                return new double[] {Arrays.stream(t).average().orElse(0) / 1e3, sorted[n / 2] / 1e3, pages};
            } finally {
                if (facade != null) {
                    facade.close();
                }
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(String variant, CompositeEntityManagerFactory unit, SessionFactory sf, int size, long k) {
        if (variant.equals("plain") || variant.equals("envers")) {
            try (Session s = sf.openSession()) {
                s.getTransaction().begin();
                for (int j = 0; j < size; j++) {
                    s.persist(BenchItem.numbered(k * size + j));
                }
                s.getTransaction().commit();
            }
        } else {
            try (EntityManager em = unit.createEntityManager()) {
                em.getTransaction().begin();
                for (int j = 0; j < size; j++) {
                    em.persist(BenchItem.numbered(k * size + j));
                }
                em.getTransaction().commit();
            }
        }
    }

    private static double med(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
