package io.dbcomposite.internal.capture;

import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.EntityIdentifierMapping;
import org.hibernate.persister.collection.AbstractCollectionPersister;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.EntityType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The order column of an inverse ({@code mappedBy}) list as its side's database holds it, for a list that was never
 * loaded. Elements added to such a list are queued, not loaded, and at flush Hibernate numbers them after the rows
 * already in the table (its {@code QueuedOperationCollectionAction}, which fires no event) and clears the queue; the
 * collection's later events see an uninitialized wrapper with nothing to iterate. So what Hibernate wrote is read
 * back from the rows, on the flushing session's own connection (inside its transaction), without loading the list.
 */
public final class InverseListOrder {

    private InverseListOrder() {
    }

    /**
     * @return the ids of the owner's element rows by their order column (minus the list's base): index {@code i} holds
     *     the element at position {@code i}, or null where no row has that position; rows without a position are left out
     */
    public static List<Object> read(SharedSessionContractImplementor session, CollectionPersister collection, Object ownerId) {
        AbstractCollectionPersister cp = (AbstractCollectionPersister) collection;
        EntityPersister element = session.getFactory().getMappingMetamodel()
                .getEntityDescriptor(((EntityType) cp.getElementType()).getAssociatedEntityName());
        EntityIdentifierMapping idMapping = element.getIdentifierMapping();
        String[] keyColumns = cp.getKeyColumnNames();
        String[] idColumns = cp.getElementColumnNames();
        String[] indexColumns = cp.getIndexColumnNames();
        if (!(idMapping instanceof BasicValuedModelPart basicId) || idColumns.length != 1 || indexColumns.length != 1) {
            throw new CompositeException("The order column of the inverse list '" + cp.getRole() + "' (owner id " + ownerId
                    + ") was written by Hibernate for elements added while the list was not loaded, and db-composite reads it"
                    + " back only for elements with a single-column id. Load the list before changing it (e.g. call size() on"
                    + " it), or give '" + element.getEntityName() + "' a single-column id");
        }
        String sql = "select " + idColumns[0] + ", " + indexColumns[0] + " from " + cp.getTableName()
                + " where " + String.join(" = ? and ", keyColumns) + " = ? and " + indexColumns[0] + " is not null";
        int base = cp.getAttributeMapping().getIndexMetadata().getListIndexBase();
        // the rows Hibernate has just numbered may still sit in its JDBC batch
        session.getJdbcCoordinator().executeBatch();
        Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        List<Object> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            cp.getKeyType().nullSafeSet(ps, ownerId, 1, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object id = basicId.getJdbcMapping().getJdbcValueExtractor().extract(rs, 1, session);
                    int position = rs.getInt(2) - base;
                    if (position < 0) {
                        continue; // not a place in the list Hibernate would read either
                    }
                    while (ids.size() <= position) {
                        ids.add(null);
                    }
                    ids.set(position, basicId.getJdbcMapping().convertToDomainValue(id));
                }
            }
        } catch (SQLException e) {
            throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
                    "cannot read the order column of " + cp.getRole() + " for owner " + ownerId, sql);
        }
        return ids;
    }
}
