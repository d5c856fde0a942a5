package io.dbcomposite.internal.capture;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;

/** Appends the capture listeners, and puts the remote-limit checks first, to the LOCAL SessionFactory only (it is never registered as a service). */
public final class CaptureIntegrator implements Integrator {

    private final CaptureListener listener;
    private final RemoteLimits limits;
    private final ColumnDefaults columnDefaults;

    /** @param capture where captured changes go */
    public CaptureIntegrator(ChangeCapture capture) {
        this.listener = new CaptureListener(capture);
        this.limits = capture.limits();
        this.columnDefaults = capture.columnDefaults();
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        EventListenerRegistry events = sessionFactory.getEventListenerRegistry();
        limits.columnDefinitions(metadata);
        columnDefaults.collect(metadata);
        // first, before the mirror's pre-write listeners: a value the remote cannot hold stops the write everywhere
        LimitListener limit = new LimitListener(limits, sessionFactory);
        events.prependListeners(EventType.PRE_INSERT, limit);
        events.prependListeners(EventType.PRE_UPDATE, limit);
        events.prependListeners(EventType.PRE_UPSERT, limit);
        events.prependListeners(EventType.PRE_COLLECTION_RECREATE, limit);
        events.prependListeners(EventType.PRE_COLLECTION_UPDATE, limit);
        events.appendListeners(EventType.POST_INSERT, listener);
        events.appendListeners(EventType.POST_UPDATE, listener);
        events.appendListeners(EventType.POST_DELETE, listener);
        events.appendListeners(EventType.POST_UPSERT, listener);
        events.appendListeners(EventType.POST_COLLECTION_RECREATE, listener);
        events.appendListeners(EventType.PRE_COLLECTION_UPDATE, listener);
        events.appendListeners(EventType.PRE_COLLECTION_REMOVE, listener);
        // collections loaded through a session filter, noted as they load (the filter may be off at the flush)
        FilteredLoads filtered = new FilteredLoads();
        events.appendListeners(EventType.POST_LOAD, filtered);
        events.prependListeners(EventType.INIT_COLLECTION, filtered.before());
        events.appendListeners(EventType.INIT_COLLECTION, filtered);
    }
}
