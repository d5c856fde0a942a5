package io.dbcomposite.internal.routing;

import org.hibernate.event.service.spi.EventListenerGroup;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.PersistContext;
import org.hibernate.event.spi.PersistEvent;
import org.hibernate.event.spi.PersistEventListener;
import org.hibernate.engine.spi.SessionImplementor;

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
    private final Side side;
    private final java.util.function.Supplier<RoutingTable> routes;

    private OtherSidePersists(List<PersistEventListener> listeners, Side side, java.util.function.Supplier<RoutingTable> routes) {
        this.listeners = listeners;
        this.side = side;
        this.routes = routes;
    }

    /** Puts the wrapper in place of the persist listeners registered so far, for both kinds of persist event. */
    static void install(EventListenerRegistry events, Side side, java.util.function.Supplier<RoutingTable> routes) {
        for (EventType<PersistEventListener> type : List.of(EventType.PERSIST, EventType.PERSIST_ONFLUSH)) {
            EventListenerGroup<PersistEventListener> group = events.getEventListenerGroup(type);
            List<PersistEventListener> registered = new ArrayList<>();
            group.listeners().forEach(registered::add);
            group.clearListeners();
            group.appendListener(new OtherSidePersists(List.copyOf(registered), side, routes));
        }
    }

    /** @return true if the persist was handled here: nothing to do, or done by the other side's session */
    private boolean handled(PersistEvent event) {
        if (!(event.getSession().getInterceptor() instanceof OtherSideInstances other)) {
            return false;
        }
        Object entity = event.getObject();
        if (other.manages(entity)) {
            return true;
        }
        SessionImplementor otherSession = other.otherSession();
        if (side != Side.REMOTE || otherSession == null || entity == null
                || event.getSession().getPersistenceContextInternal().isEntryFor(entity)) {
            return false;
        }
        RoutingPlan plan = routes.get().plan(org.hibernate.Hibernate.getClass(entity));
        if (plan == null || !plan.writeTargets().equals(java.util.Set.of(Side.LOCAL))) {
            return false;
        }
        // an entity written locally only, reached by a cascade of the remote session (a remote-only Dog saving its new
        // Kennel): the local session persists it, so that it is written, captured and flushed there with its
        // collections like any local entity, and goes to the remote before the row that refers to it
        otherSession.persist(event.getEntityName(), entity);
        return true;
    }

    @Override
    public void onPersist(PersistEvent event) {
        if (!handled(event)) {
            for (PersistEventListener l : listeners) {
                l.onPersist(event);
            }
        }
    }

    @Override
    public void onPersist(PersistEvent event, PersistContext createdAlready) {
        if (!handled(event)) {
            for (PersistEventListener l : listeners) {
                l.onPersist(event, createdAlready);
            }
        }
    }
}
