package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.ConflictResolver;
import io.dbcomposite.SyncListener;
import io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.hibernate.autoconfigure.HibernateSettings;
import org.springframework.boot.jpa.autoconfigure.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.orm.jpa.hibernate.SpringBeanContainer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Spring Boot 4 auto-configuration: with {@code dbcomposite.remote.url} (or {@code dbcomposite.remote.datasource}) set,
 * Boot's {@code entityManagerFactory} is a {@link CompositeEntityManagerFactory}. Runs before Boot's Hibernate JPA and
 * DataSource auto-configurations, which then back off their own factory and keep the rest: {@code JpaTransactionManager},
 * open-in-view, Spring Data JPA repositories.
 *
 * <ul>
 *   <li>The unit is named after {@code spring.application.name} (its JMX name and meter tag), else
 *       {@code dbcomposite}.</li>
 *   <li>Entities are scanned as Boot does ({@code @EntityScan}, else the auto-configuration packages).</li>
 *   <li>{@code dbcomposite.*} comes from the {@code Environment}; {@code spring.jpa.properties.*},
 *       {@code spring.jpa.hibernate.*} (ddl-auto, naming) and {@code spring.jpa.show-sql} reach Hibernate on both sides;
 *       entity listeners and converters are Spring beans (so Spring Data's auditing works).</li>
 *   <li>The local database is {@code dbcomposite.local.*}, or {@code spring.datasource.url} when that is all there is;
 *       it is the context's {@code DataSource} bean unless the application defines one (JDBC writes through it are not
 *       captured: they never reach the remote).</li>
 *   <li>The sync job runs on Boot's Quartz scheduler when spring-boot-starter-quartz gives one, else on Spring's
 *       {@link ThreadPoolTaskScheduler} (the application's if it has exactly one, else one of the unit's own), and stops
 *       with the context; {@code dbcomposite.sync.executor} or {@code dbcomposite.quartz.*} choose otherwise.</li>
 *   <li>Every {@link SyncListener} and {@link ConflictResolver} bean and every {@link DbCompositeBuilderCustomizer} is
 *       given to the builder; Micrometer, Actuator's health indicator {@code dbComposite} and endpoint
 *       {@code dbcomposite} are set up when their classes are present.</li>
 * </ul>
 */
@AutoConfiguration(beforeName = {OnCompositeUnitCondition.HIBERNATE_JPA_AUTO_CONFIGURATION,
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass(name = OnCompositeUnitCondition.HIBERNATE_JPA_AUTO_CONFIGURATION)
@Conditional(OnCompositeUnitCondition.class)
@EnableConfigurationProperties({JpaProperties.class, HibernateProperties.class})
public class DbCompositeAutoConfiguration {

    /**
     * @return the composite unit, Boot's {@code entityManagerFactory}; closed with the context
     */
    @Bean(destroyMethod = "close")
    public CompositeEntityManagerFactory entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
            ConfigurableEnvironment environment, ResourceLoader resourceLoader, JpaProperties jpaProperties,
            HibernateProperties hibernateProperties, ObjectProvider<HibernatePropertiesCustomizer> hibernateCustomizers,
            ObjectProvider<LocalDataSource> localDataSource, ObjectProvider<SyncListener> listeners,
            ObjectProvider<ConflictResolver> conflictResolver, ObjectProvider<org.quartz.Scheduler> quartzSchedulers,
            ObjectProvider<ThreadPoolTaskScheduler> taskSchedulers,
            ObjectProvider<DbCompositeBuilderCustomizer> customizers) {
        CompositePersistence.Builder builder = CompositePersistence.builder()
                .name(unitName(environment))
                .classLoader(resourceLoader.getClassLoader())
                .entities(EntityPackages.managedClasses(beanFactory, resourceLoader));
        builder.properties(hibernate(jpaProperties, hibernateProperties, hibernateCustomizers));
        builder.property("hibernate.resource.beans.container", new SpringBeanContainer(beanFactory));
        Map<String, Object> settings = EnvironmentSettings.read(environment, beanFactory);
        LocalDataSource local = localDataSource.getIfAvailable();
        if (local != null) {
            // the context's DataSource bean: the unit uses that very pool (and does not close it; the bean does)
            settings.keySet().removeAll(List.of(CompositeSettings.LOCAL_URL, CompositeSettings.LOCAL_USER,
                    CompositeSettings.LOCAL_PASSWORD));
            settings.put(CompositeSettings.LOCAL_DATASOURCE, local.getTargetDataSource());
        }
        builder.properties(settings);
        listeners.orderedStream().forEach(builder::listener);
        conflictResolver.ifUnique(builder::conflictResolver);
        ThreadPoolTaskScheduler own = null;
        org.quartz.Scheduler quartz = quartzSchedulers.getIfUnique();
        if (settings.containsKey(CompositeSettings.SYNC_EXECUTOR)
                || settings.keySet().stream().anyMatch(k -> k.startsWith(CompositeSettings.QUARTZ_PREFIX))) {
            // the application chose: the unit's own Quartz, a JNDI name, ...
        } else if (quartz != null) {
            // spring-boot-starter-quartz: Boot's scheduler runs the job, and Boot starts and stops it with the context
            builder.property(CompositeSettings.SYNC_EXECUTOR, quartz);
        } else {
            ThreadPoolTaskScheduler scheduler = taskSchedulers.getIfUnique();
            if (scheduler == null) {
                own = ownScheduler();
                scheduler = own;
            }
            ScheduledExecutorService executor = scheduler.getScheduledExecutor();
            builder.property(CompositeSettings.SYNC_EXECUTOR, executor);
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        CompositeEntityManagerFactory unit;
        try {
            unit = builder.build();
        } catch (RuntimeException | Error e) {
            if (own != null) {
                own.shutdown();
            }
            throw e;
        }
        if (own != null && unit instanceof CompositeEntityManagerFactoryImpl impl) {
            impl.afterClose(own::shutdown); // after the job stopped: a run in flight ends its batch first
        }
        return unit;
    }

    /**
     * @return the local database as the context's {@code DataSource}, so Boot's JPA, JDBC and Spring Data
     *         auto-configurations see one: the pool the unit would open itself ({@code dbcomposite.local.*}, else
     *         {@code spring.datasource.url}, else the default file), closed with the context after the unit
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    public LocalDataSource dataSource(ConfigurableListableBeanFactory beanFactory, ConfigurableEnvironment environment) {
        Map<String, Object> settings = EnvironmentSettings.read(environment, beanFactory);
        return LocalDataSource.open(settings, unitName(environment));
    }

    static String unitName(ConfigurableEnvironment environment) {
        return environment.getProperty("spring.application.name", "dbcomposite");
    }

    static Map<String, Object> hibernate(JpaProperties jpa, HibernateProperties hibernate,
            ObjectProvider<HibernatePropertiesCustomizer> customizers) {
        List<HibernatePropertiesCustomizer> all = customizers.orderedStream().toList();
        Map<String, Object> properties = new java.util.LinkedHashMap<>(hibernate.determineHibernateProperties(jpa.getProperties(),
                new HibernateSettings().ddlAuto(() -> "none").hibernatePropertiesCustomizers(all)));
        if (jpa.isShowSql()) {
            properties.putIfAbsent("hibernate.show_sql", "true");
        }
        return properties;
    }

    private static ThreadPoolTaskScheduler ownScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("dbcomposite-sync-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        return scheduler;
    }

    /** Boot's Actuator: the health indicator {@code dbComposite} and the endpoint {@code dbcomposite}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.actuate.endpoint.annotation.Endpoint"})
    static class ActuatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "dbCompositeHealthIndicator")
        DbCompositeHealthIndicator dbCompositeHealthIndicator(CompositeEntityManagerFactory entityManagerFactory) {
            return new DbCompositeHealthIndicator(entityManagerFactory);
        }

        @Bean
        @ConditionalOnMissingBean
        DbCompositeEndpoint dbCompositeEndpoint(CompositeEntityManagerFactory entityManagerFactory) {
            return new DbCompositeEndpoint(entityManagerFactory);
        }
    }

    /** Micrometer: the unit's meters in the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MetricsConfiguration {

        @Bean
        DbCompositeBuilderCustomizer dbCompositeMeters(BeanFactory beanFactory) {
            return builder -> {
                ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registries =
                        beanFactory.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class);
                io.micrometer.core.instrument.MeterRegistry registry = registries.getIfUnique();
                if (registry != null) {
                    builder.meterRegistry(registry);
                }
            };
        }
    }
}
