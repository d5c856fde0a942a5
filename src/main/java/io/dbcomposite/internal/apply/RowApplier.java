package io.dbcomposite.internal.apply;

import io.dbcomposite.ChangeOperation;
import org.hibernate.StatelessSession;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.CollectionType;
import org.hibernate.type.Type;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes changes into one side on a given JDBC connection (so they join the transaction open on it)
 * through a StatelessSession: an upsert that keeps the id and writes the version the source has, and an
 * idempotent delete by id.
 */
public final class RowApplier {

    private RowApplier() {
    }

    /**
     * Sets the columns a one-to-many keeps in its elements' table on this side (where its owner's flush never ran). A
     * unidirectional one: rows that pointed at the owner no longer do, then each element row points at it (with its
     * list index, if ordered). An inverse list with an order column: each element row gets its list index (its key is
     * the element's own state). A null element keeps its place in the list and writes nothing.
     *
     * @param mapKeys for a map, the key of each element (its index column); null for a list (the position) or a set
     */
    public static void applyKeys(StatelessSession session, SessionFactoryImplementor target, String role, Object ownerId,
                                 List<Object> elementIds, List<Object> mapKeys) {
        org.hibernate.persister.collection.AbstractCollectionPersister cp =
                (org.hibernate.persister.collection.AbstractCollectionPersister) target.getMappingMetamodel()
                        .getCollectionDescriptor(role);
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        boolean inverse = cp.isInverse();
        String table = cp.getTableName();
        String[] keyColumns = inverse ? new String[0] : cp.getKeyColumnNames();
        String[] idColumns = cp.getElementColumnNames();
        String[] indexColumns = cp.hasIndex() ? cp.getIndexColumnNames() : new String[0];
        List<String> assigned = new ArrayList<>();
        for (String column : keyColumns) {
            assigned.add(column + " = ?");
        }
        for (String column : indexColumns) {
            assigned.add(column + " = ?");
        }
        String point = "update " + table + " set " + String.join(", ", assigned)
                + " where " + String.join(" = ? and ", idColumns) + " = ?";
        org.hibernate.type.Type elementIdType = target.getMappingMetamodel().getEntityDescriptor(
                ((org.hibernate.type.EntityType) cp.getElementType()).getAssociatedEntityName()).getIdentifierType();
        s.getJdbcCoordinator().executeBatch();
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        String sql = point;
        try {
            if (!inverse) {
                String keyMatch = String.join(" = ? and ", keyColumns) + " = ?";
                sql = "update " + table + " set " + String.join(" = null, ", keyColumns) + " = null"
                        + (indexColumns.length > 0 ? ", " + String.join(" = null, ", indexColumns) + " = null" : "")
                        + " where " + keyMatch;
                try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                    cp.getKeyType().nullSafeSet(ps, ownerId, 1, s);
                    ps.executeUpdate();
                }
                sql = point;
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement(point)) {
                for (int i = 0; i < elementIds.size(); i++) {
                    if (elementIds.get(i) == null) {
                        continue;
                    }
                    int at = 1;
                    if (!inverse) {
                        cp.getKeyType().nullSafeSet(ps, ownerId, at, s);
                        at += keyColumns.length;
                    }
                    if (indexColumns.length > 0) {
                        // the index as Hibernate writes it: the map key, or the list position plus the mapping's base
                        Object index = mapKeys != null ? mapKeys.get(i)
                                : i + cp.getAttributeMapping().getIndexMetadata().getListIndexBase();
                        cp.getIndexType().nullSafeSet(ps, index, at, s);
                        at += indexColumns.length;
                    }
                    elementIdType.nullSafeSet(ps, elementIds.get(i), at, s);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        } catch (java.sql.SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "cannot set the association columns of " + role, sql);
        }
    }

    /** Deletes a row by id; a missing row is not an error. Owned collection rows go with it. */
    public static void delete(StatelessSession session, EntityPersister persister, Object id) {
        String idName = persister.getIdentifierPropertyName();
        if (idName == null || persister.getMappedClass() == null) {
            session.createMutationQuery("delete from " + persister.getJpaEntityName() + " e where id(e) = :id")
                    .setParameter("id", id)
                    .executeUpdate();
            return;
        }
        // built as a criteria, not as text: an entity named like an HQL keyword (Versioned, Order) needs no quoting
        jakarta.persistence.criteria.CriteriaBuilder cb = session.getCriteriaBuilder();
        jakarta.persistence.criteria.CriteriaDelete<?> delete = criteriaDelete(cb, persister.getMappedClass(), idName, id);
        session.createMutationQuery(delete).executeUpdate();
    }

    private static <T> jakarta.persistence.criteria.CriteriaDelete<T> criteriaDelete(
            jakarta.persistence.criteria.CriteriaBuilder cb, Class<T> type, String idName, Object id) {
        jakarta.persistence.criteria.CriteriaDelete<T> delete = cb.createCriteriaDelete(type);
        jakarta.persistence.criteria.Root<T> root = delete.from(type);
        delete.where(cb.equal(root.get(idName), id));
        return delete;
    }

    /** Sets a row's version column to {@code version} (to let an upsert that expects it through). */
    public static void setVersion(StatelessSession session, EntityPersister persister, Object id, Object version) {
        String idName = persister.getIdentifierPropertyName();
        String versionName = persister.getPropertyNames()[persister.getVersionPropertyIndex()];
        if (idName == null || persister.getMappedClass() == null) {
            session.createMutationQuery("update " + persister.getJpaEntityName() + " e set e." + versionName
                            + " = :v where id(e) = :id")
                    .setParameter("v", version)
                    .setParameter("id", id)
                    .executeUpdate();
            return;
        }
        session.createMutationQuery(criteriaUpdate(session.getCriteriaBuilder(), persister.getMappedClass(), idName, id,
                versionName, version)).executeUpdate();
    }

    private static <T> jakarta.persistence.criteria.CriteriaUpdate<T> criteriaUpdate(
            jakarta.persistence.criteria.CriteriaBuilder cb, Class<T> type, String idName, Object id, String versionName,
            Object version) {
        jakarta.persistence.criteria.CriteriaUpdate<T> update = cb.createCriteriaUpdate(type);
        jakarta.persistence.criteria.Root<T> root = update.from(type);
        update.set(versionName, version);
        update.where(cb.equal(root.get(idName), id));
        return update;
    }

    /**
     * Inserts or updates a row so that it holds {@code state}, version included.
     *
     * @param previousVersion the version the target row holds before this change, or null to derive it
     */
    public static void upsert(StatelessSession session, EntityPersister persister, Object id, Object[] state, Object previousVersion) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Object[] values = detachCollections(persister, state);
        if (persister.isVersioned()) {
            // Hibernate's upsert increments the version it is given and matches the row on the old one:
            // hand it the version before this change so the target ends with exactly the source's version
            int v = persister.getVersionPropertyIndex();
            values[v] = previousVersion != null ? previousVersion : VersionArithmetic.previous(values[v]);
        }
        Object copy = persister.instantiate(id, s);
        persister.setValues(copy, values);
        persister.setIdentifier(copy, id, s);
        session.upsert(persister.getEntityName(), copy);
    }

    /**
     * Inserts a row that holds {@code state}, version included, with the id given: a row that already has this id fails
     * the insert (a constraint violation), as it fails in plain Hibernate. The entity's id generator is not asked: the
     * id was given when the instance was persisted.
     */
    public static void insert(StatelessSession session, EntityPersister persister, Object id, Object[] state) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Object[] values = detachCollections(persister, state);
        Object copy = persister.instantiate(id, s);
        persister.setValues(copy, values);
        persister.setIdentifier(copy, id, s);
        persister.getInsertCoordinator().insert(copy, id, values, s);
        s.getJdbcCoordinator().executeBatch();
    }

    /** Replaces the source session's collection wrappers by plain collections; unloaded ones stay (and are skipped). */
    private static Object[] detachCollections(EntityPersister persister, Object[] state) {
        Object[] values = state.clone();
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < values.length; i++) {
            if (types[i] instanceof CollectionType && values[i] instanceof PersistentCollection<?> pc && pc.wasInitialized()) {
                values[i] = plainCopy(values[i]);
            }
        }
        return values;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object plainCopy(Object collection) {
        if (collection instanceof SortedSet<?> s) {
            return new TreeSet(s);
        }
        if (collection instanceof Set<?> s) {
            return new LinkedHashSet<>(s);
        }
        if (collection instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (collection instanceof SortedMap<?, ?> m) {
            return new TreeMap(m);
        }
        if (collection instanceof Map<?, ?> m) {
            return new LinkedHashMap<>(m);
        }
        if (collection instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        return collection;
    }

}
