package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.internal.apply.VersionArithmetic;
import io.dbcomposite.internal.capture.ChangeCapture;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.util.List;

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
                capture.redirect(helper, owner);
            }
            try {
                applyAll(session, target, writes);
            } finally {
                if (capture != null) {
                    capture.endRedirect(helper);
                }
            }
        }
    }

    private static void applyAll(StatelessSession session, SessionFactoryImplementor target, List<PendingWrite> writes) {
        for (PendingWrite w : writes) {
            applyOne(session, target, w);
        }
    }


    /** Applies one recorded write through a session on the target side's connection. */
    static void applyOne(StatelessSession session, SessionFactoryImplementor target, PendingWrite w) {
        if (w.keys() != null) {
            RowApplier.applyKeys(session, target, w.keys().role(), w.keys().ownerId(), w.keys().elementIds(), w.keys().mapKeys());
            return;
        }
        EntityPersister persister = target.getMappingMetamodel().getEntityDescriptor(w.entityName());
        if (w.operation() == ChangeOperation.DELETE) {
            RowApplier.delete(session, persister, w.id());
        } else if (persister.isVersioned() && w.previousVersion() != null
                && w.previousVersion().equals(w.state()[persister.getVersionPropertyIndex()])) {
            // the version did not move (a change of a collection excluded from optimistic locking): the upsert moves it by
            // one, so it starts from the version before
            Object before = VersionArithmetic.previous(w.previousVersion());
            RowApplier.setVersion(session, persister, w.id(), before);
            RowApplier.upsert(session, persister, w.id(), w.state(), before);
        } else {
            RowApplier.upsert(session, persister, w.id(), w.state(), w.previousVersion());
        }
    }
}
