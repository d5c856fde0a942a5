package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.apply.VersionArithmetic;
import io.dbcomposite.ChangeOperation;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.Status;
import org.hibernate.persister.entity.EntityPersister;

import java.util.Map;

/**
 * When the remote cannot even begin a transaction, the remote session cannot flush: the changes to its
 * queueing entities (read and written REMOTE, {@code onRemoteFail=QUEUE}) are then found by a dirty check of
 * its persistence context, so they can go to the local sync log instead.
 */
final class UnflushedRemoteWrites {

    private UnflushedRemoteWrites() {
    }

    static void collect(SessionImplementor remote, RoutingTable routes, UnitOfWork work) {
        for (Map.Entry<Object, EntityEntry> e : remote.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            EntityEntry entry = e.getValue();
            EntityPersister persister = entry.getPersister();
            RoutingPlan plan = routes.plan(persister.getMappedClass());
            if (plan == null || !plan.heldUntilCommit()) {
                continue;
            }
            Object entity = e.getKey();
            if (entry.getStatus() == Status.DELETED) {
                work.record(Side.REMOTE, PendingWrite.held(persister.getEntityName(), entry.getId(), ChangeOperation.DELETE, null, null,
                        entry.getLoadedState()));
            } else if (entry.getStatus() == Status.MANAGED && entry.getLoadedState() != null) {
                Object[] current = persister.getValues(entity);
                int[] dirty = persister.findDirty(current, entry.getLoadedState(), entity, remote);
                if (dirty != null && dirty.length > 0) {
                    Object previous = persister.isVersioned() ? entry.getVersion() : null;
                    if (persister.isVersioned()) {
                        current[persister.getVersionPropertyIndex()] = VersionArithmetic.next(previous);
                    }
                    work.record(Side.REMOTE, PendingWrite.held(persister.getEntityName(), entry.getId(), ChangeOperation.UPDATE,
                            current, previous, entry.getLoadedState()));
                }
            }
        }
    }
}
