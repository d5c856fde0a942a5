package io.dbcomposite.internal.sync;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.internal.capture.ChangeCapture;
import io.dbcomposite.internal.capture.SnapshotCodec;
import io.dbcomposite.internal.log.LoggedChange;
import io.dbcomposite.internal.log.SyncLogRepository;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a conflict leaves to the local side: the CONFLICT mark, and the remote row copied over the local one (REMOTE_WINS,
 * and {@code discard} of a conflict), in one local transaction with the change's DISCARDED mark and without capturing
 * the copy as a change of its own (it would echo the remote's state back to it).
 */
final class ConflictSettler {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");
    private static final Set<ChangeStatus> DISCARDABLE =
            EnumSet.of(ChangeStatus.PENDING, ChangeStatus.FAILED, ChangeStatus.DEAD, ChangeStatus.CONFLICT);

    private final SyncLogRepository store;
    private final SessionFactoryImplementor local;
    private final ChangeCapture capture;
    private final SessionFactoryImplementor remote;
    /** Entities read and written on the remote only: no local row takes a remote state. */
    private final Set<String> remoteOnly;

    ConflictSettler(SyncLogRepository store, SessionFactoryImplementor local, ChangeCapture capture,
                    SessionFactoryImplementor remote, Set<String> remoteOnly) {
        this.store = store;
        this.local = local;
        this.capture = capture;
        this.remote = remote;
        this.remoteOnly = Set.copyOf(remoteOnly);
    }

    void markConflict(ConflictDetector.Conflict conflict) {
        store.markConflict(conflict.change().id(), conflict.remoteState(), "Conflict: " + conflict.reason());
    }

    /**
     * The remote won: the local row takes its state and the change is DISCARDED, together. If the local side refuses the
     * copy (a key to a row it does not have), the change becomes CONFLICT instead, with why: nothing is dropped quietly.
     */
    void remoteWins(ConflictDetector.Conflict conflict) {
        LoggedChange c = conflict.change();
        try {
            copyToLocal(c, conflict.remoteState(), List.of(c.id()), Set.of(ChangeStatus.PENDING, ChangeStatus.FAILED));
        } catch (RuntimeException e) {
            String why = "Conflict: " + conflict.reason() + ". onConflict=REMOTE_WINS could not give the local row the remote's"
                    + " state (" + io.dbcomposite.internal.config.Failures.describe(e) + "); the change waits as CONFLICT:"
                    + " retry it (the remote takes the local state) or fix the local side and discard it";
            LOG.log(System.Logger.Level.WARNING, "db-composite: change #" + c.id() + ": " + why);
            store.markConflict(c.id(), conflict.remoteState(), why);
        }
    }

    /**
     * Discards changes; a CONFLICT one first reads its remote row as it is now and copies it over the local row.
     *
     * @return how many changes were moved
     */
    int discard(long... ids) {
        int moved = 0;
        List<Long> plain = new ArrayList<>();
        for (LoggedChange c : store.byIds(ids)) {
            if (c.status() == ChangeStatus.CONFLICT) {
                moved += copyToLocal(c, readRemote(c), List.of(c.id()), Set.of(ChangeStatus.CONFLICT));
            } else if (DISCARDABLE.contains(c.status())) {
                plain.add(c.id());
            }
        }
        if (!plain.isEmpty()) {
            moved += store.markDiscarded(plain, EnumSet.of(ChangeStatus.PENDING, ChangeStatus.FAILED, ChangeStatus.DEAD));
        }
        return moved;
    }

    /** @return the change's remote row now, as JSON by property name, or null if there is none */
    private String readRemote(LoggedChange c) {
        try (StatelessSession session = remote.openStatelessSession()) {
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            EntityPersister p = persister(remote, c.entityName());
            Object id = SnapshotCodec.decodeId(p, c.entityId(), s);
            Object found = session.get(p.getEntityName(), id);
            if (found == null) {
                return null;
            }
            EntityPersister actual = s.getEntityPersister(null, found);
            return SnapshotCodec.encodeLoaded(session, actual, found);
        }
    }

    /**
     * Copies a remote state (null: no row) over the change's local row and marks the changes DISCARDED, in one local
     * transaction whose writes are not captured.
     *
     * @return how many changes were marked
     */
    private int copyToLocal(LoggedChange c, String remoteState, List<Long> ids, Set<ChangeStatus> from) {
        if (remoteOnly.contains(c.entityName())) {
            return store.markDiscarded(ids, from); // its rows live on the remote only: nothing to copy
        }
        EntityPersister p = persister(local, c.entityName());
        try (StatelessSession session = local.openStatelessSession()) {
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            capture.ignore(s);
            Transaction tx = session.beginTransaction();
            try {
                Object id = SnapshotCodec.decodeId(p, c.entityId(), s);
                if (remoteState == null) {
                    RowApplier.delete(session, p, id);
                } else {
                    // the local row takes the remote's state, version included, as it is
                    RowApplier.overwrite(session, p, id, SnapshotCodec.decode(p, id, remoteState, s), null, null);
                }
                s.getJdbcCoordinator().executeBatch();
                Connection connection = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
                int n = store.markDiscardedOn(connection, ids, remoteState == null ? "null" : remoteState, from);
                if (n == 0) {
                    tx.rollback(); // moved meanwhile (retried): the local row keeps its state
                    return 0;
                }
                // the row's later changes not on the remote yet were made on top of the local state just replaced
                store.discardLaterOn(connection, c.row(), c.id(), "discarded with change #" + c.id()
                        + ": made on top of a local state that took the remote's");
                tx.commit();
                return n;
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    tx.rollback();
                }
                throw e;
            } finally {
                capture.endIgnore(s);
            }
        }
    }

    private static EntityPersister persister(SessionFactoryImplementor factory, String jpaName) {
        try {
            return factory.getMappingMetamodel().getEntityDescriptor(factory.getJpaMetamodel().entity(jpaName).getJavaType());
        } catch (IllegalArgumentException e) {
            throw new CompositeException("The sync log names entity '" + jpaName + "', which this unit does not map", e);
        }
    }
}
