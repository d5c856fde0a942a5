package io.dbcomposite.spring.app;

import io.dbcomposite.SyncListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A SyncListener bean: Boot hands it to the unit. Records what it hears and on which thread. */
@Component
public class RecordingListener implements SyncListener {
    public final List<String> events = new CopyOnWriteArrayList<>();
    /** A JPA repository the listener could write alerts with: the unit must not need the listener while it is built. */
    final CustomerRepository customers;

    public RecordingListener(CustomerRepository customers) {
        this.customers = customers;
    }

    public final List<String> appliedOnThreads = new CopyOnWriteArrayList<>();

    @Override
    public void applied(List<Change> changes) {
        appliedOnThreads.add(Thread.currentThread().getName());
        changes.forEach(c -> events.add("applied " + c.entityName() + "#" + c.entityId()));
    }

    @Override
    public void dead(Change change, String error) {
        events.add("dead " + change.entityName() + "#" + change.entityId());
    }

    @Override
    public void remoteUnavailable(String remote, String cause) {
        events.add("remote unavailable");
    }

    @Override
    public void remoteAvailable(String remote, Duration outage) {
        events.add("remote available");
    }
}
