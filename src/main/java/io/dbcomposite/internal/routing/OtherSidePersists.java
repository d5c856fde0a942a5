package io.dbcomposite.internal.routing;

import org.hibernate.event.service.spi.EventListenerGroup;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.PersistContext;
import org.hibernate.event.spi.PersistEvent;
import org.hibernate.event.spi.PersistEventListener;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code persist} that reaches one side's session for an instance the other side's session of the same entity
 * manager manages does nothing, as JPA's persist of a managed instance does: a remote-only {@code Dog} persisted with
 * {@code cascade = PERSIST} to a {@code Kennel} persisted locally just before. Without this, Hibernate's persist on the
 * remote session, which holds no entry for the kennel, took it for a detached instance ("detached entity passed to
 * persist"). Wraps the side's persist listeners (at persist and at the flush's cascade); where the unit configures an
 * interceptor of its own, {@link OtherSideInstances} is not installed and persists go as in plain Hibernate.
 */
final class OtherSidePersists implements PersistEventListener {

    private final List<PersistEventListener> listeners;

    private OtherSidePersists(List<PersistEventListener> listeners) {
        this.listeners = listeners;
    }

    /** Puts the wrapper in place of the persist listeners registered so far, for both kinds of persist event. */
    static void install(EventListenerRegistry events) {
        for (EventType<PersistEventListener> type : List.of(EventType.PERSIST, EventType.PERSIST_ONFLUSH)) {
            EventListenerGroup<PersistEventListener> group = events.getEventListenerGroup(type);
            List<PersistEventListener> registered = new ArrayList<>();
            group.listeners().forEach(registered::add);
            group.clearListeners();
            group.appendListener(new OtherSidePersists(List.copyOf(registered)));
        }
    }

    private static boolean managedOnTheOtherSide(PersistEvent event) {
        return event.getSession().getInterceptor() instanceof OtherSideInstances other && other.manages(event.getObject());
    }

    @Override
    public void onPersist(PersistEvent event) {
        if (!managedOnTheOtherSide(event)) {
            for (PersistEventListener l : listeners) {
                l.onPersist(event);
            }
        }
    }

    @Override
    public void onPersist(PersistEvent event, PersistContext createdAlready) {
        if (!managedOnTheOtherSide(event)) {
            for (PersistEventListener l : listeners) {
                l.onPersist(event, createdAlready);
            }
        }
    }
}
