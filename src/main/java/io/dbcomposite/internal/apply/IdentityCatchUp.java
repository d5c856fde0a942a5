package io.dbcomposite.internal.apply;

import org.hibernate.StatelessSession;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a PostgreSQL identity (or serial) sequence up to the highest id of its table after rows were written with
 * explicit ids: a replay or a mirrored write keeps the id the other side generated, and PostgreSQL does not advance
 * the sequence for an id it did not hand out, so the next insert that takes its id from the sequence (a
 * {@code write=REMOTE} entity of the same table, another application's plain SQL) would meet a duplicate key.
 *
 * <p>One statement per table per call, never per row; the sequence only moves forward. {@code setval} is not
 * transactional: if the caller's transaction then rolls back, the sequence stays ahead, which leaves a gap and nothing
 * worse. MySQL and MariaDB move {@code AUTO_INCREMENT} past an explicit id by themselves; their sequences
 * (MariaDB's) and generator tables are moved. Other remote databases are left as they are (see the README on ids).
 * Sequences and generator tables are moved by {@link GeneratorCatchUp}, from here, so every caller moves both.
 */
public final class IdentityCatchUp {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");
    /** Tables (by factory) whose sequence the remote user may not set, already logged: once per table is enough. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private IdentityCatchUp() {
    }

    /**
     * Only inserts bring ids the remote has not seen: an update (or the upsert replaying it) is of a row whose insert
     * was written, and caught up after, before it.
     *
     * @param session a session on the target side's connection, inside the transaction that wrote the rows
     * @param inserted the names of the entities whose rows were inserted with their ids (upserts of inserts included)
     */
    public static void afterInserts(StatelessSession session, Collection<String> inserted) {
        Map<String, Long> unknown = new LinkedHashMap<>();
        for (String name : inserted) {
            unknown.put(name, null);
        }
        afterInserts(session, unknown, null);
    }

    /**
     * As {@link #afterInserts(StatelessSession, Collection)}, for one batch of a replay run: a generator (a table's
     * identity sequence, a sequence or a generator table) this run already moved to or past every id the batch inserted
     * with it is not asked again.
     *
     * @param inserted the names of the entities whose rows were inserted with their ids, each with the highest such id
     *        when every one of them is a number that fits a long, else with null (its generator is always caught up)
     * @param run what this run knows of the remote's generators, or null for none
     */
    public static void afterInserts(StatelessSession session, Map<String, Long> inserted, Run run) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        SessionFactoryImplementor factory = s.getFactory();
        org.hibernate.dialect.Dialect dialect = factory.getJdbcServices().getDialect();
        boolean postgresql = dialect instanceof PostgreSQLDialect;
        if (inserted.isEmpty() || !postgresql && !(dialect instanceof org.hibernate.dialect.MySQLDialect)) {
            return;
        }
        java.util.Set<EntityPersister> written = new java.util.LinkedHashSet<>();
        for (String name : inserted.keySet()) {
            written.add(factory.getMappingMetamodel().getEntityDescriptor(name));
        }
        // the upserts still waiting in a JDBC batch must be in the tables before their highest ids are read
        s.getJdbcCoordinator().executeBatch();
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        // ids from a sequence or a generator table (SEQUENCE, TABLE, AUTO) are the other case of the same problem
        GeneratorCatchUp.afterWrites(s, c, written, inserted, run);
        if (!postgresql) {
            return; // MySQL and MariaDB move AUTO_INCREMENT past an explicit id by themselves
        }
        // the root table holds the id column (and its sequence) for every mapping of inheritance
        Map<String, AbstractEntityPersister> tables = new LinkedHashMap<>();
        BatchTops tops = new BatchTops();
        for (EntityPersister persister : written) {
            if (persister.getGenerator() == null || !persister.getGenerator().generatedOnExecution()) {
                continue;
            }
            EntityPersister root = factory.getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
            if (root instanceof AbstractEntityPersister table && table.getIdentifierColumnNames().length == 1) {
                tables.putIfAbsent(table.getTableName(), table);
                tops.add(table.getTableName(), inserted.get(persister.getEntityName()));
            }
        }
        for (Map.Entry<String, AbstractEntityPersister> entry : tables.entrySet()) {
            String name = entry.getKey();
            AbstractEntityPersister table = entry.getValue();
            Long top = tops.of(name);
            if (run == null) {
                catchUp(s, c, table, null);
            } else {
                run.identities.forBatch(name, table, top, () -> {
                    Long ahead = run.identities.looksAhead(name) ? run.localTop(table) : null;
                    return catchUp(s, c, table, top == null ? ahead : ahead == null ? top : Math.max(top, ahead));
                });
            }
        }
    }

    /** The highest id a batch wrote for each key (a table, a generator), or null where one of its entities did not tell. */
    static final class BatchTops {
        private final Map<String, Long> tops = new java.util.HashMap<>();

        void add(String key, Long top) {
            if (!tops.containsKey(key)) {
                tops.put(key, top);
            } else {
                Long known = tops.get(key);
                tops.put(key, known == null || top == null ? null : Math.max(known, top));
            }
        }

        Long of(String key) {
            return tops.get(key);
        }
    }

    /**
     * @return whether a batch of a replay run can skip the catch-up of the remote generator of this remote entity's ids
     *     when it knows the highest id it inserted (so its ids are worth reading): an identity on PostgreSQL, a sequence
     *     or a generator table on PostgreSQL and the MySQL family
     */
    public static boolean skippable(EntityPersister persister) {
        org.hibernate.generator.Generator generator = persister.getGenerator();
        org.hibernate.dialect.Dialect dialect = persister.getFactory().getJdbcServices().getDialect();
        if (generator == null || !(dialect instanceof PostgreSQLDialect || dialect instanceof org.hibernate.dialect.MySQLDialect)) {
            return false;
        }
        return GeneratorCatchUp.movesGeneratorOf(persister) || dialect instanceof PostgreSQLDialect && generator.generatedOnExecution();
    }

    /**
     * Ends a replay run: each generator a batch of the run skipped (a table's identity sequence, a sequence or a
     * generator table) is caught up once more, past the highest id the run wrote with it, so that a generator set back
     * while the run went on (by hand, or by another writer's catch-up that read it before this run moved it) is past
     * every replayed id again when the run ends.
     *
     * @param session a session on the remote, inside a transaction of its own
     */
    public static void afterRun(StatelessSession session, Run run) {
        if (!run.skippedAny()) {
            return;
        }
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        GeneratorCatchUp.afterRun(s, c, run.generators);
        Map<String, AbstractEntityPersister> tables = new LinkedHashMap<>(run.identities.skipped);
        run.identities.skipped.clear();
        for (Map.Entry<String, AbstractEntityPersister> entry : tables.entrySet()) {
            catchUp(s, c, entry.getValue(), run.identities.written.get(entry.getKey()));
            CATCH_UPS.increment();
        }
    }

    /**
     * Catch-ups a replay run sent, of identity sequences and of other generators alike (tests: one per table or generator
     * per run unless ids pass what the run looked ahead to).
     */
    static final java.util.concurrent.atomic.LongAdder CATCH_UPS = new java.util.concurrent.atomic.LongAdder();

    /**
     * What one replay run (one holder of the applier lock, batch after batch) knows of the remote's id generators: the
     * identity sequences of tables, and the sequences and generator tables of SEQUENCE, TABLE and AUTO ids
     * ({@link GeneratorCatchUp}). A catch-up moves a generator past the highest id of its tables on the remote and,
     * looking ahead, past the highest id of the same tables on the local side, where every id the run can still replay
     * was handed out (an identity sequence no further than its own maximum); a later batch whose ids are all at or
     * under the value reached sends nothing. A generator only goes back when someone sets it back ({@code setval},
     * {@code ALTER SEQUENCE ... RESTART}, {@code TRUNCATE ... RESTART IDENTITY}, an update of a generator row, or
     * another writer's catch-up that read the generator before this one moved it): {@link #afterRun} catches such a
     * generator up again when the run ends, so one set back during a run is behind its replayed ids for the rest of that
     * run at most (it was one batch before). Moving a generator to the local top early leaves no gap the remote would
     * not have anyway: the rows between are on their way, and no id the remote hands out meanwhile can be one of
     * theirs. A batch with an id past the value reached (the local side wrote more meanwhile, or a row with the highest
     * id was inserted and deleted) is caught up again. Not thread-safe: one run, one thread.
     */
    public static final class Run {
        private final java.util.function.Function<AbstractEntityPersister, Long> localTop;
        /** Tables whose look-ahead cannot be read: not read again in this run. */
        private final java.util.Set<String> unreadable = new java.util.HashSet<>();
        /** Identity sequences, by table. */
        final Marks<AbstractEntityPersister> identities = new Marks<>((kept, batch) -> kept);
        /** Sequences and generator tables, by the generator's key ({@link GeneratorCatchUp}). */
        final Marks<GeneratorCatchUp.Target> generators = new Marks<>(GeneratorCatchUp.Target::with);

        /**
         * @param localTop the highest id the local side's table of a remote root entity holds, or null when it cannot
         *        tell (the look-ahead is then only the batch's own ids)
         */
        public Run(java.util.function.Function<AbstractEntityPersister, Long> localTop) {
            this.localTop = localTop;
        }

        /** @return the highest id of the local side's table of a remote root entity, or null when it cannot tell */
        Long localTop(AbstractEntityPersister root) {
            String table = root.getTableName();
            if (unreadable.contains(table)) {
                return null;
            }
            try {
                return localTop.apply(root);
            } catch (RuntimeException e) {
                unreadable.add(table);
                LOG.log(System.Logger.Level.DEBUG, "db-composite: cannot read the highest local id of entity "
                        + root.getEntityName() + "; its id generator is caught up batch by batch", e);
                return null;
            }
        }

        /** @return whether {@link #afterRun} has a generator to catch up */
        public boolean skippedAny() {
            return !identities.skipped.isEmpty() || !generators.skipped.isEmpty();
        }

        /**
         * The batch's transaction committed: what its catch-ups reached counts for the rest of the run. Until then it
         * does not, since a generator table's row is moved in that transaction and goes back with it (a batch that fails
         * is tried again, row by row, with the same run).
         */
        public void committed() {
            identities.committed();
            generators.committed();
        }

        /** The batch's transaction rolled back: what its catch-ups reached is forgotten, the next try asks again. */
        public void rolledBack() {
            identities.pending.clear();
            generators.pending.clear();
        }
    }

    /**
     * What a run knows of one kind of generator, by key: the id each was moved past, the ones it no longer looks ahead
     * for, and those a batch skipped, with the highest id the run wrote there.
     *
     * @param <T> what a skipped generator is caught up with when the run ends
     */
    static final class Marks<T> {
        private final Map<String, Long> reached = new java.util.HashMap<>();
        /** What the current batch's catch-ups reached, counted once its transaction commits. */
        private final Map<String, Long> pending = new java.util.HashMap<>();
        /** Generators with no look-ahead (none to move, no rights on it, nothing to read): batch by batch, as before. */
        private final java.util.Set<String> batchByBatch = new java.util.HashSet<>();
        final Map<String, T> skipped = new LinkedHashMap<>();
        final Map<String, Long> written = new java.util.HashMap<>();
        /** Joins what a later skipped batch wrote with a generator to what an earlier one did. */
        private final java.util.function.BinaryOperator<T> merge;

        Marks(java.util.function.BinaryOperator<T> merge) {
            this.merge = merge;
        }

        private boolean covers(String key, long top) {
            Long known = reached.get(key);
            return known != null && top <= known;
        }

        boolean looksAhead(String key) {
            return !batchByBatch.contains(key);
        }

        private void reached(String key, Long value) {
            if (value != null) {
                pending.merge(key, value, Math::max);
            } else {
                reached.remove(key);
                pending.remove(key);
                batchByBatch.add(key);
            }
        }

        /** The generator cannot be moved as far as the look-ahead: it is caught up batch by batch for the rest of the run. */
        void stopLookingAhead(String key) {
            batchByBatch.add(key);
        }

        private void committed() {
            pending.forEach((key, value) -> reached.merge(key, value, Math::max));
            pending.clear();
        }

        /**
         * Catches a generator up for a batch, unless what the run reached covers every id the batch wrote with it: then
         * the batch is noted as skipped, for the run's end.
         *
         * @param top the highest id the batch wrote with it, or null when not known (always caught up)
         * @param catchUp moves the generator; returns the highest id it is now known to be past, or null
         */
        void forBatch(String key, T what, Long top, java.util.function.Supplier<Long> catchUp) {
            if (top != null && covers(key, top)) {
                skipped.merge(key, what, merge);
                written.merge(key, top, Math::max);
            } else {
                reached(key, catchUp.get());
                CATCH_UPS.increment();
            }
        }
    }

    /**
     * @param ahead an id the sequence must pass too though the table may not hold it yet, or null
     * @return the value the sequence is known to have reached, or null when the statement could not tell (no sequence,
     *     no rows, a user who may not move it)
     */
    private static Long catchUp(SharedSessionContractImplementor s, Connection c, AbstractEntityPersister persister,
                                Long ahead) {
        String table = persister.getTableName();
        String column = persister.getIdentifierColumnNames()[0];
        // pg_get_serial_sequence reads its table argument as SQL text (quotes and all) but its column argument as an
        // exact name: PostgreSQL folds an unquoted column name to lower case, so the column is passed that way too.
        // A column without a sequence gives null, and the statement does nothing.
        String columnName = column.startsWith("\"") ? column.substring(1, column.length() - 1).replace("\"\"", "\"")
                : column.toLowerCase(Locale.ROOT);
        // a user without rights on the sequence would abort the whole transaction: it is told, once, and left alone
        // the look-ahead goes no further than the sequence's own maximum (an integer column's, say): a local id past it
        // fails its own row's insert, not the catch-up of every batch
        String sql = "select case when not (has_sequence_privilege(s.seq, 'SELECT') and has_sequence_privilege(s.seq, 'UPDATE'))"
                + " then false"
                + " when m.top > coalesce(pg_sequence_last_value(s.seq), q.seqstart - 1) then setval(s.seq, m.top) > 0"
                + " else true end as allowed, m.top"
                + " from (select pg_get_serial_sequence(?, ?)::regclass as seq) s"
                + " join pg_sequence q on q.seqrelid = s.seq"
                + " cross join lateral (select greatest((select max(" + column + ") from " + table + ")"
                + (ahead == null ? "" : ", least(cast(? as bigint), q.seqmax)") + ") as top) m" // least ignores a null
                + " where m.top is not null";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setString(2, columnName);
            if (ahead != null) {
                ps.setLong(3, ahead);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (rs.getBoolean(1)) {
                    long top = rs.getLong(2);
                    return rs.wasNull() ? null : top;
                }
                if (WARNED.add(s.getFactory().getUuid() + " " + table)) {
                    LOG.log(System.Logger.Level.WARNING, "db-composite: the remote user may not read and set the id"
                            + " sequence of table " + table + " (entity " + persister.getEntityName() + "), so it is not"
                            + " moved past the ids written with replayed rows; the next insert there that takes its id"
                            + " from the sequence can meet a duplicate key. Grant SELECT, UPDATE on that sequence"
                            + " (pg_get_serial_sequence('" + table + "', '" + columnName + "')) to the remote user");
                }
                return null;
            }
        } catch (SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot move the id sequence of table " + table
                    + " (entity " + persister.getEntityName() + ") past the ids written with its rows", sql);
        }
    }
}
