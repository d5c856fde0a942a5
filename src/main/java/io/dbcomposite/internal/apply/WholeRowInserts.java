package io.dbcomposite.internal.apply;

import io.dbcomposite.internal.boot.HibernateVersion;
import org.hibernate.engine.jdbc.batch.internal.BasicBatchKey;
import org.hibernate.engine.jdbc.mutation.MutationExecutor;
import org.hibernate.engine.jdbc.mutation.TableInclusionChecker;
import org.hibernate.engine.jdbc.mutation.internal.MutationExecutorSingleBatched;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.persister.entity.mutation.InsertCoordinatorStandard;
import org.hibernate.sql.model.MutationOperationGroup;
import org.hibernate.sql.model.PreparableMutationOperation;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;

/**
 * The library's inserts of a row as the local side holds it, with the id it has there, writing every insertable column,
 * nulls included.
 *
 * <p>Hibernate's own insert leaves null columns out of the statement when it is dynamic: under {@code @DynamicInsert},
 * and whenever an IDENTITY id is given ({@code forceIdentifierBinding}), which is every replayed or mirrored insert of
 * such an entity. A column with a default then took the default where the local row holds null. The default may be one
 * the mapping declares ({@code @ColumnDefault}) or one only the remote schema has (a migration tool's, a DBA's); either
 * way the two databases differed, silently. The statement here is Hibernate's dynamic insert, built and bound by
 * Hibernate (the entity's tables, discriminator, soft-delete indicator, values generated in SQL), with every insertable
 * property in it. Under {@code @DynamicInsert} the state already holds the values the local row took from its own
 * defaults ({@code ColumnDefaults}), so the remote row gets those.
 *
 * <p>{@link #batch} adds the insert to the session's JDBC batch, where the replay knows the row is missing and
 * Hibernate's upsert would not be batched (MariaDB and MySQL, Hibernate ORM 7.4: {@link #batches}); {@link #now} sends it
 * at once, as Hibernate's insert does. One instance serves one replay batch or one write: it holds the unit's
 * persisters no longer.
 */
final class WholeRowInserts {

    /** Hibernate ORM 7.2's {@code decomposeForInsert}, which takes no entity; null on 7.4. */
    private static final MethodHandle DECOMPOSE_72 = Coordinator.decompose72();

    private final Map<EntityPersister, Coordinator> coordinators = new HashMap<>();

    /** @return whether {@link #batch} takes this entity: an IDENTITY id, one table, a mutable non-soft-deleted row */
    static boolean batches(EntityPersister persister) {
        return persister.getGenerator().generatedOnExecution() && !persister.hasMultipleTables() && persister.isMutable()
                && persister.getSoftDeleteMapping() == null && !persister.isDynamicInsert();
    }

    /**
     * @param ofRow whether the row is a copy of one a side holds (an upsert's: the replay, a conflict's copy, a write
     *        to both sides), or else an application's new row held until commit
     * @return whether Hibernate's own insert of the row, its id given, would leave out null columns it must write (so
     *         {@link #now} must write it instead): an IDENTITY entity's always (Hibernate leaves them out only because
     *         the id is bound; the entity's own insert writes them), a {@code @DynamicInsert} entity's in a copy (the
     *         application's own write leaves them to the database's defaults, as in plain Hibernate)
     */
    static boolean needed(EntityPersister persister, boolean ofRow) {
        return persister.isDynamicInsert() ? ofRow : persister.getGenerator().generatedOnExecution();
    }

    /** Adds the insert of the row to the session's JDBC batch (checked when the batch runs). */
    void batch(EntityPersister persister, Object id, Object[] values, Object entity, SharedSessionContractImplementor s) {
        coordinators.computeIfAbsent(persister, Coordinator::new).insert(id, values, entity, s, true);
    }

    /** Inserts the row at once (the session's JDBC batch so far is sent first, as for Hibernate's insert). */
    void now(EntityPersister persister, Object id, Object[] values, Object entity, SharedSessionContractImplementor s) {
        coordinators.computeIfAbsent(persister, Coordinator::new).insert(id, values, entity, s, false);
    }

    /** Hibernate's insert coordinator, its dynamic insert given every insertable property. */
    private static final class Coordinator extends InsertCoordinatorStandard {

        Coordinator(EntityPersister persister) {
            super(persister, persister.getFactory());
        }

        static MethodHandle decompose72() {
            if (HibernateVersion.runningAtLeast(4)) {
                return null;
            }
            try {
                return MethodHandles.lookup().findVirtual(Coordinator.class, "decomposeForInsert",
                        MethodType.methodType(void.class, MutationExecutor.class, Object.class, Object[].class,
                                MutationOperationGroup.class, boolean[].class, TableInclusionChecker.class,
                                SharedSessionContractImplementor.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Hibernate ORM " + org.hibernate.Version.getVersionString()
                        + " has no insert coordinator this library knows", e);
            }
        }

        void insert(Object id, Object[] values, Object entity, SharedSessionContractImplementor s, boolean batched) {
            boolean[] written = entityPersister().getPropertyInsertability().clone();
            MutationOperationGroup group = generateDynamicInsertSqlGroup(written, entity, s, id != null
                    && entityPersister().getGenerator().generatedOnExecution());
            MutationExecutor executor;
            if (batched) {
                Integer size = s.getJdbcCoordinator().getJdbcSessionOwner().getJdbcBatchSize();
                executor = new MutationExecutorSingleBatched((PreparableMutationOperation) group.getSingleOperation(),
                        new BasicBatchKey(entityPersister().getEntityName() + "#REPLAY-INSERT"),
                        size == null || size < 2 ? 2 : size, s);
            } else {
                executor = mutationExecutorService.createExecutor(() -> null, group, s);
            }
            try {
                InsertValuesAnalysis analysis = new InsertValuesAnalysis(entityPersister(), values);
                TableInclusionChecker tables = getTableInclusionChecker(analysis);
                if (DECOMPOSE_72 != null) {
                    DECOMPOSE_72.invoke(this, executor, id, values, group, written, tables, s);
                } else {
                    decomposeForInsert(executor, id, values, entity, group, written, tables, s);
                }
                executor.execute(entity, analysis, tables,
                        (details, rows, position) -> {
                            details.getExpectation().verifyOutcome(rows, details.getStatement(), position, details.getSqlString());
                            return true;
                        }, s);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                executor.release();
            }
        }
    }
}
