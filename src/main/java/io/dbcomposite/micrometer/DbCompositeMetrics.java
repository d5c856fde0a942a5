package io.dbcomposite.micrometer;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncListener;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The meters of a composite unit (Micrometer is an optional dependency: only this package needs it), tagged
 * {@code unit}: gauges {@code dbcomposite.sync.pending}, {@code .failed}, {@code .dead}, {@code .conflicts} and
 * {@code .lag} (seconds since the oldest pending change was written), the counter {@code dbcomposite.sync.applied}
 * and the timer {@code dbcomposite.sync.run}. Bound by {@code CompositePersistence.builder().meterRegistry(registry)}.
 *
 * <p>The gauges read the unit's status at most once a second of the unit's clock however often a registry polls them
 * (it is a few queries of the local sync log).
 */
public final class DbCompositeMetrics implements SyncListener, io.dbcomposite.internal.sync.RunObserver {

    private static final Duration STATUS_EVERY = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Clock clock;
    private Counter applied;
    private Timer run;
    private Tags tags;
    private CompositeEntityManagerFactory unit;
    private SyncStatus status;
    private java.time.Instant statusAt;

    /**
     * @param registry where the meters go
     * @param clock the unit's clock (the lag is measured with it)
     */
    public DbCompositeMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Registers the meters of an open unit.
     *
     * @param unit the unit
     */
    public void bindTo(CompositeEntityManagerFactory unit) {
        this.unit = unit;
        Tags named = Tags.of("unit", unit.getName());
        // a second unit open under the same name (an application redeployed beside the old one) gets meters of its own
        int instance = 1;
        while (registry.find("dbcomposite.sync.pending").tags(instance == 1 ? named : named.and("instance", String.valueOf(instance)))
                .gauge() != null) {
            instance++;
        }
        this.tags = instance == 1 ? named : named.and("instance", String.valueOf(instance));
        gauge("dbcomposite.sync.pending", "Changes waiting for the remote (PENDING and FAILED)", s -> s.pendingChanges());
        gauge("dbcomposite.sync.failed", "Changes waiting for a retry after a failure", s -> s.failedCount());
        gauge("dbcomposite.sync.dead", "Changes that failed for the last allowed time (DEAD)", s -> s.deadLetterCount());
        gauge("dbcomposite.sync.conflicts", "Changes in CONFLICT, waiting for retry or discard", s -> s.conflictCount());
        gauge("dbcomposite.sync.lag", "Seconds since the oldest change waiting for the remote was written",
                s -> s.oldestPendingAt() == null ? 0 : Math.max(0, Duration.between(s.oldestPendingAt(), clock.instant()).toMillis() / 1000.0));
        applied = Counter.builder("dbcomposite.sync.applied").description("Changes applied to the remote").tags(tags)
                .register(registry);
        run = Timer.builder("dbcomposite.sync.run").description("Sync runs (the background job's and sync()'s)").tags(tags)
                .register(registry);
        meters.add(applied);
        meters.add(run);
    }

    @Override
    public void ran(SyncResult result) {
        if (run != null) {
            run.record(result.duration());
        }
    }

    /**
     * For the builder: the metrics of a unit about to be built, checked to be a Micrometer registry.
     *
     * @param registry what the application gave
     * @param clock the unit's clock
     * @return the metrics, bound once the unit is open
     */
    public static DbCompositeMetrics of(Object registry, Clock clock) {
        if (!(registry instanceof MeterRegistry r)) {
            throw new io.dbcomposite.CompositeConfigurationException("meterRegistry(...) takes an"
                    + " io.micrometer.core.instrument.MeterRegistry, not " + registry.getClass().getName());
        }
        return new DbCompositeMetrics(r, clock);
    }

    private final List<io.micrometer.core.instrument.Meter> meters = new java.util.ArrayList<>();

    private void gauge(String name, String description, ToDoubleFunction<SyncStatus> value) {
        meters.add(Gauge.builder(name, this, m -> m.read(value)).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    /**
     * Takes the unit's meters away from the registry (the unit closed): a unit opened again under the same name (an
     * application redeployed) registers meters of its own instead of finding these.
     */
    public void unbind() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private synchronized double read(ToDoubleFunction<SyncStatus> value) {
        if (unit == null || !unit.isOpen()) {
            return Double.NaN;
        }
        java.time.Instant now = clock.instant();
        if (status == null || !now.isBefore(statusAt.plus(STATUS_EVERY)) || now.isBefore(statusAt)) {
            status = unit.getSyncStatus();
            statusAt = now;
        }
        return value.applyAsDouble(status);
    }

    @Override
    public void applied(List<Change> changes) {
        if (applied != null) {
            applied.increment(changes.size());
        }
    }
}
