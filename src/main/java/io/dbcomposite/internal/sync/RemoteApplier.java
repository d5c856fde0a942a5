package io.dbcomposite.internal.sync;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositeException;
import io.dbcomposite.internal.capture.SnapshotCodec;
import io.dbcomposite.internal.routing.RowApplier;
import io.dbcomposite.internal.routing.VersionArithmetic;
import org.hibernate.StaleStateException;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.util.List;

/**
 * Applies logged changes to the remote in one remote transaction, in id order, through a StatelessSession:
 * an upsert that keeps the local id and writes the local version, an idempotent delete. Replaying a change
 * the remote already holds changes nothing.
 */
final class RemoteApplier {

    private final SessionFactoryImplementor remote;

    RemoteApplier(SessionFactoryImplementor remote) {
        this.remote = remote;
    }

    /** Applies every change in one remote transaction; all or nothing. */
    void apply(List<LoggedChange> changes) {
        try (StatelessSession session = remote.openStatelessSession()) {
            Transaction tx = session.beginTransaction();
            try {
                for (LoggedChange change : changes) {
                    applyOne(session, change);
                }
                tx.commit();
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException ignored) {
                        // a lost connection is rolled back by the server
                    }
                }
                throw e;
            }
        }
    }

    private void applyOne(StatelessSession session, LoggedChange change) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        EntityPersister persister = persister(change.entityName());
        Object id = SnapshotCodec.decodeId(persister, change.entityId(), s);
        if (change.operation() == ChangeOperation.DELETE) {
            RowApplier.delete(session, persister, id);
            return;
        }
        Object[] state = SnapshotCodec.decode(persister, id, change.payload(), s);
        try {
            RowApplier.upsert(session, persister, id, state, null);
        } catch (StaleStateException versionDiffers) {
            // the remote row holds another version (a replay after a crash, a row deleted and inserted again):
            // the local state wins, and its version is written as it is
            Object target = state[persister.getVersionPropertyIndex()];
            session.createMutationQuery("update " + persister.getJpaEntityName() + " e set e."
                            + persister.getPropertyNames()[persister.getVersionPropertyIndex()] + " = :v where id(e) = :id")
                    .setParameter("v", VersionArithmetic.previous(target))
                    .setParameter("id", id)
                    .executeUpdate();
            RowApplier.upsert(session, persister, id, SnapshotCodec.decode(persister, id, change.payload(), s), null);
        }
    }

    private EntityPersister persister(String entityName) {
        try {
            return remote.getMappingMetamodel().getEntityDescriptor(remote.getJpaMetamodel().entity(entityName).getJavaType());
        } catch (IllegalArgumentException e) {
            throw new CompositeException("The sync log names entity '" + entityName + "', which the remote side does not map", e);
        }
    }
}
