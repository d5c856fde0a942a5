package io.dbcomposite.bench;

import io.dbcomposite.CompositeEntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A diagnostic for the replay-vs-jdbc row (not part of the measured suite): does a Hibernate 7.4
 * {@code StatelessSession} batch its upserts (a {@code MERGE} on PostgreSQL 15) when given a JDBC batch size?
 * Writes {@code rows} items to the composite unit's remote table through the remote SessionFactory, 500 per
 * transaction as the sync engine does, with {@code upsert} one at a time (what the engine does), with
 * {@code setJdbcBatchSize(500)}, and with {@code upsertMultiple}. Arguments: {@code [rows=100000] [rounds=3]}.
 */
public final class UpsertBatchProbe {

    private UpsertBatchProbe() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.lang.reflect.Field idField = BenchItem.class.getDeclaredField("id");
        idField.setAccessible(true);
        try (BenchDatabases db = BenchDatabases.create("upsert_batch")) {
            CompositeEntityManagerFactory emf = db.composite(false, null);
            SessionFactory remote = emf.remoteFactory();
            System.out.println("| round | mode | rows/s |");
            System.out.println("|---|---|---|");
            for (int round = 1; round <= rounds; round++) {
                for (String mode : new String[] {"upsert, no batch (the engine)", "upsert, setJdbcBatchSize(500)", "upsertMultiple(500)"}) {
                    db.pgExecute("truncate table bench_item");
                    long t0 = System.nanoTime();
                    for (int from = 0; from < rows; from += BenchDatabases.BATCH) {
                        List<Object> items = new ArrayList<>();
                        for (int i = from; i < Math.min(rows, from + BenchDatabases.BATCH); i++) {
                            BenchItem item = BenchItem.numbered(i);
                            idField.set(item, (long) i + 1);
                            items.add(item);
                        }
                        try (StatelessSession s = remote.openStatelessSession()) {
                            if (!mode.contains("no batch")) {
                                s.setJdbcBatchSize(BenchDatabases.BATCH);
                            }
                            Transaction tx = s.beginTransaction();
                            if (mode.startsWith("upsertMultiple")) {
                                s.upsertMultiple(items);
                            } else {
                                items.forEach(s::upsert);
                            }
                            tx.commit();
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long landed = db.pgCount("bench_item");
                    if (landed != rows) {
                        throw new IllegalStateException(landed + " rows on PostgreSQL, expected " + rows);
                    }
                    System.out.printf(Locale.ROOT, "| %d | %s | %,.0f |%n", round, mode, rows / seconds);
                }
            }
        }
        System.exit(0);
    }
}
