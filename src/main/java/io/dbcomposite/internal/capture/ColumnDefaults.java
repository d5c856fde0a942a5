package io.dbcomposite.internal.capture;

import io.dbcomposite.CompositeException;
import org.hibernate.boot.Metadata;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Selectable;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.BasicType;
import org.hibernate.type.Type;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values a local insert left to the database's column defaults. An entity with {@code @DynamicInsert} leaves its
 * null properties out of the insert, so a column with a default ({@code @ColumnDefault("'plain'")}) holds the default
 * while the instance, and the state Hibernate hands the capture, hold null. The log must hold what the local row holds:
 * a replay writing null would leave the remote row without the value the local one has. Such values are read back from
 * the local row, one {@code select} per property an insert left to its default (none for other entities and inserts).
 */
public final class ColumnDefaults {

    /** Entity name to the names of its basic, single-column properties whose column has a default. */
    private volatile Map<String, Set<String>> defaulted = Map.of();

    void collect(Metadata metadata) {
        Map<String, Set<String>> out = new HashMap<>();
        for (PersistentClass entity : metadata.getEntityBindings()) {
            if (!entity.useDynamicInsert()) {
                continue;
            }
            for (Property property : entity.getPropertyClosure()) {
                List<Selectable> columns = property.getValue().getSelectables();
                if (columns.size() == 1 && columns.get(0) instanceof Column column && column.getDefaultValue() != null) {
                    out.computeIfAbsent(entity.getEntityName(), k -> new HashSet<>()).add(property.getName());
                }
            }
        }
        defaulted = Map.copyOf(out);
    }

    /**
     * The values are put into {@code state} (Hibernate's state of the inserted row) and into the managed instance, as
     * Hibernate puts a {@code @Generated} value there: a later update of the instance in the same session (under
     * {@code @DynamicUpdate}) then carries the default, not null, and the log and the other side stay equal to the
     * local row. A second call for the same insert (the capture after the mirror) finds nothing left to read.
     *
     * @param state the inserted state, by the persister's property order
     * @return {@code state}, with the values the local row took from column defaults
     */
    public Object[] fill(EntityPersister persister, Object id, Object[] state, SharedSessionContractImplementor session) {
        Set<String> names = defaulted.get(persister.getEntityName());
        if (names == null || state == null) {
            return state;
        }
        AbstractEntityPersister aep = (AbstractEntityPersister) persister;
        Type[] types = persister.getPropertyTypes();
        List<Integer> missing = new ArrayList<>();
        for (String name : names) {
            int i = persister.getPropertyIndex(name);
            if (state[i] == null && types[i] instanceof BasicType<?>) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return state;
        }
        Object[] filled = state;
        Object entity = null;
        if (session.getPersistenceContextInternal() != null) {
            entity = session.getPersistenceContextInternal().getEntity(session.generateEntityKey(id, persister));
        }
        for (int i : missing) {
            String property = persister.getPropertyNames()[i];
            org.hibernate.metamodel.mapping.SelectableMapping column =
                    (org.hibernate.metamodel.mapping.SelectableMapping) persister.getAttributeMapping(i);
            String table = aep.physicalTableNameForMutation(column);
            List<String> keys = new ArrayList<>();
            for (org.hibernate.persister.entity.mutation.EntityTableMapping mapping : aep.getTableMappings()) {
                if (mapping.getTableName().equals(table)) {
                    mapping.getKeyMapping().forEachSelectable((n, key) -> keys.add(key.getSelectionExpression()));
                }
            }
            String sql = "select " + column.getSelectionExpression() + " from " + table
                    + " where " + String.join(" = ? and ", keys) + " = ?";
            try {
                session.getJdbcCoordinator().executeBatch();
                Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    persister.getIdentifierType().nullSafeSet(ps, id, 1, session);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            Object value = ((BasicType<?>) types[i]).getJdbcValueExtractor().extract(rs, 1, session);
                            @SuppressWarnings("unchecked")
                            org.hibernate.type.descriptor.converter.spi.BasicValueConverter<Object, Object> converter =
                                    (org.hibernate.type.descriptor.converter.spi.BasicValueConverter<Object, Object>)
                                            ((BasicType<?>) types[i]).getValueConverter();
                            filled[i] = converter == null || value == null ? value : converter.toDomainValue(value);
                            if (entity != null && filled[i] != null) {
                                persister.setValue(entity, i, filled[i]);
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw new CompositeException("Cannot read back the column default of " + persister.getEntityName() + "."
                        + property + " for id " + id + " from the local row", e);
            }
        }
        return filled;
    }
}
