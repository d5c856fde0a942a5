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
    /**
     * Writes the key column of a unidirectional one-to-many set or bag (kept in its elements' rows) for the elements
     * added to it and removed from it since it held {@code loadedIds}: the rows of the others stay as they are (a
     * change through an instance another side loaded, which may lag the rows here).
     */
    public static void applyKeyChanges(StatelessSession session, SessionFactoryImplementor target, String role, Object ownerId,
                                       List<Object> elementIds, List<Object> loadedIds) {
        org.hibernate.persister.collection.AbstractCollectionPersister cp = oneToMany(target, role);
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        String[] keyColumns = cp.getKeyColumnNames();
        String[] idColumns = cp.getElementColumnNames();
        org.hibernate.type.Type elementIdType = elementIdType(target, cp);
        List<Object> removed = new ArrayList<>(loadedIds);
        List<Object> added = new ArrayList<>();
        for (Object id : elementIds) {
            if (id != null && !removed.remove(id)) {
                added.add(id);
            }
        }
        removed.removeIf(java.util.Objects::isNull);
        String unset = "update " + cp.getTableName() + " set " + String.join(" = null, ", keyColumns) + " = null where "
                + String.join(" = ? and ", keyColumns) + " = ? and " + String.join(" = ? and ", idColumns) + " = ?";
        String set = "update " + cp.getTableName() + " set " + String.join(" = ?, ", keyColumns) + " = ? where "
                + String.join(" = ? and ", idColumns) + " = ?";
        s.getJdbcCoordinator().executeBatch();
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        String sql = unset;
        try {
            // both statements take the owner's key, then an element's id: the removed elements' rows, then the added
            List<List<Object>> elements = List.of(removed, added);
            List<String> statements = List.of(unset, set);
            for (int step = 0; step < 2; step++) {
                sql = statements.get(step);
                try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Object id : elements.get(step)) {
                        cp.getKeyType().nullSafeSet(ps, ownerId, 1, s);
                        elementIdType.nullSafeSet(ps, id, 1 + keyColumns.length, s);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        } catch (java.sql.SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "cannot set the association columns of " + role
                    + " of owner " + ownerId + " (elements added " + added + ", removed " + removed + ")", sql);
        }
    }

    private static org.hibernate.persister.collection.AbstractCollectionPersister oneToMany(SessionFactoryImplementor target,
                                                                                             String role) {
        return (org.hibernate.persister.collection.AbstractCollectionPersister) target.getMappingMetamodel()
                .getCollectionDescriptor(role);
    }

    /** @return the id type of a one-to-many's element entity */
    private static org.hibernate.type.Type elementIdType(SessionFactoryImplementor target,
                                                        org.hibernate.persister.collection.CollectionPersister cp) {
        return target.getMappingMetamodel().getEntityDescriptor(
                ((org.hibernate.type.EntityType) cp.getElementType()).getAssociatedEntityName()).getIdentifierType();
    }

    public static void applyKeys(StatelessSession session, SessionFactoryImplementor target, String role, Object ownerId,
                                 List<Object> elementIds, List<Object> mapKeys) {
        org.hibernate.persister.collection.AbstractCollectionPersister cp = oneToMany(target, role);
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
        org.hibernate.type.Type elementIdType = elementIdType(target, cp);
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

    /**
     * Deletes a row by id; a missing row is not an error. Owned collection rows go with it, as with Hibernate's delete.
     *
     * @throws io.dbcomposite.CompositeException if rows of the join table of an inverse many-to-many still point at the row
     */
    public static void delete(StatelessSession session, EntityPersister persister, Object id) {
        refuseIfStillJoined(session, persister, id);
        if (hasCustomDelete(persister)) {
            // an @SQLDelete (often a soft delete: "update ... set archived = true"): the entity's own delete runs it, as
            // the source ran it; a bulk delete would remove the row the source keeps
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            s.getJdbcCoordinator().executeBatch();
            if (!rowExists(s, persister, id)) {
                return; // deleting a missing row succeeds
            }
            Object version = null;
            if (persister.isVersioned()) {
                version = persister.getCurrentVersion(id, s);
            }
            Object entity = persister.instantiate(id, s);
            persister.setIdentifier(entity, id, s);
            try {
                persister.getDeleteCoordinator().delete(entity, id, version, s);
                s.getJdbcCoordinator().executeBatch();
            } catch (org.hibernate.StaleStateException alreadyDeleted) {
                // a statement guarded on the row's state ("... where deleted = false") found it deleted already: this
                // delete, replayed again after a crash
            }
            return;
        }
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

    /**
     * A bulk delete also clears the join table of every many-to-many the entity maps, the inverse ({@code mappedBy})
     * ones too, while Hibernate's delete of the entity leaves those rows to their owners: on a database with foreign
     * keys it fails, and the local SQLite side (created without them) keeps rows pointing at nothing. Deleting them here
     * would make the two databases differ without a word, so the delete is refused instead, as that foreign key would.
     */
    private static void refuseIfStillJoined(StatelessSession session, EntityPersister persister, Object id) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        for (Type type : persister.getPropertyTypes()) {
            if (!(type instanceof CollectionType ct)) {
                continue;
            }
            org.hibernate.persister.collection.AbstractCollectionPersister cp =
                    (org.hibernate.persister.collection.AbstractCollectionPersister) persister.getFactory()
                            .getMappingMetamodel().getCollectionDescriptor(ct.getRole());
            if (!cp.isInverse() || !cp.isManyToMany()) {
                continue;
            }
            String sql = "select count(*) from " + cp.getTableName() + " where "
                    + String.join(" = ? and ", cp.getKeyColumnNames()) + " = ?";
            s.getJdbcCoordinator().executeBatch();
            Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            long joined;
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                cp.getKeyType().nullSafeSet(ps, id, 1, s);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    joined = rs.getLong(1);
                }
            } catch (java.sql.SQLException e) {
                throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "cannot read the join table of " + cp.getRole(), sql);
            }
            if (joined > 0) {
                throw new io.dbcomposite.CompositeException("Cannot delete the row of entity '" + persister.getJpaEntityName()
                        + "' with id " + id + " on this side: " + joined + " row(s) of join table " + cp.getTableName()
                        + " (owned by the other side of its many-to-many '"
                        + ct.getRole().substring(ct.getRole().lastIndexOf('.') + 1) + "') still point at it, and deleting"
                        + " them with it would make the two databases differ (Hibernate's delete leaves them, and a foreign key refuses it)."
                        + " Remove the entity from the owners' collections before removing it; for a change already in the"
                        + " sync log, delete those join rows on both databases (the local one keeps them pointing at"
                        + " nothing), and the next sync replays it");
            }
        }
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
        updateById(session, persister, id, List.of(persister.getPropertyNames()[persister.getVersionPropertyIndex()]),
                java.util.Collections.singletonList(version));
    }

    /**
     * Hibernate sets some properties itself, in memory, when it writes a row ({@code @CreationTimestamp},
     * {@code @UpdateTimestamp}, a custom in-memory generator): its insert and its upsert on this side would write the time
     * of the replay, not the one the source row has, and so would a time the target database sets in the statement
     * ({@code @CurrentTimestamp}). A unit's in-memory generators keep the source's values in the statement itself
     * ({@link GivenGeneratedValues}); the others are written again by id, as the source has them: a statement
     * per such row, right away, or, in a replay batch ({@code later} not null), at the batch's end, so that the batch's
     * upserts stay in one JDBC batch.
     */
    private static void restoreGenerated(SharedSessionContractImplementor s, EntityPersister persister, Object id, Object[] state,
                                         CollectionRewrites later) {
        org.hibernate.generator.Generator[] generators = persister.getGenerators();
        int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        List<String> names = null; // most entities have none: nothing allocated on the replay's path for them
        List<Object> values = null;
        for (int i = 0; i < generators.length && i < state.length; i++) {
            org.hibernate.generator.Generator g = generators[i];
            if (g != null && i != version && (g.generatesOnInsert() || g.generatesOnUpdate()) && restored(g, persister)) {
                if (names == null) {
                    names = new ArrayList<>();
                    values = new ArrayList<>();
                }
                names.add(persister.getPropertyNames()[i]);
                values.add(state[i]);
            }
        }
        if (names == null) {
            return;
        }
        if (later != null) {
            later.restoreLater(persister, id, names, values);
            return;
        }
        s.getJdbcCoordinator().executeBatch();
        updateById((StatelessSession) s, persister, id, names, values);
    }

    /**
     * @return whether the database sets a property of the entity in the statement that writes its row
     *     ({@code @CurrentTimestamp}, whose source is the database by default): Hibernate's upsert of such a row on
     *     PostgreSQL fails ("The database returned no natively generated values"), so it is inserted or updated as the
     *     entity's own statements do, and the values are written again as the source has them
     */
    private static boolean setsValuesInTheStatement(EntityPersister persister) {
        org.hibernate.generator.Generator[] generators = persister.getGenerators();
        int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        for (int i = 0; i < generators.length; i++) {
            if (i != version && generators[i] != null && generators[i].generatedOnExecution()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether a generated property is written again after the row: an in-memory generator the library's writes
     *     do not keep ({@link GivenGeneratedValues}), or a value the database sets through the statement
     *     ({@code @CurrentTimestamp}, whose source is the database by default; {@code @Generated(writable = true)}):
     *     the target's clock would give another time than the source row's. A value the database sets on its own (a
     *     computed column, a trigger, {@code @Generated}) is left to it: such a column may refuse a write
     */
    private static boolean restored(org.hibernate.generator.Generator g, EntityPersister persister) {
        if (!g.generatedOnExecution()) {
            return !GivenGeneratedValues.keeps(g);
        }
        return g instanceof org.hibernate.generator.OnExecutionGenerator onExecution
                && onExecution.referenceColumnsInSql(persister.getFactory().getJdbcServices().getDialect());
    }

    /**
     * Writes {@code state} over whatever the row holds (or inserts it), version included: a conflict settled for one
     * side, a retry that overwrites, an update whose row is gone. A counted version is set to the one before
     * {@code state}'s first, so the upsert, which counts it up, ends at {@code state}'s; a timestamp version is written
     * after the upsert, as it is.
     *
     * @param later as for {@link #upsert(StatelessSession, EntityPersister, Object, Object[], Object, CollectionRewrites, Boolean)}
     * @param present as there
     */
    public static void overwrite(StatelessSession session, EntityPersister persister, Object id, Object[] state,
                                 CollectionRewrites later, Boolean present) {
        int v = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        Object previous = null;
        if (v >= 0 && VersionArithmetic.counts(state[v])) {
            previous = VersionArithmetic.previous(state[v]);
            ((SharedSessionContractImplementor) session).getJdbcCoordinator().executeBatch();
            setVersion(session, persister, id, previous);
        }
        upsert(session, persister, id, state, previous, later, present);
        // the properties an update leaves out hold the other writer's values where the upsert went as an update
        writeNotUpdatable(session, persister, id, state);
    }

    /**
     * Writes, by id, the properties the entity's own update leaves out ({@code @Column(updatable = false)}, an
     * {@code @CreationTimestamp} so mapped) as {@code state} holds them. For an overwrite of a row that may hold anything
     * (a conflict settled for one side, a row of another unit): an upsert that went as the entity's update (Hibernate ORM
     * 7.2, MySQL and MariaDB with a {@code @Version}) left the row's old values there. An association, an embeddable and a
     * collection are left as the upsert wrote them. The session's JDBC batch goes first.
     */
    private static void writeNotUpdatable(StatelessSession session, EntityPersister persister, Object id, Object[] state) {
        boolean[] insertable = persister.getPropertyInsertability();
        boolean[] updatable = persister.getPropertyUpdateability();
        Type[] types = persister.getPropertyTypes();
        int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        List<String> names = null;
        List<Object> values = null;
        for (int i = 0; i < types.length; i++) {
            if (insertable[i] && !updatable[i] && i != version && !types[i].isAssociationType()
                    && !types[i].isComponentType()) {
                if (names == null) {
                    names = new ArrayList<>();
                    values = new ArrayList<>();
                }
                names.add(persister.getPropertyNames()[i]);
                values.add(state[i]);
            }
        }
        if (names != null) {
            ((SharedSessionContractImplementor) session).getJdbcCoordinator().executeBatch();
            updateById(session, persister, id, names, values);
        }
    }

    /**
     * Sets properties of one row by id: a criteria update (an entity named like an HQL keyword, {@code Versioned} or
     * {@code Order}, needs no quoting), or an HQL one for an entity without a mapped class or an id property.
     */
    static void updateById(StatelessSession session, EntityPersister persister, Object id, List<String> names,
                                   List<Object> values) {
        String idName = persister.getIdentifierPropertyName();
        if (idName == null || persister.getMappedClass() == null) {
            StringBuilder hql = new StringBuilder("update ").append(persister.getJpaEntityName()).append(" e set ");
            for (int k = 0; k < names.size(); k++) {
                hql.append(k == 0 ? "" : ", ").append("e.").append(names.get(k)).append(" = :p").append(k);
            }
            org.hibernate.query.MutationQuery update = session.createMutationQuery(hql.append(" where id(e) = :id").toString());
            for (int k = 0; k < names.size(); k++) {
                update.setParameter("p" + k, values.get(k));
            }
            update.setParameter("id", id).executeUpdate();
            return;
        }
        session.createMutationQuery(criteriaUpdate(session.getCriteriaBuilder(), persister.getMappedClass(), idName, id, names,
                values)).executeUpdate();
    }

    private static <T> jakarta.persistence.criteria.CriteriaUpdate<T> criteriaUpdate(jakarta.persistence.criteria.CriteriaBuilder cb,
            Class<T> type, String idName, Object id, List<String> names, List<Object> values) {
        jakarta.persistence.criteria.CriteriaUpdate<T> update = cb.createCriteriaUpdate(type);
        jakarta.persistence.criteria.Root<T> root = update.from(type);
        for (int k = 0; k < names.size(); k++) {
            update.set(names.get(k), values.get(k));
        }
        update.where(cb.equal(root.get(idName), id));
        return update;
    }

    /**
     * Whether {@link #upsert} runs Hibernate's own upsert statement. Hibernate ORM 7.2's ({@code merge into ... using
     * (select ...)} on PostgreSQL) differs from 7.4's ({@code insert ... on conflict do update}) in what it writes: it
     * leaves a single-table entity's discriminator (a NOT NULL column: the row is refused) and the columns mapped
     * {@code updatable = false} out of the row it inserts, matches the row on {@code version <= ?} where 7.4 matches
     * the version exactly (a row at an older version would be overwritten), and names its source columns without
     * {@code as}, which PostgreSQL refuses for a column named like a keyword ({@code day}, {@code month}...). On 7.2
     * the row is therefore looked up by id and written through the entity's own insert (with its collections) or
     * update, which write what 7.4's upsert writes, at the cost of a select per row and of the JDBC batch (the lookup
     * runs what the session batched). Unlike 7.4's statement, the lookup and the insert are two statements: a row
     * inserted by another writer in between fails the insert with a constraint violation, as any failed replay.
     */
    private static final boolean UPSERT_STATEMENT = io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4);

    /**
     * Inserts or updates a row so that it holds {@code state}, version included. Every column is written, nulls included,
     * as Hibernate ORM 7.4's upsert statement writes them, where the row is inserted otherwise too ({@link WholeRowInserts}):
     * no column takes a default the row that {@code state} comes from did not.
     *
     * @param previousVersion the version the target row holds before this change, or null to derive it
     */
    public static void upsert(StatelessSession session, EntityPersister persister, Object id, Object[] state, Object previousVersion) {
        GivenGeneratedValues.keeping((SharedSessionContractImplementor) session,
                () -> upsertKeeping(session, persister, id, state, previousVersion, null, null));
    }

    /**
     * Whether the replay should know, before it writes a row, whether the row is there: where Hibernate's upsert
     * statement is not used (Hibernate ORM 7.2, see {@link #UPSERT_STATEMENT}) or is not batched (MySQL and MariaDB:
     * with a {@code @Version}, an update, then an insert if it matched nothing; without, an
     * {@code insert ... on duplicate key update}; each sent on its own), a row known to be missing is inserted and a
     * versioned one known to be there is updated, both in the JDBC batch.
     */
    public static boolean writesBetterKnowingTheRow(SessionFactoryImplementor target) {
        return !UPSERT_STATEMENT || target.getJdbcServices().getDialect() instanceof org.hibernate.dialect.MySQLDialect;
    }

    /** @return whether Hibernate's upsert of this entity is sent a row at a time (see above) */
    private static boolean unbatchedUpsert(EntityPersister persister) {
        return persister.getFactory().getJdbcServices().getDialect() instanceof org.hibernate.dialect.MySQLDialect;
    }

    /**
     * As {@link #upsert(StatelessSession, EntityPersister, Object, Object[], Object)}.
     *
     * @param later where the row's collection-table rows wait to be written after the batch's entity rows, or null to
     *        write them with the row (as Hibernate's upsert does)
     * @param present whether the row is there, if the caller read it in this transaction (with a lock) and knows; else
     *        null
     */
    public static void upsert(StatelessSession session, EntityPersister persister, Object id, Object[] state, Object previousVersion,
                              CollectionRewrites later, Boolean present) {
        GivenGeneratedValues.keeping((SharedSessionContractImplementor) session,
                () -> upsertKeeping(session, persister, id, state, previousVersion, later, present));
    }

    /**
     * Makes the library's writes through {@code factory}'s entities keep the values Hibernate's in-memory generators
     * would set, as the written state holds them (see {@link GivenGeneratedValues}).
     */
    public static void keepGeneratedValues(SessionFactoryImplementor factory) {
        GivenGeneratedValues.install(factory);
    }

    private static void upsertKeeping(StatelessSession session, EntityPersister persister, Object id, Object[] state,
                                      Object previousVersion, CollectionRewrites later, Boolean present) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        boolean update = false;
        if (!persister.isMutable() || persister.getSoftDeleteMapping() != null || !UPSERT_STATEMENT
                || setsValuesInTheStatement(persister)
                || (present != null && unbatchedUpsert(persister) && (!present || persister.isVersioned()))) {
            // Hibernate's upsert refuses an @Immutable entity, and its insert half leaves a @SoftDelete entity's
            // indicator column out (a NOT NULL column, checked before a conflict turns the insert into an update): such
            // a row is inserted through the entity's own insert, which writes the indicator, when it is not there yet;
            // a row already there is updated (soft delete) or, being immutable, already holds this state. So is every
            // row on Hibernate ORM 7.2 (see UPSERT_STATEMENT), every row whose database sets a property in the statement
            // (setsValuesInTheStatement), and, when the caller knows whether the row is there,
            // every row where the upsert would not be batched (unbatchedUpsert) and is known to be missing, and every
            // such versioned row known to be there. A row without a version known to be there keeps the upsert: an
            // update that changes no column matches no row where the driver reports affected rows (useAffectedRows),
            // which the upsert accepts and the entity's update does not. The version-guarded update
            // of a row known to be there still fails the batch if the row moved on
            update = true;
            if (present != null ? !present : !rowExists(s, persister, id)) {
                // a replayed IDENTITY insert joins the JDBC batch where Hibernate would send it alone (WholeRowInserts)
                boolean batched = later != null && present != null && UPSERT_STATEMENT && unbatchedUpsert(persister)
                        && WholeRowInserts.batches(persister);
                Object inserted = insertRow(s, persister, id, state, later == null ? null : later.inserts(), batched, true);
                if (persister.isMutable() && persister.getSoftDeleteMapping() == null) {
                    // in place of the upsert, which writes the entity's collections with its row
                    if (later != null) {
                        later.takeFrom(persister, id, inserted, s);
                    } else {
                        recreateCollections(s, persister, id, inserted);
                    }
                }
                if (later == null) {
                    s.getJdbcCoordinator().executeBatch();
                }
                if (!batched) {
                    restoreGenerated(s, persister, id, state, later);
                }
                return;
            }
            if (!persister.isMutable()) {
                return;
            }
        }
        if (!update && later != null && UPSERT_STATEMENT
                && later.upserts().upsert(s, persister, id, state, previousVersion)) {
            return; // Hibernate's upsert statement, bound in the batch, its collections kept for later (PreparedUpserts)
        }
        Object[] values = detachCollections(persister, state);
        Object stamp = null;
        if (persister.isVersioned()) {
            int v = persister.getVersionPropertyIndex();
            Object version = values[v];
            if (version == null || VersionArithmetic.counts(version)) {
                // Hibernate's upsert increments the version it is given and matches the row on the old one:
                // hand it the version before this change so the target ends with exactly the source's version
                values[v] = previousVersion != null ? previousVersion : VersionArithmetic.previous(version);
            } else {
                // a timestamp version: the upsert would write its own clock's time, a few milliseconds off the source's,
                // so the source's version is written by id after it. The statements by id run at once: what the
                // session batched goes first
                stamp = version;
                s.getJdbcCoordinator().executeBatch();
                if (previousVersion == null) {
                    // a replay does not know the version the target row holds; as for a numeric version found
                    // different, the source's state wins
                    setVersion(session, persister, id, version);
                } else {
                    values[v] = previousVersion;
                }
            }
        }
        Object copy = instance(persister, id, values, s);
        if (later != null) {
            later.takeFrom(persister, id, copy, s);
        }
        // the collections inside embeddables, which Hibernate's stateless writes leave alone: read before its write,
        // which may replace them in the instance
        List<Object[]> nested = new ArrayList<>();
        if (later == null) {
            CollectionRewrites.forEachNested(persister, copy, (descriptor, value) -> nested.add(new Object[] {descriptor,
                    value instanceof PersistentCollection<?> ? plainCopy(value) : value}));
        }
        if (update) {
            session.update(persister.getEntityName(), copy);
        } else {
            session.upsert(persister.getEntityName(), copy);
        }
        for (Object[] n : nested) {
            org.hibernate.persister.collection.CollectionPersister descriptor = (org.hibernate.persister.collection.CollectionPersister) n[0];
            s.getJdbcCoordinator().executeBatch();
            descriptor.remove(id, s);
            if (n[1] != null) {
                descriptor.recreate(wrap(descriptor, n[1], copy, id, s), id, s);
            }
        }
        removeEmptyOptionalRows(s, persister, id, values);
        if (stamp != null) {
            s.getJdbcCoordinator().executeBatch();
            setVersion(session, persister, id, stamp);
        }
        restoreGenerated(s, persister, id, values, later);
    }

    /**
     * Hibernate keeps no row in an optional secondary table ({@code @SecondaryTable}) whose columns are all null: its
     * insert skips it and its update deletes it. Its upsert writes one anyway, so the target would hold a row of nulls
     * the source has not; it is removed. Costs a statement only for such an entity whose secondary values are all null.
     */
    private static void removeEmptyOptionalRows(SharedSessionContractImplementor s, EntityPersister persister, Object id,
                                                Object[] values) {
        if (!(persister instanceof org.hibernate.persister.entity.AbstractEntityPersister aep)) {
            return;
        }
        for (org.hibernate.persister.entity.mutation.EntityTableMapping table : aep.getTableMappings()) {
            if (!table.isOptional() || table.isIdentifierTable() || table.isInverse()) {
                continue;
            }
            boolean empty = true;
            for (int attribute : table.getAttributeIndexes()) {
                if (values[persister.getAttributeMapping(attribute).getStateArrayPosition()] != null) {
                    empty = false;
                    break;
                }
            }
            if (!empty) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            table.getKeyMapping().forEachSelectable((n, key) -> keys.add(key.getSelectionExpression()));
            String sql = "delete from " + table.getTableName() + " where " + String.join(" = ? and ", keys) + " = ?";
            s.getJdbcCoordinator().executeBatch();
            Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                persister.getIdentifierType().nullSafeSet(ps, id, 1, s);
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Could not remove the empty row of entity '"
                        + persister.getEntityName() + "' with id " + id + " from its optional table " + table.getTableName(), sql);
            }
        }
    }

    /** @return whether a table of the entity has a custom delete statement ({@code @SQLDelete}) */
    private static boolean hasCustomDelete(EntityPersister persister) {
        if (persister instanceof org.hibernate.persister.entity.AbstractEntityPersister aep) {
            for (org.hibernate.persister.entity.mutation.EntityTableMapping table : aep.getTableMappings()) {
                if (table.getDeleteCustomSql() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return whether the entity's root table holds a row with this id, whatever restriction ({@code @SQLRestriction},
     *     a soft-delete indicator) Hibernate's own reads would add
     */
    public static boolean exists(SharedSessionContractImplementor s, EntityPersister persister, Object id) {
        return rowExists(s, persister, id);
    }

    private static boolean rowExists(SharedSessionContractImplementor s, EntityPersister persister, Object id) {
        s.getJdbcCoordinator().executeBatch();
        org.hibernate.persister.entity.AbstractEntityPersister aep = (org.hibernate.persister.entity.AbstractEntityPersister) persister;
        String sql = "select 1 from " + aep.getTableName(0) + " where "
                + String.join(" = ? and ", aep.getIdentifierColumnNames()) + " = ?";
        Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            persister.getIdentifierType().nullSafeSet(ps, id, 1, s);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (java.sql.SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Could not look for the row of entity '"
                    + persister.getEntityName() + "' with id " + id, sql);
        }
    }

    /**
     * Inserts a row that holds {@code state}, version included, with the id given: a row that already has this id fails
     * the insert (a constraint violation), as it fails in plain Hibernate. The entity's id generator is not asked: the
     * id was given when the instance was persisted.
     */
    public static void insert(StatelessSession session, EntityPersister persister, Object id, Object[] state) {
        insert(session, persister, id, state, true);
    }

    /**
     * As {@link #insert(StatelessSession, EntityPersister, Object, Object[])}.
     *
     * @param flush false to leave the statement in the session's JDBC batch (a row already there then fails the batch)
     */
    public static void insert(StatelessSession session, EntityPersister persister, Object id, Object[] state, boolean flush) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        GivenGeneratedValues.keeping(s, () -> insertRow(s, persister, id, state, null, false, false));
        if (flush) {
            s.getJdbcCoordinator().executeBatch();
        }
        restoreGenerated(s, persister, id, state, null);
    }

    /**
     * @param inserts where an insert that must write the whole row is written (a replay batch's), or null for one of its own
     * @param batched whether such an insert goes into a JDBC batch of its own ({@link WholeRowInserts#batch})
     * @param ofRow whether the state is a copy of a row (an upsert's), or else an application's new row held until
     *        commit (see {@link WholeRowInserts#needed})
     * @return the instance the row was inserted from
     */
    private static Object insertRow(SharedSessionContractImplementor s, EntityPersister persister, Object id, Object[] state,
                                    WholeRowInserts inserts, boolean batched, boolean ofRow) {
        Object[] values = detachCollections(persister, state);
        Object copy = instance(persister, id, values, s);
        if (batched) {
            inserts.batch(persister, id, values, copy, s);
        } else if (WholeRowInserts.needed(persister, ofRow)) {
            (inserts != null ? inserts : new WholeRowInserts()).now(persister, id, values, copy, s);
        } else {
            persister.getInsertCoordinator().insert(copy, id, values, s);
        }
        return copy;
    }

    /**
     * Writes the rows of the entity's owned collections (not the inverse ones), as Hibernate's stateless upsert does
     * after the entity's row; an unloaded collection is skipped, as there.
     */
    private static void recreateCollections(SharedSessionContractImplementor s, EntityPersister persister, Object id,
                                            Object entity) {
        persister.visitAttributeMappings(attribute -> {
            if (!attribute.isPluralAttributeMapping()) {
                return;
            }
            org.hibernate.persister.collection.CollectionPersister descriptor =
                    attribute.asPluralAttributeMapping().getCollectionDescriptor();
            if (descriptor.isInverse()) {
                return;
            }
            Object value = attribute.getPropertyAccess().getGetter().get(entity);
            PersistentCollection<?> collection;
            if (value instanceof PersistentCollection<?> persistent) {
                if (!persistent.wasInitialized()) {
                    return;
                }
                collection = persistent;
            } else {
                collection = wrap(descriptor, value, entity, id, s);
            }
            descriptor.recreate(collection, id, s);
        });
        CollectionRewrites.forEachNested(persister, entity, (descriptor, value) -> {
            if (value != null) {
                descriptor.recreate(value instanceof PersistentCollection<?> pc ? pc : wrap(descriptor, value, entity, id, s), id, s);
            }
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static PersistentCollection<?> wrap(org.hibernate.persister.collection.CollectionPersister descriptor,
                                                Object value, Object owner, Object id, SharedSessionContractImplementor s) {
        org.hibernate.collection.spi.CollectionSemantics semantics = descriptor.getCollectionSemantics();
        if (value == null) {
            return semantics.instantiateWrapper(id, descriptor, s);
        }
        PersistentCollection<?> wrapped = semantics.wrap(value, descriptor, s);
        wrapped.setOwner(owner);
        return wrapped;
    }

    /** @return a new instance of the entity holding the values (setters and all, as the stateless session sets them) */
    static Object instance(EntityPersister persister, Object id, Object[] values, SharedSessionContractImplementor s) {
        Object copy = persister.instantiate(id, s);
        persister.setValues(copy, values);
        persister.setIdentifier(copy, id, s);
        return copy;
    }

    /**
     * Replaces the source session's collection wrappers by plain collections; unloaded ones stay (and are skipped). A
     * null collection becomes an empty one: Hibernate keeps no row of either (its stateless write failed on the null).
     */
    static Object[] detachCollections(EntityPersister persister, Object[] state) {
        Object[] values = state.clone();
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < values.length; i++) {
            if (types[i] instanceof CollectionType && values[i] instanceof PersistentCollection<?> pc && pc.wasInitialized()) {
                values[i] = plainCopy(values[i]);
            } else if (types[i] instanceof CollectionType ct && values[i] == null) {
                org.hibernate.persister.collection.CollectionPersister cp =
                        persister.getFactory().getMappingMetamodel().getCollectionDescriptor(ct.getRole());
                if (!cp.isInverse()) {
                    values[i] = cp.getCollectionSemantics().instantiateRaw(0, cp);
                }
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

