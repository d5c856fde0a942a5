package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Clock;
import java.time.Duration;

/**
 * Actuator health {@code dbComposite}. DOWN when a change needs an operator (a dead letter or a conflict: it will not
 * reach the remote by itself) or when the sync log cannot be read; UP otherwise, a remote outage included (the local
 * side keeps working and changes wait in the log: {@code remoteAvailable} says so). Details: {@code pending},
 * {@code failed}, {@code dead}, {@code conflicts}, {@code lagSeconds} (age of the oldest change waiting),
 * {@code remoteAvailable}, {@code lastSyncedAt}, {@code lastError}.
 */
public class DbCompositeHealthIndicator extends AbstractHealthIndicator {

    private final CompositeEntityManagerFactory unit;
    private final Clock clock;

    /** @param unit the composite unit */
    public DbCompositeHealthIndicator(CompositeEntityManagerFactory unit) {
        this(unit, Clock.systemUTC());
    }

    DbCompositeHealthIndicator(CompositeEntityManagerFactory unit, Clock clock) {
        super("db-composite health check failed");
        this.unit = unit;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        SyncStatus status = unit.getSyncStatus();
        boolean needsOperator = status.deadLetterCount() > 0 || status.conflictCount() > 0;
        (needsOperator ? builder.down() : builder.up())
                .withDetail("pending", status.pendingChanges())
                .withDetail("failed", status.failedCount())
                .withDetail("dead", status.deadLetterCount())
                .withDetail("conflicts", status.conflictCount())
                .withDetail("lagSeconds", status.oldestPendingAt() == null ? 0.0
                        : Math.max(0, Duration.between(status.oldestPendingAt(), clock.instant()).toMillis()) / 1000.0)
                .withDetail("remoteAvailable", status.remoteAvailable());
        if (status.lastSyncedAt() != null) {
            builder.withDetail("lastSyncedAt", status.lastSyncedAt().toString());
        }
        if (status.lastError() != null) {
            builder.withDetail("lastError", status.lastError());
        }
    }
}
