package io.dbcomposite.spring;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.OnConflict;
import io.dbcomposite.spring.app.Customer;
import io.dbcomposite.spring.app.CustomerRepository;
import io.dbcomposite.spring.app.RecordingListener;
import io.dbcomposite.spring.app.ShopApplication;
import io.dbcomposite.spring.bulk.BulkApplication;
import io.dbcomposite.spring.empty.EmptyApplication;
import io.dbcomposite.spring.nojpa.NoJpaApplication;
import io.dbcomposite.spring.pool.PoolApplication;
import com.zaxxer.hikari.HikariDataSource;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dbcomposite.spring.SpringTests.await;
import static io.dbcomposite.spring.SpringTests.causes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Boot contexts started and closed by the test: the job on Spring's scheduler and its end with the context,
 * YAML settings, the contexts the auto-configuration leaves alone, and the failures it reports at start.
 */
class SpringBootLifecycleTest {

    /** A schema per test: each test's local file starts its ids at 1 again. */
    String schema;
    @TempDir
    Path dir;

    @BeforeEach
    void createSchema() {
        schema = PostgresTestDatabase.createSchema("spring_life");
    }

    @AfterEach
    void dropSchema() {
        PostgresTestDatabase.dropSchema(schema);
    }

    private SpringApplicationBuilder app(Class<?> application, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "dbcomposite.remote.url=" + PostgresTestDatabase.urlFor(schema),
                "dbcomposite.remote.user=" + PostgresTestDatabase.user(),
                "dbcomposite.remote.password=" + PostgresTestDatabase.password(),
                "spring.jpa.hibernate.ddl-auto=update",
                "spring.jmx.enabled=false"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).properties(all.toArray(String[]::new));
    }

    @Test
    void the_job_runs_on_springs_task_scheduler_reads_yaml_settings_and_stops_with_the_context() {
        runTheJob("task", "dbcomposite-sync-",
                "spring.autoconfigure.exclude=org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration");
    }

    @Test
    void with_spring_boot_starter_quartz_the_job_runs_on_boots_scheduler_and_stops_with_the_context() {
        runTheJob("quartz", "quartzScheduler_Worker-");
    }

    @Test
    void when_boots_scheduler_waits_for_the_unit_the_job_runs_on_a_scheduler_of_its_own() {
        // deferred initialisation makes Boot's scheduler wait for the entity manager factory, which must not wait for it
        runTheJob("deferred", "dbcomposite-sync-", "spring.jpa.defer-datasource-initialization=true");
    }

    private void runTheJob(String name, String threadPrefix, String... properties) {
        String local = SqliteFiles.urlIn(dir, name + ".db");
        List<String> all = new ArrayList<>(List.of("spring.config.name=dbcomposite-boot-test", "dbcomposite.local.url=" + local,
                "spring.application.name=life-" + name));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = app(ShopApplication.class, all.toArray(String[]::new)).run();
        CompositeEntityManagerFactory emf;
        try {
            emf = context.getBean(CompositeEntityManagerFactory.class);
            // from the YAML file: the entity name kept its case
            assertThat(emf.routingOf(Customer.class).onConflict()).isEqualTo(OnConflict.LOCAL_WINS);
            Customer c = context.getBean(CustomerRepository.class).save(new Customer("Job " + name, "Poole"));
            await(() -> !PostgresTestDatabase.rows(schema, "select 1 from customer where id = ?", c.getId()).isEmpty()
                    && emf.getSyncStatus().pendingChanges() == 0);
            RecordingListener listener = context.getBean(RecordingListener.class);
            // the listener hears of the batch once its marks are written, a moment after the status shows them
            await(() -> !listener.appliedOnThreads.isEmpty());
            assertThat(listener.appliedOnThreads).allSatisfy(t -> assertThat(t).startsWith(threadPrefix));
        } finally {
            context.close();
        }
        assertThat(emf.isOpen()).isFalse();
        await(() -> threads(threadPrefix).isEmpty());
    }

    @Test
    void a_modifying_bulk_query_on_a_captured_entity_fails_the_start_naming_the_entity() {
        assertThatThrownBy(() -> app(BulkApplication.class, "dbcomposite.local.url=" + SqliteFiles.urlIn(dir, "bulk.db")).run())
                .satisfies(e -> assertThat(causes(e)).filteredOn(CompositeRoutingException.class::isInstance).singleElement()
                        .satisfies(c -> assertThat(c.getMessage()).contains("Bulk update/delete of entity 'Customer'")));
    }

    @Test
    void a_context_without_entities_or_without_boots_jpa_is_left_alone() {
        try (ConfigurableApplicationContext empty = app(EmptyApplication.class).run()) {
            assertThat(empty.getBeansOfType(CompositeEntityManagerFactory.class)).isEmpty();
        }
        try (ConfigurableApplicationContext noJpa = app(NoJpaApplication.class).run()) {
            assertThat(noJpa.getBeansOfType(EntityManagerFactory.class)).isEmpty();
        }
    }

    @Test
    void without_a_remote_boot_keeps_its_own_jpa() {
        try (ConfigurableApplicationContext plain = new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:plain-boot", "spring.jmx.enabled=false",
                        "spring.jpa.hibernate.ddl-auto=create-drop").run()) {
            assertThat(plain.getBean(EntityManagerFactory.class)).isNotInstanceOf(CompositeEntityManagerFactory.class);
        }
    }

    @Test
    void spring_datasource_is_the_local_side_and_both_local_settings_are_refused() {
        String local = SqliteFiles.urlIn(dir, "spring-ds.db");
        try (ConfigurableApplicationContext context = app(ShopApplication.class, "spring.datasource.url=" + local).run()) {
            context.getBean(CustomerRepository.class).save(new Customer("Local Lu", "Hove"));
            assertThat(SqliteFiles.count(local, "customer where full_name = 'Local Lu'")).isEqualTo(1);
        }
        assertThatThrownBy(() -> app(ShopApplication.class, "spring.datasource.url=" + local,
                "dbcomposite.local.url=" + SqliteFiles.urlIn(dir, "other.db")).run())
                .satisfies(e -> assertThat(causes(e)).filteredOn(CompositeConfigurationException.class::isInstance)
                        .first().satisfies(c -> assertThat(c.getMessage())
                                .contains("spring.datasource.url", "dbcomposite.local.url")));
    }

    @Test
    void an_unknown_dbcomposite_key_fails_the_start_naming_it_and_the_valid_keys() {
        assertThatThrownBy(() -> app(ShopApplication.class, "dbcomposite.local.url=" + SqliteFiles.urlIn(dir, "typo.db"),
                "dbcomposite.sync.intervall=5s").run())
                .satisfies(e -> assertThat(causes(e)).filteredOn(CompositeConfigurationException.class::isInstance)
                        .first().satisfies(c -> assertThat(c.getMessage())
                                .contains("dbcomposite.sync.intervall", "dbcomposite.sync.interval")));
    }

    @Test
    void the_remote_can_be_a_pool_bean_and_fixed_keys_come_from_environment_variables() {
        String local = SqliteFiles.urlIn(dir, "pool.db");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PoolApplication.class)
                .web(WebApplicationType.NONE)
                .properties("dbcomposite.remote.datasource=remotePool", "test.remote.url=" + PostgresTestDatabase.urlFor(schema),
                        "spring.jpa.hibernate.ddl-auto=update", "spring.jmx.enabled=false")
                .environment(environmentWith(Map.of("DBCOMPOSITE_LOCAL_URL", local, "DBCOMPOSITE_SYNC_ENABLED", "false",
                        "DBCOMPOSITE_DEFAULTS_ON_REMOTE_FAIL", "FAIL")))
                .run()) {
            CompositeEntityManagerFactory emf = context.getBean(CompositeEntityManagerFactory.class);
            // Boot's spelling of the camel-case key as an environment variable
            assertThat(emf.routingOf(Customer.class).onRemoteFail()).isEqualTo(io.dbcomposite.OnRemoteFail.FAIL);
            // the remote's pool bean does not become the context's DataSource: the local one is, as the primary
            try (java.sql.Connection c = context.getBean(javax.sql.DataSource.class).getConnection()) {
                assertThat(c.getMetaData().getURL()).isEqualTo(local);
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
            Customer c = context.getBean(CustomerRepository.class).save(new Customer("Pooled Pat", "Looe"));
            assertThat(SqliteFiles.count(local, "customer where id = " + c.getId())).isEqualTo(1); // DBCOMPOSITE_LOCAL_URL
            assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(1); // DBCOMPOSITE_SYNC_ENABLED=false: no job ran
            emf.sync();
            assertThat(PostgresTestDatabase.rows(schema, "select full_name from customer where id = ?", c.getId()))
                    .singleElement().extracting(r -> r.get("full_name")).isEqualTo("Pooled Pat");
            HikariDataSource pool = context.getBean("remotePool", HikariDataSource.class);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("the replay used the application's pool")
                    .isPositive();
        }
    }

    /** An environment whose process environment is the given map (as the operating system would pass it). */
    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return environment;
    }

    @Test
    void xml_mapping_resources_fail_the_start_rather_than_being_left_out() {
        assertThatThrownBy(() -> app(ShopApplication.class, "dbcomposite.local.url=" + SqliteFiles.urlIn(dir, "orm.db"),
                "spring.jpa.mapping-resources=META-INF/shop-orm.xml").run())
                .satisfies(e -> assertThat(causes(e)).filteredOn(CompositeConfigurationException.class::isInstance)
                        .first().satisfies(c -> assertThat(c.getMessage())
                                .contains("spring.jpa.mapping-resources", "META-INF/shop-orm.xml")));
    }

    @Test
    void two_conflict_resolver_beans_fail_the_start_naming_both() {
        assertThatThrownBy(() -> app(ShopApplication.class, "dbcomposite.local.url=" + SqliteFiles.urlIn(dir, "two.db"))
                .sources(TwoResolvers.class).run())
                .satisfies(e -> assertThat(causes(e)).filteredOn(CompositeConfigurationException.class::isInstance)
                        .first().satisfies(c -> assertThat(c.getMessage()).contains("firstResolver", "secondResolver")));
    }

    /** Two resolvers: which one decides would be a guess. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class TwoResolvers {
        @org.springframework.context.annotation.Bean
        io.dbcomposite.ConflictResolver firstResolver() {
            return c -> OnConflict.LOCAL_WINS;
        }

        @org.springframework.context.annotation.Bean
        io.dbcomposite.ConflictResolver secondResolver() {
            return c -> OnConflict.REMOTE_WINS;
        }
    }

    private static List<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }


}
