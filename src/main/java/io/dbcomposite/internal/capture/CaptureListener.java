package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeOperation;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.event.spi.PostCollectionRecreateEvent;
import org.hibernate.event.spi.PostCollectionRecreateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PostUpsertEvent;
import org.hibernate.event.spi.PostUpsertEventListener;
import org.hibernate.event.spi.PreCollectionRemoveEvent;
import org.hibernate.event.spi.PreCollectionRemoveEventListener;
import org.hibernate.event.spi.PreCollectionUpdateEvent;
import org.hibernate.event.spi.PreCollectionUpdateEventListener;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The LOCAL side's listeners: every insert, update, delete and upsert (StatelessSession writes too) and
 * every change of an owned collection, or of the order of an inverse list, goes to the {@link ChangeCapture}. Forced
 * version increments fire no event here; the facade records them (see {@code ForcedIncrements}).
 */
final class CaptureListener implements PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener,
        PostUpsertEventListener, PostCollectionRecreateEventListener, PreCollectionUpdateEventListener,
        PreCollectionRemoveEventListener {

    private final ChangeCapture capture;

    CaptureListener(ChangeCapture capture) {
        this.capture = capture;
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        capture.record(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.INSERT, event.getState(), null);
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        capture.record(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.UPDATE, event.getState(),
                event.getOldState());
    }

    @Override
    public void onPostUpsert(PostUpsertEvent event) {
        capture.record(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.UPDATE, event.getState(), null);
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        capture.record(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.DELETE, null,
                event.getDeletedState());
    }

    @Override
    public void onPostRecreateCollection(PostCollectionRecreateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPreUpdateCollection(PreCollectionUpdateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPreRemoveCollection(PreCollectionRemoveEvent event) {
        collectionChanged(event);
    }

    private void collectionChanged(AbstractCollectionEvent event) {
        SharedSessionContractImplementor session;
        try {
            session = event.getSession();
        } catch (NullPointerException statelessSession) {
            // a StatelessSession's collection events carry no session; its entity event holds the collections
            return;
        }
        if (session == null || event.getAffectedOwnerOrNull() == null) {
            return;
        }
        CollectionPersister collection = CollectionEvents.persister(event, session.getFactory());
        if (collection == null || collection.isInverse() && !SnapshotCodec.ordersInverseList(collection)) {
            return; // an inverse (mappedBy) collection is the other entity's rows, but for the order column of a list
        }
        CollectionPersister unloadedList = null;
        if (event instanceof PreCollectionUpdateEvent && !event.getCollection().wasInitialized()) {
            if (!collection.isInverse()) {
                return; // Hibernate writes no row of a collection it never loaded
            }
            // elements were added to an inverse list that was never loaded: Hibernate numbered them from its rows
            unloadedList = collection;
        }
        EntityPersister owner = session.getFactory().getMappingMetamodel().getEntityDescriptor(event.getAffectedOwnerEntityName());
        capture.recordCollectionChange(session, owner, event.getAffectedOwnerIdOrNull(), event.getAffectedOwnerOrNull(),
                unloadedList);
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }
}
