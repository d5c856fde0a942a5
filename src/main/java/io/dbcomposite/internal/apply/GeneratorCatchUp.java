package io.dbcomposite.internal.apply;

import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.config.spi.StandardConverters;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.Generator;
import org.hibernate.id.enhanced.DatabaseStructure;
import org.hibernate.id.enhanced.HiLoOptimizer;
import org.hibernate.id.enhanced.LegacyHiLoAlgorithmOptimizer;
import org.hibernate.id.enhanced.NoopOptimizer;
import org.hibernate.id.enhanced.Optimizer;
import org.hibernate.id.enhanced.PooledLoOptimizer;
import org.hibernate.id.enhanced.PooledLoThreadLocalOptimizer;
import org.hibernate.id.enhanced.PooledOptimizer;
import org.hibernate.id.enhanced.SequenceStyleGenerator;
import org.hibernate.id.enhanced.TableGenerator;
import org.hibernate.id.enhanced.TableStructure;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a remote id generator that is a sequence or a table (SEQUENCE, TABLE and AUTO ids) past the ids written with
 * replayed or mirrored rows. Locally every such generator is a table (SQLite has no sequences), and the rows reach the
 * remote with the ids it allocated; the remote's own sequence or generator row does not see them, so the next id the
 * remote allocates (a {@code read=REMOTE} entity the remote generates ids for, another application) would meet a
 * duplicate key, or, worse, a later replay of a row the local side already numbered would overwrite that row.
 *
 * <p>The generator is moved to where the same mapping would have left it after handing out the highest id written:
 * past the whole allocation block that id belongs to, so the remote's next block starts after it. The local side
 * allocates the same blocks (same mapping, same optimizer, same increment), so ids it still holds in memory from that
 * block, and replays later, are not handed out by the remote either; and a unit that generates every id locally
 * leaves the remote's generator where plain Hibernate on the remote would have left it. Blocks follow the optimizer:
 * {@code pooled} (the default for an allocation size above 1) reads a value as the high end of its block, so after
 * block {@code (hi - increment, hi]} the next value must be {@code hi + increment}; {@code pooled-lo} reads it as the
 * low end; {@code none} uses it as the id.
 *
 * <p>One statement pair per generator (not per table or row) for everything the caller wrote; a generator several
 * entities share is moved past the highest id of all of them. It only moves forward. In a replay run
 * ({@link IdentityCatchUp.Run}) the first batch moves a generator past the local side's highest id of its tables too,
 * and later batches whose ids stay under that send nothing; the run's end checks the generators they skipped. Non-numeric ids and other
 * generators are left alone. A PostgreSQL sequence is set with {@code setval}, a MariaDB sequence with {@code SETVAL}
 * (neither transactional: a rollback leaves a gap, nothing worse); a generator table is updated in the caller's
 * transaction with Hibernate's own statements for it (its row locked as Hibernate does), and a missing row is inserted
 * as Hibernate would on its first allocation. PostgreSQL and the MySQL family (MariaDB's sequences, and generator
 * tables on both) are handled; other remotes are left alone (see the README on ids).
 */
final class GeneratorCatchUp {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");
    /** Generators (by factory) the remote user may not move, already logged: once per generator is enough. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** MySQL/MariaDB: no such table (or sequence). */
    private static final int ER_NO_SUCH_TABLE = 1146;
    /** MySQL/MariaDB: the user lacks a privilege on the table (or sequence). */
    private static final int ER_TABLEACCESS_DENIED = 1142;

    private GeneratorCatchUp() {
    }

    /**
     * What is moved for one generator: its structure, the key that names the sequence or row it allocates from, and the
     * tables whose ids it hands out.
     */
    record Target(String key, Generator generator, Optimizer optimizer, int initialValue, int incrementSize,
                  String entityName, List<AbstractEntityPersister> tables) {
        /** @return the root table of the entity the target was made for (the first of its tables) */
        AbstractEntityPersister root() {
            return tables.get(0);
        }

        /** @return this target, with the tables of another target of the same generator added */
        Target with(Target other) {
            other.tables().stream().filter(t -> !tables.contains(t)).forEach(tables::add);
            return this;
        }
    }

    /**
     * @param s a session on the target side's connection, inside the transaction that wrote the rows (batch flushed)
     * @param written the target side's persisters of the entities written with their ids
     * @param inserted the highest id written of each entity name, or null where it is not known (as
     *        {@link IdentityCatchUp#afterInserts(org.hibernate.StatelessSession, Map, IdentityCatchUp.Run)} takes it)
     * @param run what this replay run knows of the remote's generators, or null outside a run: every generator written
     *        is then caught up
     */
    static void afterWrites(SharedSessionContractImplementor s, Connection c, Collection<EntityPersister> written,
                            Map<String, Long> inserted, IdentityCatchUp.Run run) {
        SessionFactoryImplementor factory = s.getFactory();
        if (!(factory.getJdbcServices().getDialect() instanceof PostgreSQLDialect) && !isMySqlFamily(factory)) {
            return;
        }
        // one entry per generator object: entities sharing a generator name share the object, and its key names the
        // sequence or the row, so two generator names on the same sequence or row meet here too
        Map<String, Target> targets = new LinkedHashMap<>();
        IdentityCatchUp.BatchTops tops = new IdentityCatchUp.BatchTops();
        for (EntityPersister persister : written) {
            Target target = target(factory, persister);
            if (target != null) {
                targets.merge(target.key(), target, Target::with);
                tops.add(target.key(), inserted.get(persister.getEntityName()));
            }
        }
        for (Target target : targets.values()) {
            Long batchTop = tops.of(target.key());
            if (run == null) {
                Long top = highestId(s, c, target);
                if (top != null) {
                    catchUp(s, c, target, nextSourceValue(target, top), null);
                }
            } else {
                run.generators.forBatch(target.key(), target, batchTop,
                        () -> catchUpLookingAhead(s, c, target, batchTop, run));
            }
        }
    }

    /**
     * Ends a replay run: each generator a batch of the run skipped is caught up once more, past the highest id of its
     * tables on the remote and the highest id the run wrote with it, so that a generator set back while the run went on
     * is past every replayed id again.
     */
    static void afterRun(SharedSessionContractImplementor s, Connection c, IdentityCatchUp.Marks<Target> generators) {
        Map<String, Target> skipped = new LinkedHashMap<>(generators.skipped);
        generators.skipped.clear();
        for (Target target : skipped.values()) {
            Long remote = highestId(s, c, target);
            Long written = generators.written.get(target.key());
            long top = remote == null ? written : Math.max(remote, written);
            catchUp(s, c, target, nextSourceValue(target, top), null);
            IdentityCatchUp.CATCH_UPS.increment();
        }
    }

    /**
     * Catches a generator up for a batch of a run, looking ahead to the highest id of every table it numbers on the local
     * side (not only those the batch wrote: a later batch may carry another entity of the same generator).
     *
     * @param written the highest id the batch wrote with it, or null when not known
     * @return the highest id the generator is now known to be past, or null when it could not be moved (no such sequence
     *     or table, no rights on it, no rows)
     */
    private static Long catchUpLookingAhead(SharedSessionContractImplementor s, Connection c, Target target, Long written,
                                           IdentityCatchUp.Run run) {
        Long top = highestId(s, c, target);
        if (written != null) {
            top = top == null ? written : Math.max(top, written);
        }
        if (top == null) {
            return null; // no rows in its tables: nothing was written with it
        }
        Long ahead = null;
        if (run.generators.looksAhead(target.key())) {
            for (AbstractEntityPersister table : tablesOf(s.getFactory(), target)) {
                Long local = run.localTop(table);
                if (local != null && (ahead == null || local > ahead)) {
                    ahead = local;
                }
            }
        }
        if (ahead == null || ahead <= top) {
            return catchUp(s, c, target, nextSourceValue(target, top), null) == null ? null : top;
        }
        long further = nextSourceValue(target, ahead);
        Long next = catchUp(s, c, target, nextSourceValue(target, top), further);
        if (next == null) {
            return null;
        }
        if (next != further) { // (a value: next is unboxed)
            // the look-ahead is past the sequence's maximum: the batch's own ids only, and no look-ahead again this run
            run.generators.stopLookingAhead(target.key());
            return top;
        }
        return ahead;
    }

    /** @return the root tables of every entity whose ids the target's generator hands out */
    private static List<AbstractEntityPersister> tablesOf(SessionFactoryImplementor factory, Target target) {
        List<AbstractEntityPersister> out = new ArrayList<>(target.tables());
        factory.getMappingMetamodel().forEachEntityDescriptor(persister -> {
            if (persister.getEntityName().equals(persister.getRootEntityName())) {
                Target other = target(factory, persister);
                if (other != null && other.key().equals(target.key()) && !out.contains(other.root())) {
                    out.add(other.root());
                }
            }
        });
        return out;
    }

    /** @return what moves the generator of an entity's ids, with the entity's root table, or null (nothing to move) */
    private static Target target(SessionFactoryImplementor factory, EntityPersister persister) {
        EntityPersister root = factory.getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
        Generator generator = root.getGenerator();
        if (!(root instanceof AbstractEntityPersister table) || table.getIdentifierColumnNames().length != 1
                || !Number.class.isAssignableFrom(root.getIdentifierType().getReturnedClass())) {
            return null;
        }
        List<AbstractEntityPersister> tables = new ArrayList<>(List.of(table));
        if (generator instanceof SequenceStyleGenerator sequence) {
            DatabaseStructure structure = sequence.getDatabaseStructure();
            String key = (structure.isPhysicalSequence() ? "sequence " : "table ")
                    + factory.getSqlStringGenerationContext().format(structure.getPhysicalName());
            return new Target(key, generator, sequence.getOptimizer(), structure.getInitialValue(),
                    sequence.getOptimizer().getIncrementSize(), root.getEntityName(), tables);
        }
        if (generator instanceof TableGenerator tableGenerator) {
            String key = "row " + tableGenerator.getSegmentValue() + " of " + tableGenerator.getAllSqlForTests()[0];
            return new Target(key, generator, tableGenerator.getOptimizer(), tableGenerator.getInitialValue(),
                    tableGenerator.getIncrementSize(), root.getEntityName(), tables);
        }
        return null;
    }

    /** @return whether the remote's generator of an entity's ids is one a replay run catches up as a {@link Target} */
    static boolean movesGeneratorOf(EntityPersister persister) {
        return persister.getGenerator() instanceof SequenceStyleGenerator || persister.getGenerator() instanceof TableGenerator;
    }

    /** @return the highest id in the generator's tables, or null if they are empty */
    private static Long highestId(SharedSessionContractImplementor s, Connection c, Target target) {
        StringBuilder sql = new StringBuilder("select max(top) from (");
        for (int i = 0; i < target.tables().size(); i++) {
            AbstractEntityPersister table = target.tables().get(i);
            // aliased: the root table of a table-per-class hierarchy is a union of its tables in parentheses
            sql.append(i == 0 ? "" : " union all ").append("select max(g.").append(table.getIdentifierColumnNames()[0])
                    .append(") as top from ").append(table.getTableName()).append(" g");
        }
        sql.append(") ids");
        try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long top = rs.getLong(1);
            return rs.wasNull() ? null : top;
        } catch (SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot read the highest id of entity "
                    + target.entityName(), sql.toString());
        }
    }

    /**
     * @return the smallest value the generator's structure may hand out next such that no id of the optimizer's next
     *     block is at or below {@code top}, nor in the block {@code top} belongs to
     */
    static long nextSourceValue(Target target, long top) {
        return nextSourceValue(target.optimizer(), target.initialValue(), Math.max(1, target.incrementSize()), top);
    }

    static long nextSourceValue(Optimizer optimizer, long initial, long increment, long top) {
        if (optimizer instanceof NoopOptimizer) {
            return top + 1;
        }
        if (optimizer instanceof PooledOptimizer) {
            // the first value (the initial one) is a block of its own; block k ends at initial + k * increment
            long hi = top <= initial ? initial : initial + ceilDiv(top - initial, increment) * increment;
            return hi + increment;
        }
        if (optimizer instanceof PooledLoOptimizer || optimizer instanceof PooledLoThreadLocalOptimizer) {
            // block k starts at initial + k * increment
            long lo = top < initial ? initial - increment : initial + Math.floorDiv(top - initial, increment) * increment;
            return lo + increment;
        }
        if (optimizer instanceof HiLoOptimizer) {
            // value v hands out ((v - 1) * increment, v * increment]
            return ceilDiv(top, increment) + 1;
        }
        if (optimizer instanceof LegacyHiLoAlgorithmOptimizer) {
            // value v hands out [v * (increment + 1), v * (increment + 1) + increment]
            return Math.floorDiv(top, increment + 1) + 1;
        }
        // an optimizer of the application's own: a block past the one top may be in, whichever end the value marks
        return top + 2 * increment;
    }

    /** {@code Math.ceilDiv} of Java 18, for a positive divisor. */
    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    /**
     * @param next the value the generator must be able to hand out next at the least
     * @param further a higher value to move it to instead where the generator allows it (a look-ahead), or null
     * @return the value the generator is now at or past ({@code further} or {@code next}), or null when it was not moved
     *     (no such sequence or table, no rights on it)
     */
    private static Long catchUp(SharedSessionContractImplementor s, Connection c, Target target, long next, Long further) {
        if (target.generator() instanceof SequenceStyleGenerator sequence) {
            DatabaseStructure structure = sequence.getDatabaseStructure();
            String name = s.getFactory().getSqlStringGenerationContext().format(structure.getPhysicalName());
            if (structure.isPhysicalSequence() && isMySqlFamily(s.getFactory())) {
                // SETVAL takes a value past a MariaDB sequence's maximum (a CYCLE sequence then starts over): the
                // look-ahead is kept under it
                long value = further == null || further > mariaDbMaximum(c, name, next) ? next : further;
                return mariaDbSequence(s, c, target, name, value) ? value : null;
            } else if (structure.isPhysicalSequence()) {
                return sequence(s, c, target, name, next, further == null ? next : further);
            } else if (structure instanceof TableStructure table) {
                // select ... for update, then update ... set value = ? where value = ?: Hibernate's own statements
                String[] sql = table.getAllSqlForTests();
                long value = further == null ? next : further;
                return valueTable(s, c, target, "table " + name, sql[0], sql[1], null, null, value) ? value : null;
            }
        } else if (target.generator() instanceof TableGenerator table) {
            // the row holds the last value handed out unless hibernate.id.generator.stored_last_used is false
            boolean storesLastUsed = s.getFactory().getServiceRegistry().requireService(ConfigurationService.class)
                    .getSetting(AvailableSettings.TABLE_GENERATOR_STORE_LAST_USED, StandardConverters.BOOLEAN, true);
            String[] sql = table.getAllSqlForTests();
            long value = further == null ? next : further;
            return valueTable(s, c, target, "row '" + table.getSegmentValue() + "' of table " + table.getTableName(),
                    sql[0], sql[2], sql[1], table.getSegmentValue(), storesLastUsed ? value - 1 : value) ? value : null;
        }
        return null;
    }

    /**
     * Sets a PostgreSQL sequence so that its next value is at least {@code further}, or {@code next} where
     * {@code further} is past the sequence's maximum, leaving it as nextval would.
     *
     * @return the value the sequence is now at or past, or null when it was not moved (no such sequence, no rights)
     */
    private static Long sequence(SharedSessionContractImplementor s, Connection c, Target target, String name, long next,
                                 long further) {
        // the name is the one Hibernate formats for its own nextval, read by regclass as SQL text (quotes and all); no
        // such sequence gives no row and nothing is done. A user without rights on the sequence would abort the whole
        // transaction: it is told, once, and left alone
        String sql = "select case when not (has_sequence_privilege(q.seqrelid, 'SELECT')"
                + " and has_sequence_privilege(q.seqrelid, 'UPDATE')) then false"
                // a sequence nextval never handed out a value gives null: its next value is its start (a setval with
                // is_called false, which this does only below the sequence's minimum, is not told apart)
                + " when coalesce(pg_sequence_last_value(q.seqrelid) + q.seqincrement, q.seqstart) >= n.v then true"
                // last value next - increment, called: the state nextval leaves after handing out next - increment
                + " when n.v - q.seqincrement >= q.seqmin then setval(q.seqrelid, n.v - q.seqincrement, true) > 0"
                + " else setval(q.seqrelid, n.v, false) > 0 end as allowed, n.v"
                + " from pg_sequence q cross join lateral (select case when cast(? as bigint) <= q.seqmax"
                + " then cast(? as bigint) else cast(? as bigint) end as v) n"
                + " where q.seqrelid = to_regclass(?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, further);
            ps.setLong(2, further);
            ps.setLong(3, next);
            ps.setString(4, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!rs.getBoolean(1)) {
                    warn(s, target, "sequence " + name, "Grant SELECT, UPDATE on sequence " + name);
                    return null;
                }
                return rs.getLong(2);
            }
        } catch (SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot move the id sequence " + name
                    + " (entity " + target.entityName() + ") past the ids written with its rows", sql);
        }
    }

    /**
     * Sets a MariaDB sequence so that its next value is at least {@code value}: {@code SETVAL} with {@code is_used}
     * false makes {@code value} the next value, and ignores a value below the sequence's current one, so it never
     * moves backwards. Its arguments must be literals. A failed statement does not abort a MariaDB transaction, so a
     * missing sequence or a user without rights on it are told apart by the error.
     *
     * @return whether the sequence is now at or past {@code value} (false: no such sequence, no rights on it)
     */
    private static boolean mariaDbSequence(SharedSessionContractImplementor s, Connection c, Target target, String name,
                                           long value) {
        String sql = "select setval(" + name + ", " + value + ", 0)";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return false; // nothing there allocates from it
            }
            if (e.getErrorCode() == ER_TABLEACCESS_DENIED) {
                warn(s, target, "sequence " + name, "Grant INSERT, SELECT on sequence " + name);
                return false;
            }
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot move the id sequence " + name
                    + " (entity " + target.entityName() + ") past the ids written with its rows", sql);
        }
    }

    /**
     * @return the maximum of a MariaDB sequence (read from the sequence itself, a one-row table), or {@code next} when
     *     it cannot be read (the caller's SETVAL then tells what is wrong)
     */
    private static long mariaDbMaximum(Connection c, String name, long next) {
        try (PreparedStatement ps = c.prepareStatement("select maximum_value from " + name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : next;
        } catch (SQLException e) {
            return next;
        }
    }

    private static boolean isMySqlFamily(SessionFactoryImplementor factory) {
        return factory.getJdbcServices().getDialect() instanceof MySQLDialect;
    }

    /**
     * Raises the value of a generator table (a segment's row of a {@code @TableGenerator} table, or the one row of a
     * sequence emulated with a table) to at least {@code value}, through Hibernate's statements for it.
     *
     * @param insert the statement inserting a missing row, or null (a structure table always has its row)
     * @param segment the row's segment value, or null
     * @return whether the value is now at least {@code value}; false when there is no such table or no rights on it
     */
    private static boolean valueTable(SharedSessionContractImplementor s, Connection c, Target target, String what,
                                   String select, String update, String insert, String segment, long value) {
        String sql = select;
        boolean mysql = isMySqlFamily(s.getFactory());
        try {
            // MySQL and MariaDB keep the transaction after a refused statement: the statements themselves tell
            Boolean allowed = mysql ? Boolean.TRUE : allowed(c, update);
            if (allowed == null) {
                // no such table on the remote: nothing there allocates from it, and a replay must not fail over it
                return false;
            }
            if (!allowed) {
                warn(s, target, what, "Grant SELECT, INSERT, UPDATE on that table");
                return false;
            }
            Long current;
            try (PreparedStatement ps = c.prepareStatement(select)) {
                if (segment != null) {
                    ps.setString(1, segment);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    current = rs.next() ? rs.getLong(1) : null;
                }
            }
            if (current == null && insert != null) {
                // what Hibernate would insert on its first allocation, but past the ids written
                sql = insert;
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setString(1, segment);
                    ps.setLong(2, value);
                    ps.executeUpdate();
                }
            } else if (current != null && current < value) {
                // the row is locked by the select: the update compares with the value read, as Hibernate's does
                sql = update;
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    ps.setLong(1, value);
                    ps.setLong(2, current);
                    if (segment != null) {
                        ps.setString(3, segment);
                    }
                    ps.executeUpdate();
                }
            }
            return current != null || insert != null; // (a sequence's table without its row: nothing to move)
        } catch (SQLException e) {
            if (mysql && e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return false;
            }
            if (mysql && e.getErrorCode() == ER_TABLEACCESS_DENIED) {
                warn(s, target, what, "Grant SELECT, INSERT, UPDATE on that table");
                return false;
            }
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot move the id generator " + what
                    + " (entity " + target.entityName() + ") past the ids written with its rows", sql);
        }
    }

    /**
     * @return whether the remote user may lock and update the generator table, or null if there is no such table;
     *     asked before touching it, because a refused statement aborts the caller's whole PostgreSQL transaction
     */
    private static Boolean allowed(Connection c, String update) throws SQLException {
        // the table as Hibernate names it in its update ("update <table> set ..."), read by regclass as SQL text
        String table = update.substring("update ".length(), update.indexOf(" set "));
        try (PreparedStatement ps = c.prepareStatement("select has_table_privilege(t, 'SELECT')"
                + " and has_table_privilege(t, 'UPDATE') and has_table_privilege(t, 'INSERT')"
                + " from (select to_regclass(?) as t) r where t is not null")) {
            ps.setString(1, table.trim());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static void warn(SharedSessionContractImplementor s, Target target, String what, String grant) {
        if (WARNED.add(s.getFactory().getUuid() + " " + what)) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: the remote user may not move the id generator " + what
                    + " (entity " + target.entityName() + "), so it is not moved past the ids written with replayed"
                    + " rows; the next id the remote allocates from it can meet a duplicate key. " + grant
                    + " to the remote user");
        }
    }
}
