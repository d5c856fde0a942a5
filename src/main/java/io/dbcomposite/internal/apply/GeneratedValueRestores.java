package io.dbcomposite.internal.apply;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generated values of a replay batch's rows ({@code @CreationTimestamp}, {@code @UpdateTimestamp}, another in-memory
 * generator) to write again by id, as the source has them, once the batch's rows have been sent ({@link RowApplier}).
 *
 * <p>Per entity, the rows go in one JDBC batch of {@code update <table> set <column> = ?, ... where <id> = ?}, each value
 * bound by the attribute's own Hibernate mapping (its JDBC type and converter, as Hibernate's own update binds it). An
 * entity whose values that statement cannot write exactly goes one criteria update a row, as before: an id of more than
 * one column, a generated attribute that is not one plain column of the id's table (a formula, a write expression, an
 * embeddable), a soft delete or a {@code @SQLRestriction}. A row written twice in the batch is restored twice, in order:
 * the last values win.
 */
final class GeneratedValueRestores {

    private record Restore(EntityPersister persister, Object id, List<String> names, List<Object> values) {
    }

    /** The statement of an entity whose rows can go in a JDBC batch. */
    private record Batchable(String sql, BasicValuedModelPart id, List<BasicValuedModelPart> columns) {
    }

    private final List<Restore> restores = new ArrayList<>();

    void add(EntityPersister persister, Object id, List<String> names, List<Object> values) {
        restores.add(new Restore(persister, id, names, values));
    }

    /** Writes the kept values: the session's batch so far goes first. */
    void write(SharedSessionContractImplementor s) {
        if (restores.isEmpty()) {
            return;
        }
        // a row belongs to one entity and gets the same attributes each time: the groups never share a row
        Map<EntityPersister, List<Restore>> byEntity = new LinkedHashMap<>();
        for (Restore r : restores) {
            byEntity.computeIfAbsent(r.persister, p -> new ArrayList<>()).add(r);
        }
        restores.clear();
        s.getJdbcCoordinator().executeBatch();
        for (Map.Entry<EntityPersister, List<Restore>> group : byEntity.entrySet()) {
            List<Restore> rows = group.getValue();
            Batchable statement = batchable(group.getKey(), rows.get(0).names);
            if (statement == null || rows.size() == 1) {
                for (Restore r : rows) {
                    RowApplier.updateById((org.hibernate.StatelessSession) s, r.persister, r.id, r.names, r.values);
                }
            } else {
                inJdbcBatch(s, statement, rows);
            }
        }
    }

    /** @return the batched statement for these attributes of the entity, or null where it would not write them exactly */
    static Batchable batchable(EntityPersister persister, List<String> names) {
        if (!persister.isMutable() || persister.getSoftDeleteMapping() != null || persister.hasWhereRestrictions()) {
            return null;
        }
        BasicValuedModelPart id = persister.getIdentifierMapping().asBasicValuedModelPart();
        if (id == null || id.isFormula() || id.getJdbcTypeCount() != 1) {
            return null;
        }
        String table = id.getContainingTableExpression();
        StringBuilder sql = new StringBuilder("update ").append(table).append(" set ");
        List<BasicValuedModelPart> columns = new ArrayList<>(names.size());
        for (String name : names) {
            AttributeMapping attribute = persister.findAttributeMapping(name);
            BasicValuedModelPart column = attribute == null ? null : attribute.asBasicValuedModelPart();
            if (column == null || column.isFormula() || !"?".equals(column.getWriteExpression())
                    || !table.equals(column.getContainingTableExpression())) {
                return null;
            }
            sql.append(columns.isEmpty() ? "" : ", ").append(column.getSelectionExpression()).append(" = ?");
            columns.add(column);
        }
        sql.append(" where ").append(id.getSelectionExpression()).append(" = ?");
        return new Batchable(sql.toString(), id, columns);
    }

    private static void inJdbcBatch(SharedSessionContractImplementor s, Batchable statement, List<Restore> rows) {
        PreparedStatement ps = s.getJdbcCoordinator().getStatementPreparer().prepareStatement(statement.sql);
        try {
            for (Restore r : rows) {
                int k = 1;
                for (int c = 0; c < statement.columns.size(); c++) {
                    bind(ps, k++, statement.columns.get(c), r.values.get(c), s);
                }
                bind(ps, k, statement.id, r.id, s);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e,
                    "could not write the generated values of " + rows.size() + " replayed row(s) of entity "
                            + rows.get(0).persister.getEntityName(), statement.sql);
        } finally {
            s.getJdbcCoordinator().getLogicalConnection().getResourceRegistry().release(ps);
            s.getJdbcCoordinator().afterStatementExecution();
        }
    }

    /** Binds a domain value as Hibernate's own statements bind the column: converted, then by its JDBC type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bind(PreparedStatement ps, int index, BasicValuedModelPart column, Object value,
                             SharedSessionContractImplementor s) throws SQLException {
        org.hibernate.metamodel.mapping.JdbcMapping mapping = column.getJdbcMapping();
        ((org.hibernate.type.descriptor.ValueBinder) mapping.getJdbcValueBinder())
                .bind(ps, mapping.convertToRelationalValue(value), index, s);
    }
}
