package io.dbcomposite.internal.jmx;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncStatus;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * Registers a unit's {@link CompositeUnitMXBean} with the platform MBean server, and takes it away when the unit
 * closes. A second open unit of the same name gets an {@code instance} key ({@code ...,name=shop,instance=2}).
 */
public final class CompositeUnitMBeans {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.boot");

    private CompositeUnitMBeans() {
    }

    /** @return the registered name, or null if the platform server refused it (logged; the unit works without it) */
    public static ObjectName register(CompositeEntityManagerFactory unit, String unitName, Clock clock) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Bean bean = new Bean(unit, clock);
        try {
            for (int instance = 1; instance < 1000; instance++) {
                ObjectName name = new ObjectName("io.dbcomposite:type=CompositeUnit,name=" + quoteIfNeeded(unitName)
                        + (instance == 1 ? "" : ",instance=" + instance));
                try {
                    server.registerMBean(bean, name);
                    return name;
                } catch (InstanceAlreadyExistsException taken) {
                    // another open unit of the same name: the next instance number
                }
            }
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: the management bean of unit '" + unitName
                    + "' could not be registered; the unit works without it", e);
        }
        return null;
    }

    /** @return the unit's name as a key value: as it is, or quoted if it holds a character a plain value cannot */
    static String quoteIfNeeded(String value) {
        for (char c : value.toCharArray()) {
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\\' || c == '\n') {
                return ObjectName.quote(value);
            }
        }
        return value.isEmpty() ? ObjectName.quote(value) : value;
    }

    /** Takes a registered bean away (a unit closing). */
    public static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "db-composite: management bean " + name + " was already gone", e);
        }
    }

    private static final class Bean implements CompositeUnitMXBean {
        private final CompositeEntityManagerFactory unit;
        private final Clock clock;

        Bean(CompositeEntityManagerFactory unit, Clock clock) {
            this.unit = unit;
            this.clock = clock;
        }

        private SyncStatus status() {
            return unit.getSyncStatus();
        }

        @Override
        public long getPendingChanges() {
            return status().pendingChanges();
        }

        @Override
        public long getFailedCount() {
            return status().failedCount();
        }

        @Override
        public long getDeadLetterCount() {
            return status().deadLetterCount();
        }

        @Override
        public long getConflictCount() {
            return status().conflictCount();
        }

        @Override
        public String getLastSyncedAt() {
            return status().lastSyncedAt() == null ? null : status().lastSyncedAt().toString();
        }

        @Override
        public String getLastError() {
            return status().lastError();
        }

        @Override
        public String getOldestPendingAt() {
            SyncStatus s = status();
            return s.oldestPendingAt() == null ? null : s.oldestPendingAt().toString();
        }

        @Override
        public long getLagSeconds() {
            SyncStatus s = status();
            return s.oldestPendingAt() == null ? 0 : Math.max(0, Duration.between(s.oldestPendingAt(), clock.instant()).toSeconds());
        }

        @Override
        public boolean isRemoteAvailable() {
            return status().remoteAvailable();
        }

        @Override
        public String sync() {
            return unit.sync().toString();
        }

        @Override
        public int retryDeadLetters() {
            return unit.retryDeadLetters();
        }

        @Override
        public int retry(long changeId) {
            return unit.retry(changeId);
        }

        @Override
        public int discard(long changeId) {
            return unit.discard(changeId);
        }
    }
}
