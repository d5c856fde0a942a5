package io.dbcomposite;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.ProviderUtil;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.hibernate.jpa.boot.spi.PersistenceUnitDescriptor;
import org.hibernate.jpa.boot.spi.PersistenceXmlParser;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jakarta Persistence provider of composite units. Name it in {@code persistence.xml}:
 *
 * <pre>{@code
 * <persistence-unit name="shop" transaction-type="RESOURCE_LOCAL">
 *   <provider>io.dbcomposite.CompositePersistenceProvider</provider>
 *   <class>com.example.Product</class>
 *   <properties>
 *     <property name="dbcomposite.local.url" value="jdbc:sqlite:./shop.db"/>
 *     <property name="dbcomposite.remote.url" value="jdbc:postgresql://db/shop"/>
 *     <property name="hibernate.hbm2ddl.auto" value="update"/>
 *   </properties>
 * </persistence-unit>
 * }</pre>
 *
 * <p>then {@code Persistence.createEntityManagerFactory("shop")} returns a {@link CompositeEntityManagerFactory}.
 * Entities are the unit's listed {@code <class>} elements. A container's {@code <non-jta-data-source>} becomes
 * the local data source when no {@code dbcomposite.local.*} connection is given.
 *
 * <p>A unit of {@code transaction-type="JTA"} takes its remote from {@code <jta-data-source>} (the container's
 * transactional data source, enlisted in its transactions) and needs a named local connection; its entity managers
 * join the container's transactions (see the README, "Jakarta EE").
 */
public class CompositePersistenceProvider implements PersistenceProvider {

    /** Creates the provider; the Jakarta Persistence bootstrap does this through the service loader. */
    public CompositePersistenceProvider() {
    }

    @Override
    public EntityManagerFactory createEntityManagerFactory(String unitName, Map<?, ?> map) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        Map<String, PersistenceUnitDescriptor> units = parse(map, cl);
        PersistenceUnitDescriptor unit = units.get(unitName);
        if (unit == null || !isOurs(unit.getProviderClassName(), map)) {
            return null; // another provider's unit, as the specification asks
        }
        refuseMappingFiles(unitName, unit.getMappingFileNames());
        Map<String, Object> settings = new LinkedHashMap<>();
        unit.getProperties().forEach((k, v) -> settings.put(String.valueOf(k), v));
        overlay(settings, map);
        transactionType(settings, unit.getTransactionType() == null ? null : unit.getTransactionType().name(),
                unit.getJtaDataSource());
        localDataSource(settings, unit.getNonJtaDataSource());
        ClassLoader unitLoader = unit.getClassLoader() != null ? unit.getClassLoader() : cl;
        return build(unitName, settings, loadClasses(unitName, unit.getManagedClassNames(), unitLoader), unitLoader);
    }

    @Override
    public EntityManagerFactory createEntityManagerFactory(PersistenceConfiguration configuration) {
        if (!isOurs(configuration.provider(), Map.of())) {
            return null;
        }
        refuseMappingFiles(configuration.name(), configuration.mappingFiles());
        Map<String, Object> settings = new LinkedHashMap<>(configuration.properties());
        transactionType(settings, configuration.transactionType() == null ? null : configuration.transactionType().name(),
                configuration.jtaDataSource());
        localDataSource(settings, configuration.nonJtaDataSource());
        return build(configuration.name(), settings, configuration.managedClasses(),
                Thread.currentThread().getContextClassLoader());
    }

    @Override
    public EntityManagerFactory createContainerEntityManagerFactory(PersistenceUnitInfo info, Map<?, ?> map) {
        // a unit that names no provider was given to this one by the container's own choice
        if (info.getPersistenceProviderClassName() != null && !isOurs(info.getPersistenceProviderClassName(), map)) {
            return null;
        }
        refuseMappingFiles(info.getPersistenceUnitName(), info.getMappingFileNames());
        Map<String, Object> settings = new LinkedHashMap<>();
        if (info.getProperties() != null) {
            info.getProperties().forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        overlay(settings, map);
        transactionType(settings, info.getTransactionType() == null ? null : info.getTransactionType().name(),
                info.getJtaDataSource());
        localDataSource(settings, info.getNonJtaDataSource());
        ClassLoader cl = info.getClassLoader() != null ? info.getClassLoader() : Thread.currentThread().getContextClassLoader();
        return build(info.getPersistenceUnitName(), settings, loadClasses(info.getPersistenceUnitName(),
                info.getManagedClassNames(), cl), cl);
    }

    @Override
    public void generateSchema(PersistenceUnitInfo info, Map<?, ?> map) {
        EntityManagerFactory emf = createContainerEntityManagerFactory(info, map);
        if (emf != null) {
            emf.close();
        }
    }

    @Override
    public boolean generateSchema(String unitName, Map<?, ?> map) {
        EntityManagerFactory emf = createEntityManagerFactory(unitName, map);
        if (emf == null) {
            return false;
        }
        emf.close();
        return true;
    }

    @Override
    public ProviderUtil getProviderUtil() {
        return new HibernatePersistenceProvider().getProviderUtil();
    }

    /**
     * XML mapping files ({@code <mapping-file>}, {@code orm.xml}) are not read by the composite unit: refused, rather than
     * leaving their mappings out on both sides without a word.
     */
    static void refuseMappingFiles(String unitName, java.util.Collection<String> mappingFiles) {
        if (mappingFiles != null && !mappingFiles.isEmpty()) {
            throw new CompositeConfigurationException("Persistence unit '" + unitName + "' names XML mapping files "
                    + mappingFiles + ", which a db-composite unit does not read; map these entities with annotations"
                    + " (and @CompositeRouting or dbcomposite.routing.<Entity>.* for their routing)");
        }
    }

    private static boolean isOurs(String providerClassName, Map<?, ?> map) {
        Object override = map == null ? null : map.get("jakarta.persistence.provider");
        String name = override != null ? String.valueOf(override) : providerClassName;
        return CompositePersistenceProvider.class.getName().equals(name);
    }

    private static Map<String, PersistenceUnitDescriptor> parse(Map<?, ?> map, ClassLoader cl) {
        List<URL> urls;
        try {
            urls = Collections.list(cl.getResources("META-INF/persistence.xml"));
        } catch (IOException e) {
            throw new PersistenceException("Cannot read META-INF/persistence.xml: " + e.getMessage(), e);
        }
        if (urls.isEmpty()) {
            return Map.of();
        }
        return PersistenceXmlParser.create(map == null ? Map.of() : map, cl, null).parse(urls);
    }

    private static void overlay(Map<String, Object> settings, Map<?, ?> map) {
        if (map != null) {
            map.forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        settings.remove("jakarta.persistence.provider");
    }

    /**
     * The unit's transaction type, as a setting the configuration reads ({@code jakarta.persistence.transactionType}); for
     * a JTA unit, its {@code <jta-data-source>} becomes the remote's data source (unless the unit names one itself, which
     * the configuration then judges). A type given in the properties wins over the unit's, as in Hibernate.
     */
    private static void transactionType(Map<String, Object> settings, String unitType, Object jtaDataSource) {
        String key = io.dbcomposite.internal.config.SettingsReader.TRANSACTION_TYPE;
        if (settings.get(key) == null && settings.get("javax.persistence.transactionType") == null && unitType != null) {
            settings.put(key, unitType);
        }
        Object type = settings.get(key) != null ? settings.get(key) : settings.get("javax.persistence.transactionType");
        if (type == null || !"JTA".equalsIgnoreCase(type instanceof Enum<?> e ? e.name() : type.toString().trim())) {
            return; // a resource-local unit's JTA data source settings are judged (refused) by the configuration
        }
        Object named = settings.remove("jakarta.persistence.jtaDataSource");
        Object legacy = settings.remove("javax.persistence.jtaDataSource");
        Object ds = jtaDataSource != null ? jtaDataSource : named != null ? named : legacy;
        if (ds == null || settings.containsKey(CompositeSettings.REMOTE_DATASOURCE)) {
            return;
        }
        if (ds instanceof DataSource || (ds instanceof String s && !s.isBlank())) {
            settings.put(CompositeSettings.REMOTE_DATASOURCE, ds);
        }
    }

    /** A unit-level data source (persistence.xml or container) is the local side's, unless one is named already. */
    private static void localDataSource(Map<String, Object> settings, Object dataSource) {
        Object named = settings.remove("jakarta.persistence.nonJtaDataSource");
        Object ds = dataSource != null ? dataSource : named;
        if (ds == null || settings.containsKey(CompositeSettings.LOCAL_URL) || settings.containsKey(CompositeSettings.LOCAL_DATASOURCE)) {
            return;
        }
        if (ds instanceof DataSource || (ds instanceof String s && !s.isBlank())) {
            settings.put(CompositeSettings.LOCAL_DATASOURCE, ds);
        }
    }

    private static List<Class<?>> loadClasses(String unitName, List<String> names, ClassLoader cl) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                classes.add(Class.forName(name, true, cl));
            } catch (ClassNotFoundException e) {
                throw new CompositeConfigurationException("Class '" + name + "' listed in persistence unit '" + unitName
                        + "' cannot be loaded", e);
            }
        }
        return classes;
    }

    private static EntityManagerFactory build(String unitName, Map<String, Object> settings, List<Class<?>> classes, ClassLoader cl) {
        return CompositePersistence.builder()
                .name(unitName)
                .classLoader(cl)
                .properties(settings)
                .entities(classes)
                .build();
    }
}
