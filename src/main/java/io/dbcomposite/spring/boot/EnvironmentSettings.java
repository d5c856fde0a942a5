package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeSettings;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the unit's {@code dbcomposite.*} settings from the Spring {@code Environment}: every key of a properties or
 * YAML source as written (system properties and the process environment excepted; entity names in {@code dbcomposite.routing.<EntityName>.*} keep their case), each resolved
 * through the Environment (so a profile's or a command line's value wins and placeholders resolve), and the fixed keys
 * from any source, environment variables included ({@code DBCOMPOSITE_REMOTE_URL},
 * {@code DBCOMPOSITE_DEFAULTS_ON_REMOTE_FAIL}). {@code on-remote-fail} and {@code on-conflict} may be written in kebab
 * case. Unknown keys are left for the unit's own check, which names them and the valid ones.
 */
final class EnvironmentSettings {

    static final String PREFIX = "dbcomposite.";
    static final String SPRING_DATASOURCE_URL = "spring.datasource.url";
    /**
     * The JVM's system properties and the process environment: they hold keys of other programs and tools, so only the
     * fixed keys are taken from them, never every {@code dbcomposite.*} name they happen to carry.
     */
    static final java.util.Set<String> PROCESS_SOURCES = java.util.Set.of(
            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);

    private EnvironmentSettings() {
    }

    static Map<String, Object> read(ConfigurableEnvironment env, BeanFactory beanFactory) {
        TreeSet<String> keys = new TreeSet<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable && !PROCESS_SOURCES.contains(source.getName())) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(PREFIX)) {
                        keys.add(name);
                    }
                }
            }
        }
        for (String key : CompositeSettings.KEYS) {
            if (env.containsProperty(key)) {
                keys.add(key);
            } else if (!kebab(key).equals(key) && env.containsProperty(kebab(key))) {
                // DBCOMPOSITE_DEFAULTS_ON_REMOTE_FAIL, as Boot spells environment variables
                keys.add(kebab(key));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : keys) {
            String canonical = canonical(key);
            if (!canonical.equals(key) && keys.contains(canonical)) {
                throw new CompositeConfigurationException("Both '" + key + "' and '" + canonical + "' are set; give one");
            }
            settings.put(canonical, env.getProperty(key));
        }
        dataSourceBean(settings, CompositeSettings.LOCAL_DATASOURCE, beanFactory);
        dataSourceBean(settings, CompositeSettings.REMOTE_DATASOURCE, beanFactory);
        localFromSpringDataSource(settings, env);
        return settings;
    }

    /** The kebab-case spellings Boot users write ({@code on-remote-fail}) of the contract's camel-case key parts. */
    private static final Map<String, String> KEBAB_PARTS = Map.of("on-remote-fail", "onRemoteFail", "on-conflict", "onConflict");

    /** @return the key with its camel-case parts in kebab case ({@code dbcomposite.defaults.on-remote-fail}) */
    static String kebab(String key) {
        String out = key;
        for (Map.Entry<String, String> e : KEBAB_PARTS.entrySet()) {
            out = out.endsWith("." + e.getValue()) ? out.substring(0, out.length() - e.getValue().length()) + e.getKey() : out;
        }
        return out;
    }

    /** @return the contract's spelling of a key written in kebab case ({@code dbcomposite.routing.Order.on-conflict}) */
    static String canonical(String key) {
        String out = key;
        for (Map.Entry<String, String> e : KEBAB_PARTS.entrySet()) {
            out = out.endsWith("." + e.getKey()) ? out.substring(0, out.length() - e.getKey().length()) + e.getValue() : out;
        }
        return out;
    }

    /** A {@code *.datasource} value that names a {@code DataSource} bean means that bean; any other is a JNDI name. */
    private static void dataSourceBean(Map<String, Object> settings, String key, BeanFactory beanFactory) {
        Object value = settings.get(key);
        if (value instanceof String name && !name.isBlank() && beanFactory.containsBean(name)
                && beanFactory.isTypeMatch(name, DataSource.class)) {
            settings.put(key, beanFactory.getBean(name, DataSource.class));
        }
    }

    /**
     * Without {@code dbcomposite.local.*}, Boot's own {@code spring.datasource.url} (and its user and password) is the
     * local database; both set is refused, as the unit would otherwise pick one silently.
     */
    private static void localFromSpringDataSource(Map<String, Object> settings, ConfigurableEnvironment env) {
        String springUrl = env.getProperty(SPRING_DATASOURCE_URL);
        if (springUrl == null || springUrl.isBlank()) {
            return;
        }
        boolean localGiven = settings.containsKey(CompositeSettings.LOCAL_URL)
                || settings.containsKey(CompositeSettings.LOCAL_DATASOURCE);
        if (localGiven) {
            throw new CompositeConfigurationException("Both " + SPRING_DATASOURCE_URL + " (" + springUrl + ") and "
                    + (settings.containsKey(CompositeSettings.LOCAL_URL) ? CompositeSettings.LOCAL_URL
                    : CompositeSettings.LOCAL_DATASOURCE) + " are set: the local database of the db-composite unit is"
                    + " one of them; remove the other (spring.datasource.* or dbcomposite.local.*)");
        }
        settings.put(CompositeSettings.LOCAL_URL, springUrl);
        putIfSet(settings, CompositeSettings.LOCAL_USER, env.getProperty("spring.datasource.username"));
        putIfSet(settings, CompositeSettings.LOCAL_PASSWORD, env.getProperty("spring.datasource.password"));
    }

    private static void putIfSet(Map<String, Object> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }
}
