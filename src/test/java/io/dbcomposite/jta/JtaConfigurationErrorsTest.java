package io.dbcomposite.jta;

import io.agroal.api.AgroalDataSource;
import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneJta;
import io.dbcomposite.testmodel.Draft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A JTA unit set up wrongly fails its bootstrap, saying what to set. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JtaConfigurationErrorsTest {

    @TempDir
    Path dir;
    private String schema;
    private AgroalDataSource remote;

    @BeforeAll
    void start() {
        schema = PostgresTestDatabase.createSchema(getClass().getSimpleName());
        remote = StandaloneJta.dataSource(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(),
                PostgresTestDatabase.password());
    }

    @AfterAll
    void stop() {
        remote.close();
        PostgresTestDatabase.dropSchema(schema);
    }

    private CompositePersistence.Builder jtaUnit(String name) {
        return CompositePersistence.builder().name(name).entities(Draft.class).syncEnabled(false)
                .property("jakarta.persistence.transactionType", "JTA");
    }

    @Test
    void a_jta_unit_without_a_jta_data_source_names_the_setting() {
        assertThatThrownBy(() -> jtaUnit("no-jta-ds").local(SqliteFiles.urlIn(dir, "a.db")).build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("'no-jta-ds'").hasMessageContaining("<jta-data-source>")
                .hasMessageContaining(CompositeSettings.REMOTE_DATASOURCE);
    }

    @Test
    void a_jta_unit_with_a_remote_url_is_refused_since_the_url_would_not_be_enlisted() {
        assertThatThrownBy(() -> jtaUnit("jta-url").local(SqliteFiles.urlIn(dir, "b.db"))
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(CompositeSettings.REMOTE_URL).hasMessageContaining("<jta-data-source>");
    }

    @Test
    void a_jta_unit_without_a_local_connection_names_the_settings() {
        assertThatThrownBy(() -> jtaUnit("no-local").property(CompositeSettings.REMOTE_DATASOURCE, remote).build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("'no-local'").hasMessageContaining(CompositeSettings.LOCAL_URL)
                .hasMessageContaining("<non-jta-data-source>");
    }

    @Test
    void a_jta_unit_without_a_jta_platform_says_what_to_set() {
        assertThatThrownBy(() -> jtaUnit("no-platform").local(SqliteFiles.urlIn(dir, "c.db"))
                .property(CompositeSettings.REMOTE_DATASOURCE, remote)
                .property("hibernate.transaction.jta.platform", "org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform")
                .build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("'no-platform'").hasMessageContaining("hibernate.transaction.jta.platform")
                .hasMessageContaining("RESOURCE_LOCAL");
    }

    @Test
    void an_unknown_transaction_type_names_the_valid_values() {
        assertThatThrownBy(() -> CompositePersistence.builder().name("bad-type").entities(Draft.class)
                .local(SqliteFiles.urlIn(dir, "d.db")).property(CompositeSettings.REMOTE_DATASOURCE, remote)
                .property("jakarta.persistence.transactionType", "XA").build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("jakarta.persistence.transactionType").hasMessageContaining("JTA, RESOURCE_LOCAL");
    }

    @Test
    void a_resource_local_transaction_begun_inside_a_jta_transaction_is_refused_saying_what_to_set() throws Exception {
        try (var unit = CompositePersistence.builder().name("local-in-jta").entities(Draft.class).syncEnabled(false)
                .local(SqliteFiles.urlIn(dir, "f.db"))
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create").build();
             var em = unit.createEntityManager()) {
            jakarta.transaction.TransactionManager tm = StandaloneJta.manager();
            tm.begin();
            try {
                assertThatThrownBy(() -> em.getTransaction().begin()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'local-in-jta' is RESOURCE_LOCAL").hasMessageContaining("transaction-type=\"JTA\"")
                        .hasMessageContaining("<jta-data-source>");
            } finally {
                tm.rollback();
            }
            // outside a JTA transaction it works as ever
            em.getTransaction().begin();
            em.persist(new Draft("outside", "a JTA transaction"));
            em.getTransaction().commit();
        }
    }

    @Test
    void a_sync_executor_that_jndi_does_not_have_is_named() {
        assertThatThrownBy(() -> jtaUnit("no-executor").local(SqliteFiles.urlIn(dir, "e.db"))
                .property(CompositeSettings.REMOTE_DATASOURCE, remote)
                .property(CompositeSettings.SYNC_ENABLED, "true")
                .property(CompositeSettings.SYNC_EXECUTOR, "java:comp/env/NoSuchExecutor")
                .build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(CompositeSettings.SYNC_EXECUTOR).hasMessageContaining("java:comp/env/NoSuchExecutor")
                .hasMessageContaining("quartz");
    }
}
