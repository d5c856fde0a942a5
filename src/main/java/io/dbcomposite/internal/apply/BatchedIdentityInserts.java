package io.dbcomposite.internal.apply;

import org.hibernate.engine.jdbc.batch.internal.BasicBatchKey;
import org.hibernate.engine.jdbc.mutation.MutationExecutor;
import org.hibernate.engine.jdbc.mutation.internal.MutationExecutorSingleBatched;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.persister.entity.mutation.InsertCoordinatorStandard;
import org.hibernate.sql.model.MutationOperationGroup;
import org.hibernate.sql.model.PreparableMutationOperation;

import java.util.HashMap;
import java.util.Map;

/**
 * The replay's insert of a row whose id is IDENTITY, with the id it has locally, in the session's JDBC batch. Hibernate
 * writes such an insert with the id bound ({@code forceIdentifierBinding}) through a statement of its own, never
 * batched: its batching is for inserts it generates ids for, and an IDENTITY insert gets its id back one at a time. A
 * replayed insert gets no id back, so the same statement, built and bound by Hibernate, goes into a batch keyed by the
 * entity. It writes every insertable column, nulls included, as the entity's own insert does: a statement that left a
 * null column out (as Hibernate's dynamic insert does) gave the remote the column's default where the local row holds
 * null. Used where the replay knows the row is missing and Hibernate's upsert would not be batched (MariaDB and MySQL),
 * on Hibernate ORM 7.4 (the internals it builds on). One instance serves one replay batch.
 */
final class BatchedIdentityInserts {

    /** One coordinator per entity, for one replay batch (kept no longer: it holds the unit's persister). */
    private final Map<EntityPersister, Coordinator> coordinators = new HashMap<>();

    /** @return whether {@link #insert} takes this entity: an IDENTITY id, one table, a mutable non-soft-deleted row */
    static boolean takes(EntityPersister persister) {
        return persister.getGenerator().generatedOnExecution() && !persister.hasMultipleTables() && persister.isMutable()
                && persister.getSoftDeleteMapping() == null && !persister.isDynamicInsert();
    }

    /** Adds the insert of the row to the session's JDBC batch (checked when the batch runs). */
    void insert(EntityPersister persister, Object id, Object[] values, Object entity, SharedSessionContractImplementor s) {
        coordinators.computeIfAbsent(persister, Coordinator::new).insert(id, values, entity, s);
    }

    /** Hibernate's insert coordinator, its dynamic insert sent to a batch instead of on its own. */
    private static final class Coordinator extends InsertCoordinatorStandard {

        Coordinator(EntityPersister persister) {
            super(persister, persister.getFactory());
        }

        void insert(Object id, Object[] values, Object entity, SharedSessionContractImplementor s) {
            boolean[] written = entityPersister().getPropertyInsertability().clone();
            MutationOperationGroup group = generateDynamicInsertSqlGroup(written, entity, s, true);
            PreparableMutationOperation operation = (PreparableMutationOperation) group.getSingleOperation();
            Integer size = s.getJdbcCoordinator().getJdbcSessionOwner().getJdbcBatchSize();
            MutationExecutor executor = new MutationExecutorSingleBatched(operation,
                    new BasicBatchKey(entityPersister().getEntityName() + "#REPLAY-INSERT"),
                    size == null || size < 2 ? 2 : size, s);
            try {
                InsertValuesAnalysis analysis = new InsertValuesAnalysis(entityPersister(), values);
                decomposeForInsert(executor, id, values, entity, group, written, getTableInclusionChecker(analysis), s);
                executor.execute(entity, analysis, getTableInclusionChecker(analysis),
                        (details, rows, position) -> {
                            details.getExpectation().verifyOutcome(rows, details.getStatement(), position, details.getSqlString());
                            return true;
                        }, s);
            } finally {
                executor.release();
            }
        }
    }
}
