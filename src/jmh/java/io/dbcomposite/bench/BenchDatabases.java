package io.dbcomposite.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.testing.DatabasePair;
import jakarta.persistence.EntityManager;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The databases of one benchmark trial: a fresh SQLite file (in a temp folder) that the composite unit creates
 * and that the plain-Hibernate and Envers baselines then open too, and a fresh PostgreSQL schema as the remote (or a
 * fresh MariaDB database: {@link #create(String, DatabasePair)}; the {@code pg*} helpers then work on it).
 *
 * <p>The baselines' SQLite pool is configured exactly like the library's local pool
 * ({@code io.dbcomposite.internal.boot.DataSources}): WAL, {@code busy_timeout=30000},
 * {@code transaction_mode=IMMEDIATE}, {@code synchronous=NORMAL}, {@code foreign_keys=true}, dates as text, at most 8
 * connections; and their SessionFactory like the library's local side: the SQLite community dialect, the
 * legacy column order, {@code hibernate.jdbc.time_zone=UTC}.
 */
public final class BenchDatabases implements AutoCloseable {

    /** The engine's default batch, and the size of the local transactions that fill the sync log. */
    public static final int BATCH = 500;

    private final Path dir;
    private final String sqliteUrl;
    private final String schema;
    private final DatabasePair pair;
    private CompositeEntityManagerFactory composite;
    private SessionFactory plain;
    private HikariDataSource plainPool;
    private SessionFactory envers;
    private HikariDataSource enversPool;
    private long filled;

    private BenchDatabases(String name, DatabasePair pair) {
        this.pair = pair;
        try {
            this.dir = Files.createTempDirectory("dbc-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.sqliteUrl = "jdbc:sqlite:" + dir.resolve("local.db").toAbsolutePath();
        this.schema = pair.createRemote("bench_" + name);
    }

    /** @param name what the databases are for (part of the folder and schema names) */
    public static BenchDatabases create(String name) {
        return new BenchDatabases(name, DatabasePair.SQLITE_POSTGRESQL);
    }

    /**
     * @param name what the databases are for (part of the folder and schema names)
     * @param pair the remote of the pair is the benchmark's remote (its local side is always a SQLite file)
     */
    public static BenchDatabases create(String name, DatabasePair pair) {
        return new BenchDatabases(name, pair);
    }

    public String sqliteUrl() {
        return sqliteUrl;
    }

    public String schema() {
        return schema;
    }

    /** @return the remote's URL (PostgreSQL unless another pair was given) */
    public String pgUrl() {
        return pair.remoteUrl(schema);
    }

    /**
     * Builds the composite unit on these databases; it creates the schema on both sides ({@code hbm2ddl=create}).
     *
     * @param syncEnabled whether the background job runs
     * @param interval the job's interval, or null for the default (1 s)
     */
    public CompositeEntityManagerFactory composite(boolean syncEnabled, Duration interval) {
        return composite(syncEnabled, interval, BenchItem.class);
    }

    /**
     * @return a composite unit of {@link BenchItem} and {@link BenchLine}, whose lines refer to items by foreign key (the
     *     other benchmarks leave lines out: the key would keep their replays from truncating the remote's items)
     */
    public CompositeEntityManagerFactory compositeWithLines() {
        return composite(false, null, BenchItem.class, BenchLine.class);
    }

    /** @return a composite unit of {@link BenchLabelled} alone (the collections workload; job off) */
    public CompositeEntityManagerFactory compositeWithCollections() {
        return composite(false, null, BenchLabelled.class);
    }

    /** @return a composite unit of {@link BenchStamped} alone (the generated-times workload; job off) */
    public CompositeEntityManagerFactory compositeWithStamps() {
        return composite(false, null, BenchStamped.class);
    }

    private CompositeEntityManagerFactory composite(boolean syncEnabled, Duration interval, Class<?>... entities) {
        if (composite != null) {
            throw new IllegalStateException("composite unit already built");
        }
        CompositePersistence.Builder b = CompositePersistence.builder()
                .name("bench")
                .local(sqliteUrl)
                .remote(pgUrl(), pair.remoteUser(), pair.remotePassword())
                .entities(entities)
                .syncEnabled(syncEnabled)
                .property("hibernate.hbm2ddl.auto", "create")
                .property("hibernate.integration.envers.enabled", "false");
        if (interval != null) {
            b.syncInterval(interval);
        }
        String afterCommit = System.getProperty("bench.after-commit");
        if (afterCommit != null) {
            b.property(io.dbcomposite.CompositeSettings.SYNC_AFTER_COMMIT, afterCommit);
        }
        composite = b.build();
        return composite;
    }

    /** @return the composite unit built by {@link #composite(boolean, Duration)} */
    public CompositeEntityManagerFactory composite() {
        return composite;
    }

    /** @return plain Hibernate on the same SQLite file, no capture, no Envers (build the composite unit first) */
    public SessionFactory plain() {
        if (plain == null) {
            plainPool = sqlitePool(sqliteUrl, "bench-plain");
            plain = sessionFactory(plainPool, false);
        }
        return plain;
    }

    /**
     * @return plain Hibernate on this file alone, which it creates itself with the community SQLite dialect (no foreign
     *     keys): the baseline of {@link LocalWriteReferenceBenchmark} (build no composite unit on this instance)
     */
    public SessionFactory plainCreating() {
        if (plain == null) {
            plainPool = sqlitePool(sqliteUrl, "bench-plain");
            plain = sessionFactory(plainPool, false, "create");
        }
        return plain;
    }

    /** @return Hibernate with Envers auditing {@link BenchItem} on the same SQLite file (adds the audit tables) */
    public SessionFactory envers() {
        if (envers == null) {
            enversPool = sqlitePool(sqliteUrl, "bench-envers");
            envers = sessionFactory(enversPool, true);
        }
        return envers;
    }

    /** @return a new pool on the SQLite file, configured like the library's local pool */
    public static HikariDataSource sqlitePool(String url, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("date_class", "TEXT");
        config.addDataSourceProperty("date_string_format", "yyyy-MM-dd HH:mm:ss.SSS");
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }

    private static SessionFactory sessionFactory(HikariDataSource pool, boolean withEnvers) {
        return sessionFactory(pool, withEnvers, null);
    }

    private static SessionFactory sessionFactory(HikariDataSource pool, boolean withEnvers, String schemaAction) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect")
                .applySetting("hibernate.column_ordering_strategy", "legacy")
                .applySetting(AvailableSettings.JDBC_TIME_ZONE, "UTC")
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                .applySetting("hibernate.integration.envers.enabled", String.valueOf(withEnvers))
                // the composite unit created bench_item; Envers adds its audit and revision tables
                .applySetting(AvailableSettings.HBM2DDL_AUTO, schemaAction != null ? schemaAction : withEnvers ? "update" : "none")
                .build();
        try {
            MetadataSources sources = new MetadataSources(registry).addAnnotatedClass(BenchItem.class)
                    .addAnnotatedClass(BenchLine.class);
            if (withEnvers) {
                sources.addAnnotatedClass(BenchRevision.class);
            }
            return sources.buildMetadata().buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    /**
     * Persists {@code count} new items through the composite unit, {@code perTransaction} to a local transaction:
     * that many captured changes wait in the sync log afterwards.
     */
    public void fill(long count, int perTransaction) {
        fill(count, perTransaction, BenchItem::numbered);
    }

    /**
     * Persists {@code count} new {@link BenchLabelled} entities, {@code perTransaction} to a local transaction: that
     * many captured changes (each with its labels) wait in the sync log afterwards.
     */
    public void fillLabelled(long count, int perTransaction) {
        fill(count, perTransaction, BenchLabelled::numbered);
    }

    /** Persists {@code count} new {@link BenchStamped} entities, {@code perTransaction} to a local transaction. */
    public void fillStamped(long count, int perTransaction) {
        fill(count, perTransaction, BenchStamped::numbered);
    }

    private void fill(long count, int perTransaction, java.util.function.LongFunction<Object> numbered) {
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(perTransaction, count - done);
            try (EntityManager em = composite.createEntityManager()) {
                em.getTransaction().begin();
                for (int i = 0; i < n; i++) {
                    em.persist(numbered.apply(filled++));
                }
                em.getTransaction().commit();
            }
            done += n;
        }
    }

    /**
     * The replay benchmarks' measured call: {@code sync()} of every pending change, checked.
     *
     * @return what it did
     * @throws IllegalStateException if it did not apply exactly {@code changes} changes and leave none
     */
    public static io.dbcomposite.SyncResult syncAll(CompositeEntityManagerFactory unit, int changes) {
        io.dbcomposite.SyncResult r = unit.sync();
        if (r.applied() != changes || r.remaining() != 0) {
            throw new IllegalStateException("sync applied " + r.applied() + " of " + changes + ", " + r.remaining() + " remain");
        }
        return r;
    }

    /** @throws IllegalStateException unless exactly {@code changes} changes wait in the sync log (a fill went wrong) */
    public void expectPending(long changes) {
        long pending = composite.getSyncStatus().pendingChanges();
        if (pending != changes) {
            throw new IllegalStateException("expected " + changes + " pending changes, found " + pending);
        }
    }

    /** Closes a benchmark's own JDBC connections, then these databases. */
    public void closeWith(java.sql.Connection... connections) throws java.sql.SQLException {
        try {
            for (java.sql.Connection c : connections) {
                c.close();
            }
        } finally {
            close();
        }
    }

    /** Binds one local row's values to the baseline's remote statement. */
    @FunctionalInterface
    public interface RowBinder {
        void bind(ResultSet from, java.sql.PreparedStatement to) throws SQLException;
    }

    /**
     * The raw-JDBC baselines' copy: streams a local query's rows into a remote statement, {@code batch} rows a JDBC batch
     * and a remote transaction.
     *
     * @return the rows copied
     */
    public static long copyInBatches(Connection local, String select, Connection remote, String statement, int batch,
                                     RowBinder row) throws SQLException {
        long n = 0;
        remote.setAutoCommit(false);
        try (java.sql.PreparedStatement from = local.prepareStatement(select);
             java.sql.PreparedStatement to = remote.prepareStatement(statement)) {
            from.setFetchSize(batch);
            try (ResultSet rs = from.executeQuery()) {
                while (rs.next()) {
                    row.bind(rs, to);
                    to.addBatch();
                    if (++n % batch == 0) {
                        to.executeBatch();
                        remote.commit();
                    }
                }
            }
            to.executeBatch();
            remote.commit();
        } catch (SQLException | RuntimeException e) {
            remote.rollback();
            throw e;
        } finally {
            remote.setAutoCommit(true);
        }
        return n;
    }

    /** @return a new JDBC connection to the SQLite file (busy timeout set); the caller closes it */
    public Connection sqlite() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("busy_timeout", "30000");
        return java.sql.DriverManager.getConnection(sqliteUrl, p);
    }

    /** @return a new JDBC connection to the remote schema; the caller closes it */
    public Connection pg() throws SQLException {
        return pg(pgUrl());
    }

    /** @return a new JDBC connection to {@code url} with the remote's user and password; the caller closes it */
    public Connection pg(String url) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", pair.remoteUser());
        if (!pair.remotePassword().isEmpty()) {
            p.setProperty("password", pair.remotePassword());
        }
        return java.sql.DriverManager.getConnection(url, p);
    }

    /** Runs statements on the SQLite file, in one transaction. */
    public void sqliteExecute(String... sql) {
        try (Connection c = sqlite(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String q : sql) {
                s.executeUpdate(q);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite statement failed: " + String.join("; ", sql), e);
        }
    }

    /** Runs statements on the PostgreSQL schema, each on its own. */
    public void pgExecute(String... sql) {
        try (Connection c = pg(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL statement failed: " + String.join("; ", sql), e);
        }
    }

    /** @return {@code select count(*)} of a table of the PostgreSQL schema */
    public long pgCount(String table) {
        return pgLong("select count(*) from " + table);
    }

    /** @return the first column of the first row of a query on the PostgreSQL schema */
    public long pgLong(String sql) {
        try (Connection c = pg(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL query failed: " + sql, e);
        }
    }

    /** @return the first column of the first row of a query on the SQLite file */
    public long sqliteLong(String sql) {
        try (Connection c = sqlite(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite query failed: " + sql, e);
        }
    }

    /** Closes every factory and pool, drops the schema and deletes the SQLite files. */
    @Override
    public void close() {
        try {
            if (envers != null) {
                envers.close();
            }
            if (enversPool != null) {
                enversPool.close();
            }
            if (plain != null) {
                plain.close();
            }
            if (plainPool != null) {
                plainPool.close();
            }
            if (composite != null) {
                composite.close();
            }
        } finally {
            try {
                pair.dropRemote(schema);
            } finally {
                deleteDir();
            }
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
