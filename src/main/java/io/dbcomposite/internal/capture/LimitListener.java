package io.dbcomposite.internal.capture;

import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.event.spi.PreCollectionRecreateEvent;
import org.hibernate.event.spi.PreCollectionRecreateEventListener;
import org.hibernate.event.spi.PreCollectionUpdateEvent;
import org.hibernate.event.spi.PreCollectionUpdateEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.event.spi.PreUpsertEvent;
import org.hibernate.event.spi.PreUpsertEventListener;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The LOCAL side's pre-write listeners that hold each row to the remote's column limits ({@link RemoteLimits}).
 * They run first, before the mirror's listeners and before any SQL, so a refused value leaves nothing to undo.
 */
final class LimitListener implements PreInsertEventListener, PreUpdateEventListener, PreUpsertEventListener,
        PreCollectionRecreateEventListener, PreCollectionUpdateEventListener {

    private final RemoteLimits limits;

    private final org.hibernate.engine.spi.SessionFactoryImplementor factory;

    LimitListener(RemoteLimits limits, org.hibernate.engine.spi.SessionFactoryImplementor factory) {
        this.limits = limits;
        this.factory = factory;
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        limits.checkEntity(event.getPersister(), event.getId(), event.getState());
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        limits.checkEntity(event.getPersister(), event.getId(), event.getState());
        return false;
    }

    @Override
    public boolean onPreUpsert(PreUpsertEvent event) {
        limits.checkEntity(event.getPersister(), event.getId(), event.getState());
        return false;
    }

    @Override
    public void onPreRecreateCollection(PreCollectionRecreateEvent event) {
        check(event);
    }

    @Override
    public void onPreUpdateCollection(PreCollectionUpdateEvent event) {
        check(event);
    }

    private void check(AbstractCollectionEvent event) {
        if (!event.getCollection().wasInitialized() || event.getAffectedOwnerEntityName() == null) {
            return; // Hibernate writes no element of a collection it never loaded
        }
        CollectionPersister collection = CollectionEvents.persister(event, factory);
        if (collection == null) {
            return; // Hibernate before 7.4, a StatelessSession's collection: not checked there (issue 14)
        }
        EntityPersister owner;
        try {
            owner = event.getSession().getFactory().getMappingMetamodel()
                    .getEntityDescriptor(event.getAffectedOwnerEntityName());
        } catch (NullPointerException statelessSession) {
            owner = collection.getOwnerEntityPersister();
        }
        limits.checkCollection(collection, owner, event.getAffectedOwnerIdOrNull(), event.getCollection());
    }
}
