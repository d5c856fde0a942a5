package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.internal.capture.CaptureMode;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.Status;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;

import java.util.Map;

/**
 * Forced version increments ({@code OPTIMISTIC_FORCE_INCREMENT}, {@code PESSIMISTIC_FORCE_INCREMENT}) of entities whose
 * writes are captured in the sync log or reach another side. Hibernate writes them with a bare version update that
 * fires no entity event, and the optimistic one only while the local transaction completes: after the sync log is
 * written, and after the remote commit of a DUAL+FAIL transaction. So the facade takes them over. A pessimistic increment
 * runs at once, as in Hibernate, and is recorded; an optimistic one keeps its lock mode and runs at commit, after the
 * flushes and before either side is final, and is recorded then. Anything else that forces the version of such an entity
 * (a query's lock mode, a session used directly) is found at commit and refused, so that no increment is lost silently.
 */
final class ForcedIncrements {

    private ForcedIncrements() {
    }

    /** @return true for the lock modes that force a version increment */
    static boolean forces(LockModeType mode) {
        return mode == LockModeType.OPTIMISTIC_FORCE_INCREMENT || mode == LockModeType.PESSIMISTIC_FORCE_INCREMENT;
    }

    /** @return the lock a forced increment takes on the row before it: a row lock for the pessimistic one, none else */
    static LockModeType toLoad(LockModeType mode) {
        return mode == LockModeType.PESSIMISTIC_FORCE_INCREMENT ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE;
    }

    /**
     * Locks {@code entity} with a forced increment if its increment must be recorded, as Hibernate would lock it.
     *
     * @return true if the lock was taken here; false if Hibernate's own lock applies (another lock mode, an entity whose
     *         increment needs no record, an entity Hibernate does not manage or cannot version, or a lock already as
     *         strong, where Hibernate does nothing)
     */
    static boolean lock(CompositeEntityManagerImpl em, SessionImplementor owner, Object entity, LockModeType mode) {
        if (!forces(mode)) {
            return false;
        }
        Object instance = entity instanceof HibernateProxy proxy ? proxy.getHibernateLazyInitializer().getImplementation() : entity;
        EntityEntry entry = owner.getPersistenceContextInternal().getEntry(instance);
        Side side = em.sideOf(owner);
        if (entry == null || entry.getStatus() != Status.MANAGED || !entry.getPersister().isVersioned()
                || !recorded(em, entry.getPersister(), side)) {
            return false;
        }
        LockMode requested = LockMode.fromJpaLockMode(mode);
        if (!requested.greaterThan(entry.getLockMode())) {
            return false;
        }
        if (requested == LockMode.OPTIMISTIC_FORCE_INCREMENT) {
            entry.setLockMode(LockMode.OPTIMISTIC_FORCE_INCREMENT);
            em.work().incrementAtCommit(side, instance);
        } else {
            Object before = entry.getVersion();
            owner.lock(instance, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            record(em, owner, side, entry, instance, before);
        }
        return true;
    }

    /**
     * At commit, after both flushes: runs the optimistic increments taken over (the version check is the update's, as in
     * Hibernate), records them, and refuses the commit if an increment of a recorded entity was forced some other way.
     *
     * @throws CompositeRoutingException naming the entity, if a forced increment would be lost
     */
    static void settle(CompositeEntityManagerImpl em) {
        for (UnitOfWork.DueIncrement due : em.work().drainIncrements()) {
            SessionImplementor session = due.side() == Side.LOCAL ? em.localSession() : em.remoteSessionIfOpen();
            EntityEntry entry = session == null ? null : session.getPersistenceContextInternal().getEntry(due.entity());
            if (entry == null || entry.getStatus() != Status.MANAGED) {
                continue; // removed since: Hibernate skips it too
            }
            Object before = entry.getVersion();
            Object next = entry.getPersister().forceVersionIncrement(entry.getId(), before, session);
            entry.forceLocked(due.entity(), next);
            record(em, session, due.side(), entry, due.entity(), before);
        }
        refuseUnrecorded(em, em.localSession());
        if (em.remoteSessionIfOpen() != null) {
            refuseUnrecorded(em, em.remoteSessionIfOpen());
        }
    }

    private static void refuseUnrecorded(CompositeEntityManagerImpl em, SessionImplementor session) {
        if (session.getPersistenceContextInternal().getNumberOfManagedEntities() == 0) {
            return;
        }
        Side side = em.sideOf(session);
        for (Map.Entry<Object, EntityEntry> e : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            EntityEntry entry = e.getValue();
            LockMode mode = entry.getLockMode();
            if ((mode == LockMode.OPTIMISTIC_FORCE_INCREMENT || mode == LockMode.PESSIMISTIC_FORCE_INCREMENT)
                    && entry.getStatus() == Status.MANAGED && !em.work().isIncrementRecorded(e.getKey())
                    && recorded(em, entry.getPersister(), side)) {
                throw new CompositeRoutingException("Entity '" + em.factory().routes().jpaName(entry.getPersister().getEntityName())
                        + "' #" + entry.getId() + " was locked " + mode + " by a query or a session used directly: Hibernate"
                        + " forces that version with no event, so the increment could not reach its sync log or its other"
                        + " side. Lock it with CompositeEntityManager.lock, find or refresh instead");
            }
        }
    }

    /** @return true if a write of this entity on {@code side} is captured, or must reach another side too */
    private static boolean recorded(CompositeEntityManagerImpl em, EntityPersister persister, Side side) {
        RoutingPlan plan = em.factory().routes().plan(persister.getMappedClass());
        if (plan == null) {
            return false;
        }
        boolean captured = side == Side.LOCAL && plan.capture() != CaptureMode.NEVER;
        boolean otherSides = !(plan.writeTargets().size() == 1 && plan.writeTargets().contains(side));
        return captured || otherSides;
    }

    /** Records an increment as the update it is: in the sync log (local side) and for the entity's other write sides. */
    private static void record(CompositeEntityManagerImpl em, SessionImplementor session, Side side, EntityEntry entry,
                               Object entity, Object before) {
        em.work().markIncrementRecorded(entity);
        EntityPersister persister = entry.getPersister();
        // the row as the database holds it now, not unflushed changes (which may refer to rows not written yet)
        Object[] state = entry.getLoadedState() != null ? entry.getLoadedState().clone() : persister.getValues(entity);
        if (side == Side.LOCAL) {
            em.factory().capture().recordUpdate(session, persister, entry.getId(), state);
        }
        RoutingPlan plan = em.factory().routes().plan(persister.getMappedClass());
        for (Side target : plan.writeTargets()) {
            if (target != side) {
                em.work().record(target, new PendingWrite(persister.getEntityName(), entry.getId(), ChangeOperation.UPDATE,
                        state, before));
            }
        }
    }
}
