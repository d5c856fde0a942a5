package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.internal.apply.IdentityCatchUp;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.internal.apply.VersionArithmetic;
import io.dbcomposite.internal.capture.ChangeCapture;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Writes what one side's flush left for the other side, on that side's connection (so it joins its transaction). */
final class MirrorApplier {

    private MirrorApplier() {
    }

    /**
     * @param capture where the target side's capture listeners send what this writes (the local side), or null
     * @param owner the session whose transaction this works in, for the capture
     */
    static void apply(SessionFactoryImplementor target, Connection connection, List<PendingWrite> writes,
                      ChangeCapture capture,
                      org.hibernate.engine.spi.SharedSessionContractImplementor owner) {
        try (StatelessSession session = target.withStatelessOptions().connection(connection).openStatelessSession()) {
            SharedSessionContractImplementor helper = (SharedSessionContractImplementor) session;
            if (capture != null) {
                // each write is captured once, as written, whatever statements it takes: Hibernate's insert coordinator
                // and a delete by id fire no entity event, an upsert does (the helper's own events are ignored)
                capture.redirect(helper, owner);
                capture.ignore(helper);
            }
            try {
                applyAll(session, target, writes, capture);
            } finally {
                if (capture != null) {
                    capture.endIgnore(helper);
                    capture.endRedirect(helper);
                }
            }
        }
    }

    private static void applyAll(StatelessSession session, SessionFactoryImplementor target, List<PendingWrite> writes,
                                 ChangeCapture capture) {
        for (PendingWrite w : writes) {
            PendingWrite written = applyOne(session, target, w, null);
            if (capture != null && written.keys() == null) {
                capture.recordApplied((SharedSessionContractImplementor) session,
                        target.getMappingMetamodel().getEntityDescriptor(written.entityName()), written.id(),
                        written.operation(), written.state(), written.before());
            } else if (capture != null && written.keys().loadedIds() != null) {
                // the keys a one-to-many of a locally written owner keeps in its elements' rows, changed through an
                // instance the remote session loaded: the remote gets them from the owner's logged state (the remote
                // session's own write of them there ends with its transaction, which may only read). Other key writes
                // are of owners written on the remote, where the remote session wrote them itself
                logOwner(session, target, written.keys(), capture);
            }
        }
        IdentityCatchUp.afterInserts(session, inserted(writes));
    }

    /** Logs the owner of a one-to-many whose keys were written here, with its collections, as it now is. */
    private static void logOwner(StatelessSession session, SessionFactoryImplementor target, PendingWrite.KeyWrite keys,
                                 ChangeCapture capture) {
        EntityPersister owner = target.getMappingMetamodel().getCollectionDescriptor(keys.role()).getOwnerEntityPersister();
        Object row = session.get(owner.getEntityName(), keys.ownerId());
        if (row == null) {
            return; // deleted here: its delete is logged
        }
        Object[] state = owner.getValues(row);
        org.hibernate.type.Type[] types = owner.getPropertyTypes();
        for (int i = 0; i < state.length; i++) {
            PartialUpdates.fetchCollections(session, types[i], state[i]);
        }
        capture.recordApplied((SharedSessionContractImplementor) session, owner, keys.ownerId(), ChangeOperation.UPDATE,
                state, state);
    }

    /** @return the names of the entities whose rows the writes insert */
    static Set<String> inserted(List<PendingWrite> writes) {
        Set<String> out = new LinkedHashSet<>();
        for (PendingWrite w : writes) {
            if (w.keys() == null && w.operation() == ChangeOperation.INSERT) {
                out.add(w.entityName());
            }
        }
        return out;
    }


    /** Applies one recorded write through a session on the target side's connection. */
    static void applyOne(StatelessSession session, SessionFactoryImplementor target, PendingWrite w) {
        applyOne(session, target, w, null);
    }

    /** @return the write as applied: for an update of what another side's instance changed, the row's state as written */
    private static PendingWrite applied(PendingWrite w, Object[] state) {
        return state == w.state() ? w
                : new PendingWrite(w.entityName(), w.id(), w.operation(), state, w.previousVersion(), w.seq(), null, false,
                w.detachedMerge(), w.before());
    }

    /**
     * As {@link #applyOne(StatelessSession, SessionFactoryImplementor, PendingWrite)}.
     *
     * @param later where the collection-table rows of upserted rows wait until the rows written after them are there
     *        (an owner's join rows may refer to rows the same flush inserted after the owner, as Hibernate writes every
     *        entity row before the collection rows), written before a delete or a key write; or null to write them with
     *        the row
     */
    static PendingWrite applyOne(StatelessSession session, SessionFactoryImplementor target, PendingWrite w,
                                 io.dbcomposite.internal.apply.CollectionRewrites later) {
        if (later != null && (w.keys() != null || w.operation() == ChangeOperation.DELETE)) {
            later.write((SharedSessionContractImplementor) session);
        }
        if (w.keys() != null) {
            if (w.keys().loadedIds() != null) {
                RowApplier.applyKeyChanges(session, target, w.keys().role(), w.keys().ownerId(), w.keys().elementIds(),
                        w.keys().loadedIds());
            } else {
                RowApplier.applyKeys(session, target, w.keys().role(), w.keys().ownerId(), w.keys().elementIds(), w.keys().mapKeys());
            }
            return w;
        }
        EntityPersister persister = target.getMappingMetamodel().getEntityDescriptor(w.entityName());
        if (w.operation() == ChangeOperation.DELETE) {
            RowApplier.delete(session, persister, w.id());
            return w;
        }
        if (w.changed() != null && w.operation() == ChangeOperation.UPDATE) {
            // through an instance another side loaded: what it changed, over the row as it is here (its base: the row)
            PartialUpdates.Merged merged = PartialUpdates.merged(session, persister, w, w.wholeIfMissing());
            w = new PendingWrite(w.entityName(), w.id(), w.operation(), merged == null ? w.state() : merged.state(),
                    w.previousVersion(), w.seq(), null, false, w.detachedMerge(), merged == null ? null : merged.before());
        }
        if (w.newRow()) {
            // the row was persisted in this transaction and ran on no side: an upsert would silently overwrite a row
            // that already has this id, where plain Hibernate fails with a constraint violation
            RowApplier.insert(session, persister, w.id(), w.state());
            return w;
        }
        try {
            if (w.detachedMerge() && session.get(persister.getEntityName(), w.id()) == null) {
                // the row the detached instance was read from was deleted meanwhile: plain Hibernate's merge finds no
                // row and inserts the instance again as it is, at the version it was read at (the upsert would count it
                // up by one)
                Object[] state = w.state().clone();
                state[persister.getVersionPropertyIndex()] = w.previousVersion();
                RowApplier.insert(session, persister, w.id(), state);
                return applied(w, state);
            }
            if (persister.isVersioned() && w.previousVersion() != null
                    && w.previousVersion().equals(w.state()[persister.getVersionPropertyIndex()])) {
                // the version did not move (a change of a collection excluded from optimistic locking): the upsert moves
                // it by one, so it starts from the version before
                Object before = VersionArithmetic.previous(w.previousVersion());
                RowApplier.setVersion(session, persister, w.id(), before);
                RowApplier.upsert(session, persister, w.id(), w.state(), before, later, null);
                if (later != null) {
                    ((SharedSessionContractImplementor) session).getJdbcCoordinator().executeBatch();
                }
                return w;
            }
            RowApplier.upsert(session, persister, w.id(), w.state(), w.previousVersion(), later, null);
            if (later != null) {
                // a stale version fails here, named below, as it fails the upsert written with its collections
                ((SharedSessionContractImplementor) session).getJdbcCoordinator().executeBatch();
            }
        } catch (org.hibernate.StaleStateException | jakarta.persistence.OptimisticLockException stale) {
            // the upsert matches the row on the version this transaction read: no match is a stale version, named here
            // because the failure itself names neither the entity nor the id
            throw new jakarta.persistence.OptimisticLockException("Row of entity '" + persister.getJpaEntityName()
                    + "' with id " + w.id() + " was updated or deleted by another transaction (or another unit): its version"
                    + " is not the one this transaction read", stale);
        }
        return w;
    }
}
