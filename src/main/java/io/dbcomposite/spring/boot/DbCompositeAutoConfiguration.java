package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.ConflictResolver;
import io.dbcomposite.SyncListener;
import io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.support.PersistenceExceptionTranslator;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.persistenceunit.ManagedClassNameFilter;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.transaction.TransactionManager;
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

/**
 * Spring Boot 4 auto-configuration: with {@code dbcomposite.remote.url} (or {@code dbcomposite.remote.datasource}) set,
 * Boot's {@code entityManagerFactory} is a {@link CompositeEntityManagerFactory}. Runs before Boot's Hibernate JPA and
 * DataSource auto-configurations, which then back off their own factory and keep the rest: open-in-view, Spring Data JPA
 * repositories. The transaction manager is a {@code JpaTransactionManager} with Hibernate's dialect.
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
 *   <li>The sync job runs on Boot's Quartz scheduler when spring-boot-starter-quartz gives one with an in-memory job
 *       store, else on a {@link ThreadPoolTaskScheduler} of the unit's own, and stops with the context;
 *       {@code dbcomposite.sync.executor} or {@code dbcomposite.quartz.*} choose otherwise.</li>
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

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.boot");

    /**
     * @return the composite unit, Boot's {@code entityManagerFactory}; closed with the context
     */
    @Bean(destroyMethod = "close")
    @Primary
    public CompositeEntityManagerFactory entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
            ConfigurableEnvironment environment, ResourceLoader resourceLoader, JpaProperties jpaProperties,
            HibernateProperties hibernateProperties, ObjectProvider<HibernatePropertiesCustomizer> hibernateCustomizers,
            ObjectProvider<ManagedClassNameFilter> classNameFilter, ObjectProvider<LocalDataSource> localDataSource,
            ObjectProvider<SyncListener> listeners, ObjectProvider<ConflictResolver> conflictResolvers,
            ObjectProvider<DbCompositeBuilderCustomizer> customizers) {
        if (!jpaProperties.getMappingResources().isEmpty()) {
            throw new io.dbcomposite.CompositeConfigurationException("spring.jpa.mapping-resources names XML mapping files "
                    + jpaProperties.getMappingResources() + ", which the db-composite unit does not read; map these"
                    + " entities with annotations");
        }
        CompositePersistence.Builder builder = CompositePersistence.builder()
                .name(unitName(environment))
                .classLoader(resourceLoader.getClassLoader())
                .entities(EntityPackages.managedClasses(beanFactory, resourceLoader, classNameFilter.getIfAvailable()));
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
        // looked up when first needed, not now: a listener or resolver may need JPA beans that need this factory
        builder.listener(new BeanSyncListeners(listeners));
        String[] resolvers = beanFactory.getBeanNamesForType(ConflictResolver.class, true, false);
        if (resolvers.length > 1) {
            throw new io.dbcomposite.CompositeConfigurationException("The context has " + resolvers.length
                    + " ConflictResolver beans " + java.util.Arrays.toString(resolvers) + "; the db-composite unit takes one:"
                    + " keep one, or combine them in one bean that asks the others");
        }
        builder.conflictResolver(conflict -> {
            ConflictResolver resolver = conflictResolvers.getIfUnique();
            return resolver == null ? io.dbcomposite.OnConflict.DEFAULT : resolver.resolve(conflict);
        });
        ThreadPoolTaskScheduler own = null;
        if (settings.containsKey(CompositeSettings.SYNC_EXECUTOR)
                || settings.keySet().stream().anyMatch(k -> k.startsWith(CompositeSettings.QUARTZ_PREFIX))) {
            // the application chose: the unit's own Quartz, a JNDI name, ...
        } else if (inMemory(bootQuartz(beanFactory))) {
            // spring-boot-starter-quartz: Boot's scheduler runs the job, and Boot starts and stops it with the context
            builder.property(CompositeSettings.SYNC_EXECUTOR, bootQuartz(beanFactory));
        } else {
            // a scheduler of the unit's own: the application's task scheduler runs its @Scheduled work on one thread
            // by default, which a sync run during an outage would hold up
            own = ownScheduler();
            builder.property(CompositeSettings.SYNC_EXECUTOR, own.getScheduledExecutor());
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
     * @return the context's one Quartz scheduler, or null: none, several, or one that waits for this factory
     *         ({@code spring.jpa.defer-datasource-initialization} makes Boot's scheduler depend on it)
     */
    private static org.quartz.Scheduler bootQuartz(ConfigurableListableBeanFactory beanFactory) {
        String[] names = beanFactory.getBeanNamesForType(org.quartz.Scheduler.class, true, false);
        if (names.length != 1) {
            return null;
        }
        String[] dependsOn = beanFactory.getMergedBeanDefinition(names[0]).getDependsOn();
        if (dependsOn != null && java.util.Arrays.asList(dependsOn).contains("entityManagerFactory")) {
            LOG.log(System.Logger.Level.INFO, "db-composite: Boot's Quartz scheduler ''{0}'' starts after the entity manager"
                    + " factory (deferred data source initialisation); the sync job runs on a scheduler of the unit's own",
                    names[0]);
            return null;
        }
        return beanFactory.getBean(names[0], org.quartz.Scheduler.class);
    }

    /**
     * Boot's Quartz runs the job only with an in-memory store: a persistent or clustered one is shared with other
     * processes, whose triggers would fire this node's job (each node has a local database of its own).
     */
    private static boolean inMemory(org.quartz.Scheduler quartz) {
        if (quartz == null) {
            return false;
        }
        try {
            org.quartz.SchedulerMetaData meta = quartz.getMetaData();
            boolean ram = org.quartz.simpl.RAMJobStore.class.isAssignableFrom(meta.getJobStoreClass())
                    && !meta.isJobStoreClustered();
            if (!ram) {
                LOG.log(System.Logger.Level.INFO, "db-composite: Boot's Quartz scheduler keeps its jobs in {0}, shared"
                        + " between processes; the sync job runs on a scheduler of the unit's own instead",
                        meta.getJobStoreClass().getName());
            }
            return ram;
        } catch (org.quartz.SchedulerException e) {
            return false;
        }
    }

    /**
     * @return the local database as the context's primary {@code DataSource}, so Boot's JPA, JDBC and Spring Data
     *         auto-configurations see it: the pool the unit would open itself ({@code dbcomposite.local.*}, else
     *         {@code spring.datasource.url}, else the default file), closed with the context after the unit. Not made
     *         when the application has a {@code DataSource} bean of its own, other than the remote's
     */
    @Bean(destroyMethod = "close")
    @Primary
    @Conditional(OnNoLocalDataSourceBean.class)
    public LocalDataSource dataSource(ConfigurableListableBeanFactory beanFactory, ConfigurableEnvironment environment) {
        Map<String, Object> settings = EnvironmentSettings.read(environment, beanFactory);
        return LocalDataSource.open(settings, unitName(environment));
    }

    /**
     * @return the transaction manager of {@code @Transactional}: Spring's {@code JpaTransactionManager} with Hibernate's
     *         dialect (read-only transactions do not flush, isolation levels apply, the local JDBC connection is shared
     *         with {@code JdbcTemplate} on the local {@code DataSource} bean)
     */
    @Bean
    @ConditionalOnMissingBean(TransactionManager.class)
    public JpaTransactionManager transactionManager(CompositeEntityManagerFactory entityManagerFactory,
            ObjectProvider<LocalDataSource> localDataSource) {
        JpaTransactionManager manager = new JpaTransactionManager(entityManagerFactory);
        manager.setJpaDialect(new HibernateJpaDialect());
        localDataSource.ifAvailable(manager::setDataSource);
        return manager;
    }

    /** @return Hibernate's exception translation for Spring Data repositories ({@code DataIntegrityViolationException}, ...) */
    @Bean
    @ConditionalOnMissingBean(PersistenceExceptionTranslator.class)
    public PersistenceExceptionTranslator dbCompositeExceptionTranslator() {
        return new HibernateJpaDialect();
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

    /**
     * Every {@link SyncListener} bean, looked up at each event (a handful a run): an event while the context is still
     * starting must not settle the list before the listener beans exist.
     */
    static final class BeanSyncListeners implements SyncListener {
        private final ObjectProvider<SyncListener> beans;

        BeanSyncListeners(ObjectProvider<SyncListener> beans) {
            this.beans = beans;
        }

        private List<SyncListener> all() {
            return beans.orderedStream().toList();
        }

        @Override
        public void applied(List<Change> changes) {
            all().forEach(l -> l.applied(changes));
        }

        @Override
        public void failed(Change change, String error, java.time.Instant nextAttemptAt) {
            all().forEach(l -> l.failed(change, error, nextAttemptAt));
        }

        @Override
        public void dead(Change change, String error) {
            all().forEach(l -> l.dead(change, error));
        }

        @Override
        public void conflict(Change change, io.dbcomposite.OnConflict resolution, String reason) {
            all().forEach(l -> l.conflict(change, resolution, reason));
        }

        @Override
        public void remoteUnavailable(String remote, String cause) {
            all().forEach(l -> l.remoteUnavailable(remote, cause));
        }

        @Override
        public void remoteAvailable(String remote, java.time.Duration outage) {
            all().forEach(l -> l.remoteAvailable(remote, outage));
        }
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
            "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator",
            "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    static class ActuatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "dbCompositeHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("db-composite")
        DbCompositeHealthIndicator dbCompositeHealthIndicator(CompositeEntityManagerFactory entityManagerFactory) {
            return new DbCompositeHealthIndicator(entityManagerFactory);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
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
