package io.dbcomposite.internal.capture;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.persister.collection.CollectionPersister;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The persister of a collection event on every Hibernate 7 version the library runs on: the event carries it from 7.4
 * on ({@code getCollectionPersister()}); before, it is looked up by the collection's role.
 */
final class CollectionEvents {

    private static final MethodHandle PERSISTER = find();

    private CollectionEvents() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findVirtual(AbstractCollectionEvent.class, "getCollectionPersister",
                    MethodType.methodType(CollectionPersister.class));
        } catch (NoSuchMethodException | IllegalAccessException olderHibernate) {
            return null;
        }
    }

    /**
     * @param factory the factory the event's session belongs to (for the lookup by role)
     * @return the persister of the event's collection; null before 7.4 for a collection that knows no role yet (one a
     *     StatelessSession writes)
     */
    static CollectionPersister persister(AbstractCollectionEvent event, SessionFactoryImplementor factory) {
        if (PERSISTER != null) {
            try {
                return (CollectionPersister) PERSISTER.invokeExact(event);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable unexpected) {
                throw new IllegalStateException(unexpected);
            }
        }
        String role = event.getCollection().getRole();
        return role == null ? null : factory.getMappingMetamodel().getCollectionDescriptor(role);
    }
}
