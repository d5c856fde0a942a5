package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.capture.ColumnDefaults;
import io.dbcomposite.internal.capture.ReadableLobs;
import io.dbcomposite.internal.capture.StoredValues;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;

import java.util.function.Supplier;

/** Appends the {@link MirrorListener} of one side to that side's SessionFactory only. */
final class MirrorIntegrator implements Integrator {

    private final MirrorListener listener;
    private final Side side;
    private final Supplier<RoutingTable> routes;

    MirrorIntegrator(Side side, SessionRegistry registry, Supplier<RoutingTable> routes, StoredValues storedValues,
                     ColumnDefaults columnDefaults) {
        this.side = side;
        this.routes = routes;
        this.listener = new MirrorListener(side, registry, routes, storedValues, columnDefaults);
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        EventListenerRegistry events = sessionFactory.getEventListenerRegistry();
        // first: every later reader of a written LOB (this side's insert, the sync log, the other side's write) reads it whole
        ReadableLobs lobs = new ReadableLobs();
        events.prependListeners(EventType.PRE_INSERT, lobs);
        events.prependListeners(EventType.PRE_UPDATE, lobs);
        events.prependListeners(EventType.PRE_UPSERT, lobs);
        events.appendListeners(EventType.PRE_INSERT, listener);
        events.appendListeners(EventType.PRE_UPDATE, listener);
        events.appendListeners(EventType.PRE_DELETE, listener);
        events.appendListeners(EventType.POST_INSERT, listener);
        events.appendListeners(EventType.POST_UPDATE, listener);
        events.appendListeners(EventType.POST_DELETE, listener);
        events.appendListeners(EventType.POST_COLLECTION_RECREATE, listener);
        events.appendListeners(EventType.POST_COLLECTION_UPDATE, listener);
        events.appendListeners(EventType.PRE_COLLECTION_REMOVE, listener);
        events.appendListeners(EventType.PRE_COLLECTION_UPDATE, listener);
        events.appendListeners(EventType.PRE_COLLECTION_RECREATE, listener);
        OtherSidePersists.install(events, side, routes);
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory,
                             org.hibernate.service.spi.SessionFactoryServiceRegistry serviceRegistry) {
        io.dbcomposite.internal.apply.CollectionRewrites.forget(sessionFactory);
    }
}
