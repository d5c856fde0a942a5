package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.BootstrapServiceRegistry;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.integrator.spi.Integrator;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the SessionFactory of one side from the unit's entity classes: its own dialect, its own pool,
 * its own integrators (capture lives on the local side only) and the standard schema management settings.
 */
public final class SideFactoryBuilder {

    private SideFactoryBuilder() {
    }

    public static SessionFactory build(CompositeConfiguration config, ConnectionSpec spec, DataSource dataSource,
                                Map<String, Object> hibernateSettings, List<Class<?>> extraClasses,
                                List<Integrator> integrators) {
        BootstrapServiceRegistryBuilder bootstrap = new BootstrapServiceRegistryBuilder();
        if (config.classLoader() != null) {
            bootstrap.applyClassLoader(config.classLoader());
        }
        integrators.forEach(bootstrap::applyIntegrator);
        BootstrapServiceRegistry bootstrapRegistry = bootstrap.build();

        Map<String, Object> settings = new LinkedHashMap<>();
        if (spec.isSqlite() || isSqlite(dataSource)) {
            settings.put(AvailableSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect");
            // the SQLite dialect types an IDENTITY id "integer" only if no earlier column already says
            // "integer"; the default column ordering can put such a column first and leave the id untyped
            // (not a rowid alias, so it stays NULL). The legacy order keeps the id first.
            settings.put("hibernate.column_ordering_strategy", "legacy");
        }
        settings.put(AvailableSettings.JDBC_TIME_ZONE, "UTC");
        settings.put(AvailableSettings.PERSISTENCE_UNIT_NAME, config.unitName() + "-" + spec.side());
        settings.putAll(hibernateSettings);
        settings.put(AvailableSettings.DATASOURCE, dataSource);

        StandardServiceRegistry registry = new StandardServiceRegistryBuilder(bootstrapRegistry).applySettings(settings).build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            config.entities().forEach(sources::addAnnotatedClass);
            extraClasses.forEach(sources::addAnnotatedClass);
            return sources.buildMetadata().buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw new CompositeConfigurationException("Cannot build the " + spec.side() + " side of persistence unit '"
                    + config.unitName() + "' on " + spec.describe() + ": " + e.getMessage(), e);
        }
    }

    /** A data source given by the application or a container may be SQLite too. */
    private static boolean isSqlite(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return "SQLite".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
