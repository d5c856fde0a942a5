package io.dbcomposite.internal.apply;

import org.hibernate.StatelessSession;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Moves a PostgreSQL identity (or serial) sequence up to the highest id of its table after rows were written with
 * explicit ids: a replay or a mirrored write keeps the id the other side generated, and PostgreSQL does not advance
 * the sequence for an id it did not hand out, so the next insert that takes its id from the sequence (a
 * {@code write=REMOTE} entity of the same table, another application's plain SQL) would meet a duplicate key.
 *
 * <p>One statement per table per call, never per row; the sequence only moves forward. {@code setval} is not
 * transactional: if the caller's transaction then rolls back, the sequence stays ahead, which leaves a gap and nothing
 * worse. MySQL and MariaDB move {@code AUTO_INCREMENT} past an explicit id by themselves. Other remote databases are
 * left as they are (see the README on ids).
 */
public final class IdentityCatchUp {

    private IdentityCatchUp() {
    }

    /**
     * @param session a session on the target side's connection, inside the transaction that wrote the rows
     * @param written the target side's persisters of the entities written with their ids (inserted or upserted)
     */
    public static void afterWrites(StatelessSession session, Collection<EntityPersister> written) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        SessionFactoryImplementor factory = s.getFactory();
        if (written.isEmpty() || !(factory.getJdbcServices().getDialect() instanceof PostgreSQLDialect)) {
            return;
        }
        // the root table holds the id column (and its sequence) for every mapping of inheritance
        Map<String, AbstractEntityPersister> tables = new LinkedHashMap<>();
        for (EntityPersister persister : written) {
            if (persister.getGenerator() == null || !persister.getGenerator().generatedOnExecution()) {
                continue;
            }
            EntityPersister root = factory.getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
            if (root instanceof AbstractEntityPersister table && table.getIdentifierColumnNames().length == 1) {
                tables.putIfAbsent(table.getTableName(), table);
            }
        }
        if (tables.isEmpty()) {
            return;
        }
        // the upserts still waiting in a JDBC batch must be in the table before its highest id is read
        s.getJdbcCoordinator().executeBatch();
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        for (AbstractEntityPersister table : tables.values()) {
            catchUp(s, c, table);
        }
    }

    private static void catchUp(SharedSessionContractImplementor s, Connection c, AbstractEntityPersister persister) {
        String table = persister.getTableName();
        String column = persister.getIdentifierColumnNames()[0];
        // pg_get_serial_sequence reads its table argument as SQL text (quotes and all) but its column argument as an
        // exact name: PostgreSQL folds an unquoted column name to lower case, so the column is passed that way too.
        // A column without a sequence gives null, and the statement does nothing.
        String columnName = column.startsWith("\"") ? column.substring(1, column.length() - 1).replace("\"\"", "\"")
                : column.toLowerCase(Locale.ROOT);
        String sql = "select setval(s.seq, m.top) from"
                + " (select pg_get_serial_sequence(?, ?)::regclass as seq) s,"
                + " (select max(" + column + ") as top from " + table + ") m"
                + " where s.seq is not null and m.top > coalesce(pg_sequence_last_value(s.seq),"
                + " (select q.seqstart - 1 from pg_sequence q where q.seqrelid = s.seq))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setString(2, columnName);
            ps.execute();
        } catch (SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Cannot move the id sequence of table " + table
                    + " (entity " + persister.getEntityName() + ") past the ids written with its rows", sql);
        }
    }
}
