package io.dbcomposite.differential;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One routing's run of a model: a plain Hibernate reference and a composite unit, each on databases of its own, fed the
 * same steps. After every step the results are compared, then (after {@code sync()} for the background routing)
 * every table of the composite's two databases and of the reference, over JDBC.
 *
 * <p>The reference is plain Hibernate on the database the routing reads from: a SQLite file for the routings that read
 * LOCAL, a PostgreSQL schema for the one that reads REMOTE. So each result comparison is between two runs of the same
 * database product and needs no normalisation, and the tables the routing reads are compared with the tables plain
 * Hibernate wrote there. The other composite database is then compared with the read one. Each routing has a reference
 * of its own because the steps the contract refuses differ per routing, and a refused step must leave both worlds
 * equal.
 */
final class DifferentialRun implements AutoCloseable {

    private static final String SYNC_LOG = "dbc_sync_log";
    /** The sync log's floor (SQLite): the library's own, like the log. */
    private static final String SYNC_FLOOR = "dbc_sync_floor";

    final RoutingKind kind;
    private final Model model;
    private final String referenceUrl;
    private final String referenceSchema;
    private final EntityManagerFactory reference;
    private final String localUrl;
    private final String schema;
    private final CompositeEntityManagerFactory composite;
    private final Path dir;
    private final ResultNormaliser referenceNorm = new ResultNormaliser();
    private final ResultNormaliser compositeNorm = new ResultNormaliser();
    /** The table differences the previous step reported: a later step reports only new ones (the final check all). */
    private List<String> reported = List.of();

    private DifferentialRun(RoutingKind kind, Model model, Path dir, String referenceUrl, String referenceSchema,
                            EntityManagerFactory reference, String localUrl, String schema, CompositeEntityManagerFactory composite) {
        this.kind = kind;
        this.model = model;
        this.dir = dir;
        this.referenceUrl = referenceUrl;
        this.referenceSchema = referenceSchema;
        this.reference = reference;
        this.localUrl = localUrl;
        this.schema = schema;
        this.composite = composite;
    }

    static DifferentialRun start(RoutingKind kind, Model model) {
        String prefix = "diff_" + model.name() + "_" + kind.name().toLowerCase();
        Path dir;
        try {
            dir = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String referenceUrl = null;
        String referenceSchema = null;
        EntityManagerFactory reference = null;
        String schema = PostgresTestDatabase.createSchema(prefix);
        try {
            HibernatePersistenceConfiguration cfg = new HibernatePersistenceConfiguration(prefix + "_reference")
                    .managedClasses(model.entities())
                    .property("hibernate.hbm2ddl.auto", "create")
                    // the composite sets these on its sides; plain Hibernate gets them too, so the two store alike
                    .property("hibernate.jdbc.time_zone", "UTC");
            if (kind.readsRemote) {
                referenceSchema = PostgresTestDatabase.createSchema(prefix + "_ref");
                cfg.jdbcUrl(PostgresTestDatabase.urlFor(referenceSchema))
                        .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password());
            } else {
                // the pragmas the composite gives its SQLite pool (dates as UTC text, foreign keys on), and its local
                // dialect: the community one with the mapping's foreign and unique keys declared
                referenceUrl = SqliteFiles.urlIn(dir, "reference.db");
                cfg.jdbcUrl(referenceUrl + "?journal_mode=WAL&busy_timeout=30000&foreign_keys=true&date_class=TEXT"
                                + "&date_string_format=yyyy-MM-dd HH:mm:ss.SSS")
                        .property("hibernate.dialect", io.dbcomposite.internal.boot.LocalSqliteDialect.class.getName())
                        .property("hibernate.column_ordering_strategy", "legacy")
                        // LOBs as bytes and strings, which the SQLite driver can read back (no getBlob/getClob)
                        .property(io.dbcomposite.internal.boot.SqliteLobTypes.SETTING, "true")
                        // decimals exact, timestamps with microseconds, NaN kept, as on the composite's SQLite side
                        .property(io.dbcomposite.internal.boot.SqliteExactTypes.SETTING, "true");
            }
            reference = cfg.createEntityManagerFactory();
            String localUrl = SqliteFiles.urlIn(dir, "local.db");
            CompositeEntityManagerFactory composite = kind.configure(CompositePersistence.builder()
                    .name(prefix)
                    .local(localUrl)
                    .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                    .entities(model.entities().toArray(Class<?>[]::new))
                    // the background job runs where the routing relies on it (beside the sync() after each step);
                    // elsewhere it stays off, so a commit that fails to reach the remote is not mended behind its back
                    .syncEnabled(kind == RoutingKind.BACKGROUND)
                    .property("hibernate.hbm2ddl.auto", "create"), model.remoteOverrides())
                    .build();
            return new DifferentialRun(kind, model, dir, referenceUrl, referenceSchema, reference, localUrl, schema, composite);
        } catch (RuntimeException e) {
            if (reference != null) {
                reference.close();
            }
            if (referenceSchema != null) {
                PostgresTestDatabase.dropSchema(referenceSchema);
            }
            PostgresTestDatabase.dropSchema(schema);
            deleteTree(dir);
            throw e;
        }
    }

    /** Runs one step on both worlds and fails with every difference it finds. */
    void run(Step step) {
        List<String> problems = new ArrayList<>();
        boolean refused = step.refusedOn().contains(kind);
        Outcome expected = refused ? null : execute(reference, false, step, referenceNorm);
        Outcome actual = execute(composite, true, step, compositeNorm);
        if (refused) {
            if (actual.thrown == null || !causedBy(actual.thrown, step.refusal())) {
                problems.add("the contract refuses this step on " + kind + " with " + step.refusal().getSimpleName()
                        + ", but the composite " + actual.detail);
            }
        } else if (!expected.key.equals(actual.key)) {
            problems.add("results differ\n    plain Hibernate: " + expected.detail + "\n    composite:       " + actual.detail);
        }
        if (kind == RoutingKind.BACKGROUND) {
            try {
                composite.sync();
            } catch (RuntimeException e) {
                problems.add("sync() failed: " + describe(e));
            }
        }
        List<String> differences = allDifferences();
        List<String> fresh = new ArrayList<>(differences);
        fresh.removeAll(new HashSet<>(reported));
        int carried = differences.size() - fresh.size();
        reported = differences;
        if (!fresh.isEmpty()) {
            problems.add("the databases differ after the step" + (carried > 0 ? " (" + carried + " older differences not repeated)" : "")
                    + ":\n    " + String.join("\n    ", fresh));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("[" + kind + "] step '" + step.name() + "': " + String.join("\n  ", problems));
        }
    }

    /** Fails if any difference is left in the tables, including those an earlier step already reported. */
    void assertFinalState() {
        List<String> differences = allDifferences();
        if (!differences.isEmpty()) {
            throw new AssertionError("[" + kind + "] after the last step the databases still differ:\n    "
                    + String.join("\n    ", differences));
        }
    }

    /** The sync log's stuck changes and every table difference. */
    List<String> allDifferences() {
        List<String> differences = new ArrayList<>();
        {
            // the remote is up: after sync() (BACKGROUND) or the commit itself (every other routing) every change that
            // was logged has reached it (a REMOTE or DUAL write that QUEUEs a change here found a remote it could not use)
            unsyncedChanges().forEach(c -> differences.add("sync log: change not SYNCED although the remote is up: " + c));
        }
        differences.addAll(tableDifferences());
        return differences;
    }

    /** Sync-log rows in any state but SYNCED, with their error (read straight from SQLite). */
    List<String> unsyncedChanges() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : SqliteFiles.rows(localUrl, "select id, entity_name, entity_id, operation, status, last_error"
                + " from dbc_sync_log where status <> 'SYNCED' order by id")) {
            out.add(row.toString());
        }
        return out;
    }

    List<String> tableDifferences() {
        Set<String> noLog = Set.of(SYNC_LOG, SYNC_FLOOR);
        DatabaseImage local = DatabaseImage.ofSqlite("composite-local", localUrl);
        DatabaseImage remote = DatabaseImage.ofPostgres("composite-remote", schema);
        List<String> out = new ArrayList<>();
        Set<String> notBetweenSides = new HashSet<>(model.generatorTables());
        notBetweenSides.add(SYNC_LOG);
        notBetweenSides.add(SYNC_FLOOR);
        // Hibernate's tables for multi-table (JOINED) bulk mutations: on SQLite they are created as ordinary tables
        // with the schema, on PostgreSQL as session temporary tables when used; they never hold data between
        // transactions, which the comparison of the local side with plain Hibernate's still checks
        local.tables.keySet().stream().filter(t -> t.startsWith("ht_") || t.startsWith("hte_")).forEach(notBetweenSides::add);
        if (kind.readsRemote) {
            DatabaseImage ref = DatabaseImage.ofPostgres("plain-hibernate", referenceSchema);
            out.addAll(ImageComparison.differences(ref, aliases(ref), remote, aliases(remote), noLog));
            // remote-only entities never have rows in their local table (README, "What stays on the local disk")
            out.addAll(ImageComparison.nonEmpty(local, notBetweenSides));
        } else {
            DatabaseImage ref = DatabaseImage.ofSqlite("plain-hibernate", referenceUrl);
            out.addAll(ImageComparison.differences(ref, aliases(ref), local, aliases(local), noLog));
            out.addAll(ImageComparison.differences(local, ImageComparison.exact(), remote, ImageComparison.exact(), notBetweenSides));
        }
        return out;
    }

    private Map<String, String> aliases(DatabaseImage image) {
        List<String> t = model.uuidTable();
        return t == null ? ImageComparison.exact() : ImageComparison.aliasing(image, t.get(0), t.get(1), t.get(2));
    }

    /** What one world did: a comparable key and a description for the report. */
    private record Outcome(String key, String detail, Throwable thrown) {
    }

    private Outcome execute(EntityManagerFactory emf, boolean isComposite, Step step, ResultNormaliser norm) {
        if (step.ownTransactions()) {
            Ctx ctx = new Ctx(emf, null, isComposite, kind, norm);
            try {
                String text = norm.of(step.body().apply(ctx), step.ordered());
                return new Outcome("returned " + text, "returned " + text, null);
            } catch (RuntimeException | AssertionError e) {
                return thrown(e);
            }
        }
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            Ctx ctx = new Ctx(emf, em, isComposite, kind, norm);
            String text = norm.of(step.body().apply(ctx), step.ordered());
            em.getTransaction().commit();
            return new Outcome("returned " + text, "returned " + text, null);
        } catch (RuntimeException | AssertionError e) {
            try {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            } catch (RuntimeException ignored) {
                // the outcome is the first exception
            }
            return thrown(e);
        } finally {
            em.close();
        }
    }

    private static Outcome thrown(Throwable e) {
        return new Outcome("threw " + exceptionKey(e), "threw " + describe(e), e);
    }

    /**
     * The exception as an application sees it: the thrown class, then every Jakarta Persistence or db-composite
     * exception in its causes (driver and Hibernate internals may legitimately differ in wrapping).
     */
    static String exceptionKey(Throwable e) {
        List<String> parts = new ArrayList<>();
        parts.add(e.getClass().getName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String n = c.getClass().getName();
            if (n.startsWith("jakarta.persistence.") || n.startsWith("io.dbcomposite.")) {
                parts.add(n);
            }
        }
        return String.join(" <- ", parts);
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            String m = String.valueOf(c.getMessage());
            sb.append(c.getClass().getName()).append(": ").append(m.length() > 300 ? m.substring(0, 300) + "..." : m);
        }
        return sb.toString();
    }

    private static boolean causedBy(Throwable e, Class<?> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    CompositeEntityManagerFactory composite() {
        return composite;
    }

    @Override
    public void close() {
        try {
            composite.close();
        } finally {
            try {
                reference.close();
            } finally {
                PostgresTestDatabase.dropSchema(schema);
                if (referenceSchema != null) {
                    PostgresTestDatabase.dropSchema(referenceSchema);
                }
                deleteTree(dir);
            }
        }
    }

    /** Deletes a folder of SQLite files (the units are closed by then). */
    static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
