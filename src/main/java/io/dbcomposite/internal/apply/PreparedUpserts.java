package io.dbcomposite.internal.apply;

import org.hibernate.StaleObjectStateException;
import org.hibernate.engine.jdbc.batch.internal.BasicBatchKey;
import org.hibernate.engine.jdbc.batch.spi.Batch;
import org.hibernate.engine.jdbc.batch.spi.BatchKey;
import org.hibernate.engine.jdbc.mutation.JdbcValueBindings;
import org.hibernate.engine.jdbc.mutation.ParameterUsage;
import org.hibernate.engine.jdbc.mutation.group.PreparedStatementDetails;
import org.hibernate.engine.jdbc.mutation.internal.PreparedStatementGroupSingleTable;
import org.hibernate.engine.jdbc.mutation.spi.BindingGroup;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.PluralAttributeMapping;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.metamodel.mapping.SingularAttributeMapping;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.persister.entity.mutation.MergeCoordinatorStandard;
import org.hibernate.sql.model.MutationOperationGroup;
import org.hibernate.sql.model.PreparableMutationOperation;
import org.hibernate.sql.model.TableMapping;
import org.hibernate.sql.model.ast.ColumnValueParameter;
import org.hibernate.sql.exec.spi.JdbcParameterBinder;
import org.hibernate.type.descriptor.ValueBinder;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The replay's upserts of rows of plain single-table entities on PostgreSQL (Hibernate ORM 7.4), added to the session's
 * JDBC batch without going through the stateless session: the statement is Hibernate's own (its merge coordinator's
 * static {@code insert ... on conflict do update}), each parameter bound with the binder Hibernate binds it with, to the
 * JDBC value the entity's own mapping decomposes the state into (converters, embeddables, foreign keys included), and the
 * batch is Hibernate's, so it runs wherever Hibernate would run it (before any other statement of the session, at the
 * commit). What is left out is the work that writes nothing for such a row: the per-row analysis of which attributes
 * to write (every one, for an upsert), the value bindings' lookups, the instance the stateless session reads the
 * state back from (where no getter or setter could change it), its events and statistics bookkeeping.
 *
 * <p>An entity takes this path only where the result is the same as Hibernate's upsert: one table, mutable, no soft
 * delete, tenant, partition key, lazy attributes, second-level cache, custom insert or update SQL, dynamic insert or
 * update, owned one-to-many collection, upsert event listener or interceptor, no generated property but those whose
 * value the library's writes keep ({@link GivenGeneratedValues}: {@code @CreationTimestamp} and the like); a
 * single-attribute id, a version (if any) an {@code Integer}, {@code Long} or {@code Short} counted by Hibernate's own generator; every
 * parameter of the statement a column of its own attributes (set) or of its id and version (restriction), and every
 * column its attributes write a parameter (a column only the update half sets, {@code insertable = false}, has none).
 * A row takes it only inside a transaction with batching on (else Hibernate sends the statement at once), with a
 * counted version that Hibernate would not seed again and an id that does not mean "not saved yet" (which Hibernate
 * refuses). Where a property or the id is read through a getter or written through a setter, the state goes through
 * an instance and back first, as in the stateless session's upsert. Any other entity or row goes through the stateless
 * session's upsert as before. One instance serves one replay batch.
 */
final class PreparedUpserts {

    /** The replay batch's collection rewrites, which take the collections of the rows upserted here. */
    private final CollectionRewrites later;
    private final Map<EntityPersister, Plan> plans = new HashMap<>();
    private int added;

    PreparedUpserts(CollectionRewrites later) {
        this.later = later;
    }

    /** @return the rows this instance added to a JDBC batch itself */
    int added() {
        return added;
    }

    /**
     * Adds the upsert of the row to the session's JDBC batch, if the entity and the row take this path, and hands the
     * row's owned collections to the batch's collection rewrites, as for Hibernate's upsert.
     *
     * @param previousVersion the version the target row is expected to hold, or null for the one before the state's
     * @return false if nothing was done: the caller upserts the row through Hibernate
     */
    boolean upsert(SharedSessionContractImplementor s, EntityPersister persister, Object id, Object[] state,
                   Object previousVersion) {
        Plan plan = plans.computeIfAbsent(persister, p -> Plan.of(p, s));
        if (plan != null && plan.add(s, id, state, previousVersion, later)) {
            added++;
            return true;
        }
        return false;
    }

    /** An entity's statement, its parameters' binders, and where each column's value goes. */
    private static final class Plan {
        final EntityPersister persister;
        final PreparableMutationOperation operation;
        final BatchKey key;
        final ValueBinder<Object>[] binders;
        /** column to the JDBC positions (0-based) its value is bound at, set usage */
        final Map<String, int[]> set;
        /** id column to the positions it restricts at */
        final Map<String, int[]> idRestrict;
        /** version column to the positions it restricts at (the previous version); empty without a version */
        final Map<String, int[]> versionRestrict;
        final SingularAttributeMapping[] attributes;
        /**
         * Whether a property (or the id) is read or written through a getter or setter: the stateless session sets the
         * state on an instance and reads it back, so a getter or setter that changes a value changes what is written
         */
        final boolean roundTrip;
        final int versionPosition;

        private Plan(EntityPersister persister, PreparableMutationOperation operation, ValueBinder<Object>[] binders,
                     Map<String, int[]> set, Map<String, int[]> idRestrict, Map<String, int[]> versionRestrict,
                     SingularAttributeMapping[] attributes, boolean roundTrip) {
            this.persister = persister;
            this.operation = operation;
            this.key = new BasicBatchKey(persister.getEntityName() + "#REPLAY-UPSERT");
            this.binders = binders;
            this.set = set;
            this.idRestrict = idRestrict;
            this.versionRestrict = versionRestrict;
            this.attributes = attributes;
            this.roundTrip = roundTrip;
            this.versionPosition = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        }

        /** @return the plan of an entity that takes this path, or null */
        @SuppressWarnings("unchecked")
        static Plan of(EntityPersister persister, SharedSessionContractImplementor s) {
            if (!(persister instanceof AbstractEntityPersister aep) || aep.getTableMappings().length != 1
                    || persister.hasMultipleTables() || !persister.isMutable() || persister.getSoftDeleteMapping() != null
                    || persister.getTenantIdMapping() != null || persister.hasPartitionedSelectionMapping()
                    || persister.hasLazyProperties() || persister.canWriteToCache() || persister.isDynamicInsert()
                    || persister.isDynamicUpdate() || persister.getMergeCoordinator().getClass() != MergeCoordinatorStandard.class
                    || !(s.getJdbcServices().getDialect() instanceof org.hibernate.dialect.PostgreSQLDialect)
                    || aep.getTableMappings()[0].getInsertDetails().getCustomSql() != null
                    || aep.getTableMappings()[0].getUpdateDetails().getCustomSql() != null
                    || persister.hasInsertGeneratedProperties() || persister.hasUpdateGeneratedProperties()
                    || !countedVersion(persister) || !onlyKnownListeners(persister, s)
                    || !(s.getInterceptor() == null || s.getInterceptor().getClass() == org.hibernate.internal.EmptyInterceptor.class)) {
                return null;
            }
            org.hibernate.generator.Generator[] generators = persister.getGenerators();
            int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
            for (int i = 0; i < generators.length; i++) {
                // an embeddable without generated parts has a generator that generates nothing; an in-memory generator
                // the library's writes keep (@CreationTimestamp, @UpdateTimestamp, an application's own) hands Hibernate's
                // upsert the value the state holds, which is the value bound here (GivenGeneratedValues)
                if (generators[i] != null && i != version
                        && (generators[i].generatesOnInsert() || generators[i].generatesOnUpdate())
                        && !(GivenGeneratedValues.keeps(generators[i]) && !generators[i].generatedOnExecution())) {
                    return null;
                }
            }
            MutationOperationGroup group = persister.getMergeCoordinator().getStaticMutationOperationGroup();
            if (group == null || group.getNumberOfOperations() != 1
                    || !(group.getSingleOperation() instanceof PreparableMutationOperation operation)
                    || operation.getClass() != org.hibernate.sql.model.jdbc.MergeOperation.class) {
                // (with a property the database generates, the static group is an update with a returning clause)
                return null;
            }
            // the columns the row's own mapping supplies: its attributes' (set), its id's and its version's (restricted)
            java.util.Set<String> attributeColumns = new java.util.HashSet<>();
            List<SingularAttributeMapping> attributes = new java.util.ArrayList<>();
            boolean roundTrip = false;
            for (int a = 0; a < persister.getNumberOfAttributeMappings(); a++) {
                AttributeMapping attribute = persister.getAttributeMapping(a);
                // every attribute's setter runs when the stateless session sets the state on its instance, one it does
                // not write included (it may set another field)
                roundTrip |= !fieldAccess(attribute.getPropertyAccess());
                if (persister.isPropertyTemporalExcluded(a)) {
                    return null; // a generated value of such a property makes Hibernate send the upsert at once, unbatched
                }
                if (attribute instanceof PluralAttributeMapping plural) {
                    if (!plural.getCollectionDescriptor().isInverse() && plural.getCollectionDescriptor().isOneToMany()) {
                        return null; // Hibernate's upsert writes its rows; the replay's collection rewrites do not
                    }
                    continue;
                }
                if (!(attribute instanceof SingularAttributeMapping singular)) {
                    return null;
                }
                if (!attribute.getAttributeMetadata().isInsertable() && !attribute.getAttributeMetadata().isUpdatable()) {
                    continue;
                }
                attributes.add(singular);
                boolean[] clash = {false};
                attribute.forEachSelectable((index, selectable) -> {
                    if (included(selectable) && !attributeColumns.add(selectable.getSelectionExpression())) {
                        clash[0] = true;
                    }
                });
                if (clash[0]) {
                    return null; // two attributes write one column: left to Hibernate
                }
            }
            if (!(persister.getIdentifierMapping() instanceof org.hibernate.metamodel.mapping.internal.SingleAttributeIdentifierMapping id)) {
                return null;
            }
            roundTrip |= !fieldAccess(id.getPropertyAccess());
            java.util.Set<String> idColumns = new java.util.HashSet<>();
            persister.getIdentifierMapping().forEachSelectable((index, selectable) ->
                    idColumns.add(selectable.getSelectionExpression()));
            String versionColumn = persister.isVersioned()
                    ? persister.getVersionMapping().getVersionAttribute().getSelectionExpression() : null;
            List<JdbcParameterBinder> parameters = operation.getParameterBinders();
            ValueBinder<Object>[] binders = new ValueBinder[parameters.size()];
            Map<String, int[]> set = new HashMap<>();
            Map<String, int[]> idRestrict = new HashMap<>();
            Map<String, int[]> versionRestrict = new HashMap<>();
            for (int p = 0; p < parameters.size(); p++) {
                if (!(parameters.get(p) instanceof ColumnValueParameter parameter)) {
                    return null;
                }
                String column = parameter.getColumnReference().getColumnExpression();
                Map<String, int[]> target;
                if (parameter.getUsage() == ParameterUsage.SET && attributeColumns.contains(column)) {
                    target = set;
                } else if (parameter.getUsage() == ParameterUsage.RESTRICT && idColumns.contains(column)) {
                    target = idRestrict;
                } else if (parameter.getUsage() == ParameterUsage.RESTRICT && column.equals(versionColumn)) {
                    target = versionRestrict;
                } else {
                    return null; // a parameter the row's mapping does not supply (a discriminator, a lock on values)
                }
                target.merge(column, new int[] {p}, Plan::concat);
                binders[p] = (ValueBinder<Object>) parameter.getJdbcMapping().getJdbcValueBinder();
            }
            if (versionColumn != null && versionRestrict.isEmpty()) {
                return null;
            }
            if (!set.keySet().equals(attributeColumns)) {
                // a column the statement does not insert but its update half sets from the inserted row (insertable =
                // false, updatable = true): Hibernate's upsert refuses to bind it, and skipping it would null the column
                return null;
            }
            return new Plan(persister, operation, binders, set, idRestrict, versionRestrict,
                    attributes.toArray(new SingularAttributeMapping[0]), roundTrip);
        }

        /**
         * @return whether the upsert's events would do nothing for this entity: no listener but the library's own LOB
         *     copy ({@link io.dbcomposite.internal.capture.ReadableLobs}, which copies nothing of an entity without a
         *     LOB) before it and Hibernate's standard one (which calls no callback) after it
         */
        private static boolean onlyKnownListeners(EntityPersister persister, SharedSessionContractImplementor s) {
            for (Object listener : s.getFactory().getEventListenerGroups().eventListenerGroup_PRE_UPSERT.listeners()) {
                if (!(listener instanceof io.dbcomposite.internal.capture.ReadableLobs)
                        || io.dbcomposite.internal.capture.ReadableLobs.copiesPropertiesOf(persister)) {
                    return false;
                }
            }
            for (Object listener : s.getFactory().getEventListenerGroups().eventListenerGroup_POST_UPSERT.listeners()) {
                if (listener.getClass() != org.hibernate.event.internal.PostUpsertEventListenerStandardImpl.class) {
                    return false;
                }
            }
            return true;
        }

        /**
         * @return whether the version, if any, is counted as Hibernate counts it by default: an {@code Integer},
         *     {@code Long} or {@code Short} (of those Java types, not a custom one) without a generator of its own
         */
        private static boolean countedVersion(EntityPersister persister) {
            if (!persister.isVersioned()) {
                return true;
            }
            Class<?> javaType = persister.getVersionMapping().getJavaType().getClass();
            return (persister.getVersionGenerator() == null
                    || persister.getVersionGenerator().getClass() == org.hibernate.generator.internal.VersionGeneration.class)
                    && (javaType == org.hibernate.type.descriptor.java.IntegerJavaType.class
                    || javaType == org.hibernate.type.descriptor.java.LongJavaType.class
                    || javaType == org.hibernate.type.descriptor.java.ShortJavaType.class);
        }

        /** @return whether a property is read and written straight through its field (no getter or setter to run) */
        private static boolean fieldAccess(org.hibernate.property.access.spi.PropertyAccess access) {
            return access instanceof org.hibernate.property.access.internal.PropertyAccessFieldImpl;
        }

        /** Hibernate's merge writes a column that is not a formula and is insertable or updatable. */
        private static boolean included(SelectableMapping selectable) {
            return !selectable.isFormula() && (selectable.isInsertable() || selectable.isUpdateable());
        }

        private static int[] concat(int[] a, int[] b) {
            int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        boolean add(SharedSessionContractImplementor s, Object id, Object[] state, Object previousVersion,
                    CollectionRewrites later) {
            Object[] original = state;
            // the batch size Hibernate's upsert would use: a session that does not batch sends it at once, as before
            Integer sessionSize = s.getJdbcCoordinator().getJdbcSessionOwner().getJdbcBatchSize();
            int size = sessionSize != null ? sessionSize : s.getFactory().getSessionFactoryOptions().getJdbcBatchSize();
            if (!operation.canBeBatched(key, size) || s.getTransactionCoordinator() == null
                    || !s.getTransactionCoordinator().isTransactionActive()) {
                return false; // Hibernate sends it at once outside a transaction
            }
            Object restrict = null;
            if (versionPosition >= 0) {
                Object version = state[versionPosition];
                restrict = previousVersion != null ? previousVersion : VersionArithmetic.previous(version);
                if (!VersionArithmetic.counts(version) || restrict == null || restrict.getClass() != version.getClass()) {
                    return false; // a timestamp version, none yet, or one of another type: Hibernate's path
                }
            }
            Object copy = null;
            if (roundTrip) {
                // as the stateless session's upsert reads them: set on an instance (the version the one it counts from),
                // read back through the getters
                Object[] detached = RowApplier.detachCollections(persister, state); // (a copy, as RowApplier sets it)
                if (versionPosition >= 0) {
                    detached[versionPosition] = restrict;
                }
                copy = RowApplier.instance(persister, id, detached, s);
                id = persister.getIdentifier(copy, s);
                state = persister.getValues(copy);
                if (versionPosition >= 0) {
                    restrict = state[versionPosition];
                    if (!VersionArithmetic.counts(restrict)) {
                        return false;
                    }
                }
            }
            Boolean unsavedId = persister.getIdentifierMapping().getUnsavedStrategy().isUnsaved(id);
            if (unsavedId != null && unsavedId) {
                return false; // Hibernate refuses to upsert an id that means "not saved yet"
            }
            Object[] values = new Object[binders.length];
            boolean[] bound = new boolean[binders.length];
            if (versionPosition >= 0) {
                Boolean unsaved = persister.getVersionMapping().getUnsavedStrategy().isUnsaved(restrict);
                if (unsaved != null && unsaved) {
                    return false; // Hibernate would seed the version instead of counting from it
                }
                // what Hibernate's upsert writes: the version after the one it restricts on
                state = state.clone();
                state[versionPosition] = VersionArithmetic.next(restrict);
                if (!into(persister.getVersionMapping().getVersionAttribute(), restrict, false, versionRestrict, values, bound, s)) {
                    return false;
                }
            }
            for (SingularAttributeMapping attribute : attributes) {
                if (!into(attribute, state[attribute.getStateArrayPosition()], true, set, values, bound, s)) {
                    return false;
                }
            }
            if (!into(persister.getIdentifierMapping(), id, false, idRestrict, values, bound, s)) {
                return false;
            }
            for (boolean b : bound) {
                if (!b) {
                    return false; // a parameter the state left unbound: Hibernate's path, which reports it
                }
            }
            Batch batch = s.getJdbcCoordinator().getBatch(key, size, () -> new PreparedStatementGroupSingleTable(operation, s));
            Object rowId = id;
            batch.addToBatch(new Row(this, values, s), null,
                    stale -> new StaleObjectStateException(persister.getEntityName(), rowId, stale));
            if (s.getFactory().getStatistics().isStatisticsEnabled()) {
                s.getFactory().getStatistics().upsertEntity(persister.getEntityName());
            }
            if (persister.hasOwnedCollections()) {
                // the collection rewrites read the rows' collections from an instance, as the upsert would have
                later.takeFrom(persister, rowId, copy != null ? copy
                        : RowApplier.instance(persister, rowId, RowApplier.detachCollections(persister, original), s), s);
            }
            return true;
        }

        /**
         * Decomposes a value as its mapping does for Hibernate's statements and puts each column's JDBC value at its
         * positions.
         *
         * @param attribute whether the part is an attribute (only its insertable or updatable columns are written)
         * @return false if a column would be bound twice
         */
        private static boolean into(org.hibernate.metamodel.mapping.ModelPart part, Object value, boolean attribute,
                                    Map<String, int[]> positions, Object[] values, boolean[] bound,
                                    SharedSessionContractImplementor s) {
            boolean[] ok = {true};
            part.decompose(value, 0, values, bound, (index, vs, bs, jdbcValue, selectable) -> {
                int[] at = attribute && !included(selectable) ? null : positions.get(selectable.getSelectionExpression());
                if (at == null) {
                    return;
                }
                for (int p : at) {
                    if (bs[p]) {
                        ok[0] = false;
                    }
                    vs[p] = jdbcValue;
                    bs[p] = true;
                }
            }, s);
            return ok[0];
        }
    }

    /** One row's JDBC values, bound when Hibernate's batch adds the row (and again if it retries it). */
    private static final class Row implements JdbcValueBindings {
        private final Plan plan;
        private final Object[] values;
        private final SharedSessionContractImplementor session;

        Row(Plan plan, Object[] values, SharedSessionContractImplementor session) {
            this.plan = plan;
            this.values = values;
            this.session = session;
        }

        @Override
        public BindingGroup getBindingGroup(String tableName) {
            return null;
        }

        @Override
        public void bindValue(Object value, String tableName, String columnName, ParameterUsage usage) {
            throw new UnsupportedOperationException("the values of a replayed upsert are bound when it is added");
        }

        @Override
        public void beforeStatement(PreparedStatementDetails statementDetails) {
            PreparedStatement ps = statementDetails.resolveStatement();
            for (int p = 0; p < values.length; p++) {
                try {
                    plan.binders[p].bind(ps, values[p], p + 1, session);
                } catch (SQLException e) {
                    throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
                            "Unable to bind parameter #" + (p + 1) + " of the upsert of " + plan.persister.getEntityName(),
                            statementDetails.getSqlString());
                }
            }
        }

        @Override
        public void afterStatement(TableMapping mutatingTable) {
        }
    }
}
