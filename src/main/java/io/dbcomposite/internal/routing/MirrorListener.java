package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositeRoutingException;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Listens to the flushes of the facade's sessions on one side. A change to an entity whose write targets
 * include the other side is recorded for it; a change flushed on a side that is not a write target of
 * the entity (an instance read from the remote whose writes go LOCAL) is vetoed here and recorded for its
 * write side instead.
 */
final class MirrorListener implements PreInsertEventListener, PreUpdateEventListener, PreDeleteEventListener,
        PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener {

    private final Side side;
    private final SessionRegistry registry;
    private final Supplier<RoutingTable> routes;

    MirrorListener(Side side, SessionRegistry registry, Supplier<RoutingTable> routes) {
        this.side = side;
        this.registry = registry;
        this.routes = routes;
    }

    private Set<Side> targets(EntityPersister persister) {
        RoutingPlan p = routes.get().plan(persister.getMappedClass());
        return p == null ? Set.of(side) : p.writeTargets();
    }

    /** @return true when a write of this entity flushed on this side must not run here */
    private boolean vetoed(EntityPersister persister) {
        RoutingPlan p = routes.get().plan(persister.getMappedClass());
        return p != null && (!p.writeTargets().contains(side) || p.heldUntilCommit());
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null || !vetoed(event.getPersister())) {
            return false;
        }
        if (routes.get().plan(event.getPersister().getMappedClass()).heldUntilCommit()) {
            reg.work().record(Side.REMOTE, new PendingWrite(event.getPersister().getEntityName(), event.getId(),
                    ChangeOperation.INSERT, event.getState().clone(), null));
            return true;
        }
        throw new CompositeRoutingException("Entity '" + routes.get().jpaName(event.getPersister().getEntityName()) + "' with id "
                + event.getId() + " is written " + targets(event.getPersister()) + " but was persisted through the "
                + side.label() + " session (a cascade from an entity of that side?); persist it through the composite"
                + " entity manager instead");
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null || !vetoed(event.getPersister())) {
            return false;
        }
        Set<Side> targets = targets(event.getPersister());
        Object previous = version(event.getPersister(), event.getOldState());
        for (Side target : targets) {
            reg.work().record(target, new PendingWrite(event.getPersister().getEntityName(), event.getId(),
                    ChangeOperation.UPDATE, event.getState().clone(), previous));
        }
        return true;
    }

    @Override
    public boolean onPreDelete(PreDeleteEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null || !vetoed(event.getPersister())) {
            return false;
        }
        Set<Side> targets = targets(event.getPersister());
        for (Side target : targets) {
            reg.work().record(target, new PendingWrite(event.getPersister().getEntityName(), event.getId(),
                    ChangeOperation.DELETE, null, null));
        }
        return true;
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.INSERT, event.getState(), null);
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.UPDATE, event.getState(),
                version(event.getPersister(), event.getOldState()));
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.DELETE, null, null);
    }

    private void mirror(org.hibernate.engine.spi.SharedSessionContractImplementor session, EntityPersister persister,
                        Object id, ChangeOperation op, Object[] state, Object previousVersion) {
        SessionRegistry.Registration reg = registry.lookup(session);
        if (reg == null) {
            return;
        }
        Set<Side> targets = targets(persister);
        if (targets.contains(Side.REMOTE)) {
            reg.work().touchedRemote(persister.getEntityName());
        }
        for (Side target : targets) {
            if (target != side) {
                reg.work().record(target, new PendingWrite(persister.getEntityName(), id, op,
                        state == null ? null : state.clone(), previousVersion));
            }
        }
    }

    private static Object version(EntityPersister persister, Object[] oldState) {
        if (!persister.isVersioned() || oldState == null) {
            return null;
        }
        return oldState[persister.getVersionPropertyIndex()];
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }
}
