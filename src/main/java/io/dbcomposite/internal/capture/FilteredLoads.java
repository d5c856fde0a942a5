package io.dbcomposite.internal.capture;

import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.InitializeCollectionEvent;
import org.hibernate.event.spi.InitializeCollectionEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.CollectionType;
import org.hibernate.type.Type;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The collections a session loaded while an enabled session filter applied to them. Such a collection may hold only
 * some of its rows whatever filters are enabled when it is flushed: the application may disable the filter in between.
 * The local side's listeners note them as they load (a collection initialized on its own, and one fetched with its owner),
 * and {@link SnapshotCodec} treats them as filtered until the session ends.
 */
public final class FilteredLoads implements PostLoadEventListener, InitializeCollectionEventListener {

    /**
     * By session (identity), the collections (identity) it loaded through a filter, with the names of the filters enabled
     * then; an entry goes with its session.
     */
    private static final Map<SharedSessionContractImplementor, Map<PersistentCollection<?>, String>> LOADED =
            Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public void onPostLoad(PostLoadEvent event) {
        SharedSessionContractImplementor session = event.getSession();
        if (!session.getLoadQueryInfluencers().hasEnabledFilters()) {
            return;
        }
        EntityPersister persister = event.getPersister();
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] instanceof CollectionType
                    && persister.getValue(event.getEntity(), i) instanceof PersistentCollection<?> collection
                    && collection.wasInitialized()) {
                noteIfFiltered(collection, session);
            }
        }
    }

    /**
     * After a collection's initialization: that collection, and every other one of its role the same load initialized
     * (batch and subselect fetching load several at once, and only the one accessed has an event), as {@link #before}
     * found them uninitialized.
     */
    @Override
    public void onInitializeCollection(InitializeCollectionEvent event) {
        SharedSessionContractImplementor session = event.getSession();
        java.util.List<PersistentCollection<?>> waiting = UNINITIALIZED.get();
        UNINITIALIZED.remove();
        if (!session.getLoadQueryInfluencers().hasEnabledFilters()) {
            return;
        }
        noteIfFiltered(event.getCollection(), session);
        if (waiting != null) {
            for (PersistentCollection<?> other : waiting) {
                if (other.wasInitialized()) {
                    noteIfFiltered(other, session);
                }
            }
        }
    }

    /** The uninitialized collections of the role being initialized, found before the load, on this thread. */
    private static final ThreadLocal<java.util.List<PersistentCollection<?>>> UNINITIALIZED = new ThreadLocal<>();

    /** @return the listener that runs before a collection's initialization (prepended to Hibernate's own) */
    public InitializeCollectionEventListener before() {
        return event -> {
            UNINITIALIZED.remove();
            SharedSessionContractImplementor session = event.getSession();
            PersistentCollection<?> collection = event.getCollection();
            if (!session.getLoadQueryInfluencers().hasEnabledFilters() || collection.getRole() == null
                    || !session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole())
                            .isAffectedByEnabledFilters(session)) {
                return;
            }
            java.util.List<PersistentCollection<?>> waiting = new java.util.ArrayList<>();
            session.getPersistenceContextInternal().forEachCollectionEntry((c, entry) -> {
                if (c != collection && !c.wasInitialized() && collection.getRole().equals(c.getRole())) {
                    waiting.add(c);
                }
            }, false);
            if (!waiting.isEmpty()) {
                UNINITIALIZED.set(waiting);
            }
        };
    }

    private static void noteIfFiltered(PersistentCollection<?> collection, SharedSessionContractImplementor session) {
        if (collection.getRole() == null) {
            return;
        }
        CollectionPersister persister = session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole());
        if (!persister.isAffectedByEnabledFilters(session)) {
            return;
        }
        LOADED.computeIfAbsent(session, s -> {
            s.getEventListenerManager().addListener(new org.hibernate.SessionEventListener() {
                @Override
                public void end() {
                    LOADED.remove(s);
                }
            });
            return Collections.synchronizedMap(new IdentityHashMap<>());
        }).put(collection, String.valueOf(session.getLoadQueryInfluencers().getEnabledFilterNames()));
    }

    /** @return whether the session loaded any collection through a filter */
    static boolean any(SharedSessionContractImplementor session) {
        return !LOADED.isEmpty() && LOADED.containsKey(session);
    }

    /** @return whether the session loaded this collection (this instance) through a filter */
    static boolean loadedThroughFilter(PersistentCollection<?> collection, SharedSessionContractImplementor session) {
        return filtersAtLoad(collection, session) != null;
    }

    /** @return the names of the filters enabled when the session loaded this collection through them, or null */
    static String filtersAtLoad(PersistentCollection<?> collection, SharedSessionContractImplementor session) {
        if (LOADED.isEmpty()) {
            return null;
        }
        Map<PersistentCollection<?>, String> loaded = LOADED.get(session);
        return loaded == null ? null : loaded.get(collection);
    }
}
