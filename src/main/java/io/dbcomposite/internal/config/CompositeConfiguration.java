package io.dbcomposite.internal.config;

import io.dbcomposite.Routing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The whole configuration of one composite persistence unit, read and validated once at bootstrap
 * from the builder, properties and {@code persistence.xml}; never changed afterwards.
 *
 * @param unitName the persistence unit's name
 * @param local how the local side connects
 * @param remote how the remote side connects
 * @param defaults the configured defaults, filled from the built-in ones
 * @param routesByName per-entity routing by entity name (partial: DEFAULT attributes fall through)
 * @param routesByClass per-entity routing by class (partial)
 * @param remoteConnectTimeout how long an operation waits for the remote (connection, login); see
 *        {@link io.dbcomposite.CompositeSettings#REMOTE_CONNECT_TIMEOUT}
 * @param remoteSocketTimeout how long one remote statement may wait for an answer
 * @param remoteRequiredAtStart whether the bootstrap fails while the remote cannot be reached
 * @param sync the sync engine's settings
 * @param quartz the properties passed to Quartz
 * @param localHibernate Hibernate settings of the local side (shared ones plus local-only ones)
 * @param remoteHibernate Hibernate settings of the remote side
 * @param entities the entity classes of the unit
 * @param classLoader the class loader of the application
 * @param clock the clock of the sync engine
 * @param jta true for a unit of transaction-type JTA: the remote is the container's transactional data source and the
 *        composite's transactions follow the JTA transaction
 * @param localCheckpointsInBackground whether the WAL checkpoints of a local SQLite file the unit opens run on a thread
 *        of their own ({@link io.dbcomposite.CompositeSettings#LOCAL_CHECKPOINT})
 */
public record CompositeConfiguration(
        String unitName,
        ConnectionSpec local,
        ConnectionSpec remote,
        Routing defaults,
        Map<String, Routing> routesByName,
        Map<Class<?>, Routing> routesByClass,
        java.time.Duration remoteConnectTimeout,
        java.time.Duration remoteSocketTimeout,
        boolean remoteRequiredAtStart,
        SyncSettings sync,
        Properties quartz,
        Map<String, Object> localHibernate,
        Map<String, Object> remoteHibernate,
        List<Class<?>> entities,
        ClassLoader classLoader,
        Clock clock,
        boolean jta,
        boolean localCheckpointsInBackground) {

    /** Without secrets: passwords and URLs of the settings maps are hidden or redacted. */
    @Override
    public String toString() {
        return "CompositeConfiguration[unit=" + unitName + ", local=" + local + ", remote=" + remote + ", defaults=" + defaults
                + ", routesByName=" + routesByName + ", routesByClass=" + routesByClass + ", sync=" + sync
                + ", quartz=" + visible(quartz) + ", localHibernate=" + visible(localHibernate)
                + ", remoteHibernate=" + visible(remoteHibernate) + ", entities=" + entities + "]";
    }

    private static Map<String, Object> visible(Map<?, ?> settings) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        settings.forEach((k, v) -> m.put(String.valueOf(k), v));
        return SettingsReader.visibleProperties(m);
    }
}
