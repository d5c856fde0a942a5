package io.dbcomposite;

import io.dbcomposite.internal.config.SyncSettings;
import io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every configuration error fails {@code build()} with a {@link CompositeConfigurationException} whose
 * message names the key, the entity and the valid values; and the precedence of the routing levels.
 * Local side: a SQLite file in a temp folder; remote side: the real PostgreSQL in a schema of this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigurationErrorsTest {

    private String schema;
    private String remoteUrl;

    @TempDir
    Path dir;

    private String localUrl;

    @BeforeAll
    void createSchema() {
        schema = PostgresTestDatabase.createSchema(getClass().getSimpleName());
        remoteUrl = PostgresTestDatabase.urlFor(schema);
    }

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @BeforeEach
    void localFile() {
        localUrl = SqliteFiles.urlIn(dir, "local.db");
    }

    /** A builder that would open fine; each test adds one mistake. */
    private CompositePersistence.Builder valid() {
        return CompositePersistence.builder()
                .name("config-errors")
                .local(localUrl)
                .remote(remoteUrl, PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false);
    }

    /** Builds, closing the unit should it open after all, and returns what build() threw. */
    private static CompositeConfigurationException bootstrapFailure(CompositePersistence.Builder builder) {
        Throwable thrown = catchThrowable(() -> {
            try (CompositeEntityManagerFactory emf = builder.build()) {
                assertThat(emf).as("build() should have failed").isNull();
            }
        });
        assertThat(thrown).isInstanceOf(CompositeConfigurationException.class);
        return (CompositeConfigurationException) thrown;
    }

    private static void withUnit(CompositePersistence.Builder builder, Consumer<CompositeEntityManagerFactory> check) {
        try (CompositeEntityManagerFactory emf = builder.build()) {
            check.accept(emf);
        }
    }

    private static Routing routing(Read read, Write write, Sync sync, OnRemoteFail onRemoteFail) {
        // resolved: onConflict comes from the built-in default
        return Routing.builder().read(read).write(write).sync(sync).onRemoteFail(onRemoteFail)
                .onConflict(io.dbcomposite.OnConflict.FAIL).build();
    }

    // ------------------------------------------------------------------ unknown keys and entities

    @Test
    void an_unknown_dbcomposite_key_fails_naming_it_with_a_did_you_mean_for_a_typo() {
        CompositeConfigurationException e = bootstrapFailure(valid().property("dbcomposite.sync.intervall", "5s"));

        assertThat(e).hasMessageContaining("dbcomposite.sync.intervall")
                .hasMessageContaining("did you mean 'dbcomposite.sync.interval'")
                .hasMessageContaining(CompositeSettings.SYNC_BATCH_SIZE)
                .hasMessageContaining(CompositeSettings.REMOTE_URL);
    }

    @Test
    void an_unknown_per_entity_routing_attribute_fails_naming_the_key_and_the_valid_attributes() {
        CompositeConfigurationException e = bootstrapFailure(valid().property("dbcomposite.routing.Product.reed", "REMOTE"));

        assertThat(e).hasMessageContaining("dbcomposite.routing.Product.reed")
                .hasMessageContaining("read")
                .hasMessageContaining("write")
                .hasMessageContaining("sync")
                .hasMessageContaining("onRemoteFail");
    }

    @Test
    void an_unknown_entity_name_in_routing_fails_listing_the_valid_entity_names() {
        CompositeConfigurationException e = bootstrapFailure(valid().property("dbcomposite.routing.Nope.read", "REMOTE"));

        assertThat(e).hasMessageContaining("Nope")
                .hasMessageContaining("dbcomposite.routing.Nope")
                .hasMessageContaining("Product")
                .hasMessageContaining("Payment")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void an_unknown_entity_name_fails_before_schema_management_touches_either_database() {
        String keptUrl = SqliteFiles.urlIn(dir, "kept.db");
        withUnit(valid().local(keptUrl).property("hibernate.hbm2ddl.auto", "create"), emf -> assertThat(emf.isOpen()).isTrue());
        PostgresTestDatabase.update(schema, "insert into tag (id, name) values (1, 'remote-data')");
        SqliteFiles.update(keptUrl, "insert into tag (id, name) values (1, 'local-data')");

        CompositeConfigurationException e = bootstrapFailure(valid().local(keptUrl)
                .property("hibernate.hbm2ddl.auto", "create")
                .property("dbcomposite.routing.Nope.read", "REMOTE"));

        assertThat(e).hasMessageContaining("Nope");
        // "thrown by the bootstrap, before anything is written": a typo must not drop and recreate the tables
        assertThat(List.of(PostgresTestDatabase.count(schema, "tag"), SqliteFiles.count(keptUrl, "tag")))
                .as("tag rows [remote, local] after the failed bootstrap")
                .containsExactly(1L, 1L);
    }

    @Test
    void routing_a_class_that_is_not_an_entity_fails_naming_the_class_and_the_valid_entities() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .route(String.class, Routing.builder().read(Read.REMOTE).build()));

        assertThat(e).hasMessageContaining("java.lang.String")
                .hasMessageContaining("Product")
                .hasMessageContaining("Payment");
    }

    @Test
    void a_unit_without_entities_fails_naming_the_unit_and_what_is_missing() {
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("empty-unit")
                .local(localUrl)
                .remote(remoteUrl, PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .syncEnabled(false));

        assertThat(e).hasMessageContaining("empty-unit")
                .hasMessageContaining("entit");
    }

    // ------------------------------------------------------------------ bad values

    @Test
    void a_bad_default_write_value_fails_listing_the_valid_values() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.DEFAULTS_WRITE, "BOTH"));

        assertThat(e).hasMessageContaining("BOTH")
                .hasMessageContaining(CompositeSettings.DEFAULTS_WRITE)
                .hasMessageContaining("LOCAL")
                .hasMessageContaining("REMOTE")
                .hasMessageContaining("DUAL");
    }

    @Test
    void a_bad_per_entity_value_fails_naming_the_key_the_entity_and_the_valid_values() {
        CompositeConfigurationException e = bootstrapFailure(valid().property("dbcomposite.routing.Payment.onRemoteFail", "RETRY"));

        assertThat(e).hasMessageContaining("RETRY")
                .hasMessageContaining("dbcomposite.routing.Payment.onRemoteFail")
                .hasMessageContaining("'Payment'")
                .hasMessageContaining("QUEUE")
                .hasMessageContaining("FAIL");
    }

    @Test
    void a_bad_on_conflict_value_fails_naming_the_key_and_the_valid_values() {
        CompositeConfigurationException perEntity = bootstrapFailure(valid().property("dbcomposite.routing.Payment.onConflict", "NEWEST"));
        assertThat(perEntity).hasMessageContaining("NEWEST")
                .hasMessageContaining("dbcomposite.routing.Payment.onConflict")
                .hasMessageContaining("'Payment'")
                .hasMessageContaining("LOCAL_WINS")
                .hasMessageContaining("REMOTE_WINS");
        CompositeConfigurationException defaults = bootstrapFailure(valid().property("dbcomposite.defaults.onConflict", "newest"));
        assertThat(defaults).hasMessageContaining("dbcomposite.defaults.onConflict").hasMessageContaining("LOCAL_WINS");
    }

    @Test
    void on_conflict_is_taken_from_the_entity_setting_then_the_defaults_then_fail() {
        withUnit(valid().property("dbcomposite.defaults.onConflict", "remote_wins")
                .property("dbcomposite.routing.Payment.onConflict", "LOCAL_WINS"), emf -> {
            assertThat(emf.routingOf(Payment.class).onConflict()).isEqualTo(io.dbcomposite.OnConflict.LOCAL_WINS);
            assertThat(emf.routingOf(Product.class).onConflict()).isEqualTo(io.dbcomposite.OnConflict.REMOTE_WINS);
        });
        withUnit(valid().defaults(Routing.builder().onConflict(io.dbcomposite.OnConflict.LOCAL_WINS).build()), emf ->
                assertThat(emf.routingOf(Product.class).onConflict()).isEqualTo(io.dbcomposite.OnConflict.LOCAL_WINS));
        withUnit(valid(), emf -> assertThat(emf.routingOf(Product.class).onConflict()).isEqualTo(io.dbcomposite.OnConflict.FAIL));
    }

    @Test
    void a_bad_duration_fails_naming_the_key_and_the_accepted_formats() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_INTERVAL, "soon"));

        assertThat(e).hasMessageContaining("soon")
                .hasMessageContaining(CompositeSettings.SYNC_INTERVAL)
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("500ms")
                .hasMessageContaining("5m");
    }

    @Test
    void a_zero_duration_fails_naming_the_key_and_the_valid_range() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_INTERVAL, "PT0S"));

        assertThat(e).hasMessageContaining("'PT0S'")
                .hasMessageContaining(CompositeSettings.SYNC_INTERVAL)
                .hasMessageContaining("valid values are durations from 1ms to 365d");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "dbcomposite.sync.interval, 99999999999999999d",
            "dbcomposite.sync.interval, 99999999999999999999999ms",
            "dbcomposite.sync.interval, PT9999999999999999H",
            "dbcomposite.sync.initial-backoff, P9999999999999999D",
            "dbcomposite.sync.max-backoff, 9999999999999999h",
            "dbcomposite.sync.retention, 99999999999999999d",
            "dbcomposite.remote.connect-timeout, 999999999999999999m"})
    void a_duration_too_long_for_java_fails_naming_the_key_the_range_and_the_formats(String key, String value) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, value));

        assertThat(e).hasMessageContaining("'" + value + "'")
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining("out of range")
                .hasMessageContaining("valid values are durations from")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("500ms")
                .hasNoCause();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "dbcomposite.sync.retention, 999999999999d, from 1ms to 36500d",
            "dbcomposite.sync.retention, 36501d, from 1ms to 36500d",
            "dbcomposite.sync.interval, 366d, from 1ms to 365d",
            "dbcomposite.sync.interval, PT0.0005S, from 1ms to 365d",
            "dbcomposite.sync.initial-backoff, 400d, from 1ms to 365d",
            "dbcomposite.sync.initial-backoff, PT-1S, from 1ms to 365d",
            "dbcomposite.sync.max-backoff, 8761h, from 1ms to 365d",
            "dbcomposite.remote.connect-timeout, 100ms, from 250ms to 1h",
            "dbcomposite.remote.connect-timeout, 61m, from 250ms to 1h"})
    void a_duration_out_of_its_range_fails_naming_the_key_and_the_range(String key, String value, String range) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, value));

        assertThat(e).hasMessageContaining("'" + value + "'")
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining("valid values are durations " + range);
    }

    @Test
    void a_duration_given_as_a_java_duration_is_held_to_the_same_range() {
        CompositeConfigurationException e = bootstrapFailure(valid().syncInterval(Duration.ofDays(400)));

        assertThat(e).hasMessageContaining(CompositeSettings.SYNC_INTERVAL)
                .hasMessageContaining("PT9600H")
                .hasMessageContaining("valid values are durations from 1ms to 365d");
    }

    @Test
    void the_longest_valid_retention_is_accepted_and_a_sync_run_purges_with_it() {
        withUnit(valid()
                .property("hibernate.hbm2ddl.auto", "create")
                .property(CompositeSettings.SYNC_RETENTION, "36500d")
                .property(CompositeSettings.SYNC_INTERVAL, "365d")
                .property(CompositeSettings.SYNC_MAX_BACKOFF, "365d")
                .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1h"), emf -> {
            SyncSettings sync = emf.unwrap(CompositeEntityManagerFactoryImpl.class).configuration().sync();
            assertThat(sync.retention()).isEqualTo(Duration.ofDays(36500));

            // the purge computes now minus the retention; an unbounded retention made every run throw here
            SyncResult result = emf.sync();

            assertThat(result.failed()).isZero();
        });
    }

    @Test
    void a_batch_size_that_is_not_a_number_fails_naming_the_key_and_the_valid_range() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_BATCH_SIZE, "lots"));

        assertThat(e).hasMessageContaining("lots")
                .hasMessageContaining(CompositeSettings.SYNC_BATCH_SIZE)
                .hasMessageContaining("whole numbers from 1");
    }

    @Test
    void a_batch_size_of_zero_fails_naming_the_key_and_the_valid_range() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_BATCH_SIZE, "0"));

        assertThat(e).hasMessageContaining("'0'")
                .hasMessageContaining(CompositeSettings.SYNC_BATCH_SIZE)
                .hasMessageContaining("whole numbers from 1");
    }

    @Test
    void a_max_attempts_of_zero_given_as_an_integer_fails_naming_the_key() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_MAX_ATTEMPTS, 0));

        assertThat(e).hasMessageContaining(CompositeSettings.SYNC_MAX_ATTEMPTS)
                .hasMessageContaining("whole numbers from 1");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "dbcomposite.sync.batch-size, 99999999999",
            "dbcomposite.sync.batch-size, -5",
            "dbcomposite.sync.batch-size, 2.5",
            "dbcomposite.sync.max-attempts, 2147483648",
            "dbcomposite.sync.max-attempts, 99999999999999999999999"})
    void an_integer_out_of_range_fails_naming_the_key_and_the_whole_range(String key, String value) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, value));

        assertThat(e).hasMessageContaining("'" + value + "'")
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining("valid values are whole numbers from 1 to 2147483647");
    }

    @Test
    void a_bad_boolean_fails_naming_the_key_and_the_valid_values() {
        CompositeConfigurationException e = bootstrapFailure(valid().property(CompositeSettings.SYNC_ENABLED, "yes"));

        assertThat(e).hasMessageContaining("yes")
                .hasMessageContaining(CompositeSettings.SYNC_ENABLED)
                .hasMessageContaining("true")
                .hasMessageContaining("false");
    }

    @Test
    void a_max_backoff_shorter_than_the_initial_backoff_fails_naming_both_keys() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .property(CompositeSettings.SYNC_INITIAL_BACKOFF, "10s")
                .property(CompositeSettings.SYNC_MAX_BACKOFF, "2s"));

        assertThat(e).hasMessageContaining(CompositeSettings.SYNC_MAX_BACKOFF)
                .hasMessageContaining(CompositeSettings.SYNC_INITIAL_BACKOFF)
                .hasMessageContaining("PT2S")
                .hasMessageContaining("PT10S");
    }

    // ------------------------------------------------------------------ connections

    @Test
    void a_missing_remote_url_fails_naming_the_key_and_the_datasource_alternative() {
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("no-remote")
                .local(localUrl)
                .entities(TestModel.ENTITIES)
                .syncEnabled(false));

        assertThat(e).hasMessageContaining(CompositeSettings.REMOTE_URL)
                .hasMessageContaining(CompositeSettings.REMOTE_DATASOURCE)
                .hasMessageContaining("no-remote");
    }

    @Test
    void a_remote_url_and_a_remote_datasource_together_fail_naming_both_keys() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .property(CompositeSettings.REMOTE_DATASOURCE, "java:comp/env/jdbc/remote"));

        assertThat(e).hasMessageContaining(CompositeSettings.REMOTE_URL)
                .hasMessageContaining(CompositeSettings.REMOTE_DATASOURCE)
                .hasMessageContaining("remote");
    }

    @Test
    void a_remote_url_that_is_not_a_jdbc_url_fails_naming_the_key_without_the_password() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .remote("postgresql://127.0.0.1:5432/test?password=s3cret"));

        assertThat(e).hasMessageContaining(CompositeSettings.REMOTE_URL)
                .hasMessageContaining("jdbc:")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void a_local_datasource_of_the_wrong_type_fails_naming_the_key_and_what_it_accepts() {
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("bad-datasource")
                .property(CompositeSettings.LOCAL_DATASOURCE, 42)
                .remote(remoteUrl, PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false));

        assertThat(e).hasMessageContaining(CompositeSettings.LOCAL_DATASOURCE)
                .hasMessageContaining("javax.sql.DataSource")
                .hasMessageContaining("JNDI")
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void a_shared_jakarta_jdbc_url_fails_because_it_would_point_both_sides_at_one_database() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .property("jakarta.persistence.jdbc.url", remoteUrl));

        assertThat(e).hasMessageContaining("jakarta.persistence.jdbc.url")
                .hasMessageContaining(CompositeSettings.LOCAL_URL)
                .hasMessageContaining(CompositeSettings.REMOTE_URL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "dbcomposite.local.hibernate.connection.url, dbcomposite.local.url",
            "dbcomposite.remote.hibernate.connection.url, dbcomposite.remote.url",
            "dbcomposite.remote.hibernate.connection.username, dbcomposite.remote.user",
            "dbcomposite.local.hibernate.connection.password, dbcomposite.local.password",
            "dbcomposite.remote.hibernate.connection.password, dbcomposite.remote.password",
            "dbcomposite.remote.hibernate.connection.datasource, dbcomposite.remote.datasource",
            "dbcomposite.local.hibernate.connection.provider_class, dbcomposite.local.datasource",
            "dbcomposite.remote.hibernate.connection.driver_class, dbcomposite.remote.url",
            "dbcomposite.remote.hibernate.connection.login_timeout, dbcomposite.remote.connect-timeout",
            "dbcomposite.remote.jakarta.persistence.jdbc.url, dbcomposite.remote.url",
            "dbcomposite.local.jakarta.persistence.jdbc.user, dbcomposite.local.user",
            "dbcomposite.remote.jakarta.persistence.jdbc.password, dbcomposite.remote.password",
            "dbcomposite.remote.jakarta.persistence.jdbc.driver, dbcomposite.remote.datasource",
            "dbcomposite.remote.jakarta.persistence.nonJtaDataSource, dbcomposite.remote.datasource"})
    void a_side_connection_setting_fails_naming_the_setting_to_use_instead(String key, String instead) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, "jdbc:postgresql://elsewhere/db"));

        String otherSide = key.startsWith("dbcomposite.local.") ? "dbcomposite.remote." : "dbcomposite.local.";
        assertThat(e).hasMessageContaining("'" + key + "'")
                .hasMessageContaining("'" + instead + "'")
                .hasMessageNotContaining(otherSide);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "dbcomposite.remote.hibernate.connection.isolation, 8",
            "dbcomposite.local.hibernate.connection.autocommit, false",
            "dbcomposite.remote.hibernate.connection.pool_size, 40",
            "dbcomposite.remote.hibernate.connection.sslmode, verify-full",
            "dbcomposite.remote.hibernate.hikari.maximumPoolSize, 40"})
    void a_side_pool_or_driver_setting_that_hibernate_would_ignore_fails_saying_where_it_belongs(String key, String value) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, value));

        String side = key.startsWith("dbcomposite.local.") ? "local" : "remote";
        assertThat(e).hasMessageContaining("'" + key + "'")
                .hasMessageContaining("ignored")
                .hasMessageContaining("'dbcomposite." + side + ".url'")
                .hasMessageContaining("'dbcomposite." + side + ".datasource'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "hibernate.connection.isolation, 8",
            "hibernate.connection.driver_class, org.postgresql.Driver",
            "hibernate.connection.provider_class, org.example.MyProvider",
            "hibernate.c3p0.max_size, 40"})
    void a_shared_connection_setting_fails_naming_the_settings_of_both_sides(String key, String value) {
        CompositeConfigurationException e = bootstrapFailure(valid().property(key, value));

        assertThat(e).hasMessageContaining("'" + key + "'")
                .hasMessageContaining("'dbcomposite.local.")
                .hasMessageContaining("'dbcomposite.remote.");
    }

    @Test
    void the_connection_settings_hibernate_applies_to_a_datasource_still_reach_their_side() {
        withUnit(valid().property("dbcomposite.remote.hibernate.connection.handling_mode",
                "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION"), emf ->
                assertThat(emf.remoteFactory().getProperties())
                        .containsEntry("hibernate.connection.handling_mode", "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION"));
    }

    @Test
    void telling_hibernate_the_library_pool_has_autocommit_off_fails_because_rollbacks_would_undo_nothing() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .property("dbcomposite.local.hibernate.connection.provider_disables_autocommit", "true"));

        assertThat(e).hasMessageContaining("'dbcomposite.local.hibernate.connection.provider_disables_autocommit'")
                .hasMessageContaining("auto-commit")
                .hasMessageContaining("'dbcomposite.local.datasource'");
    }

    @Test
    void an_unreachable_remote_required_at_start_fails_naming_the_url_but_never_the_password() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=bob&password=s3cret";
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("unreachable-remote")
                .property(CompositeSettings.REMOTE_REQUIRED_AT_START, "true")
                .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                .local(localUrl)
                .remote(url)
                .entities(TestModel.ENTITIES)
                .syncEnabled(false));

        assertThat(e).hasMessageContaining("remote")
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/test")
                .hasMessageNotContaining("s3cret");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s in the cause chain", t.getClass().getName())
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void an_unreachable_remote_required_at_start_given_a_separate_password_fails_without_naming_the_password() {
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("unreachable-remote-2")
                .property(CompositeSettings.REMOTE_REQUIRED_AT_START, "true")
                .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                .local(localUrl)
                .remote("jdbc:postgresql://127.0.0.1:1/test", "bob", "s3cret")
                .entities(TestModel.ENTITIES)
                .syncEnabled(false));

        assertThat(e).hasMessageContaining("jdbc:postgresql://127.0.0.1:1/test")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void an_unreachable_local_fails_naming_the_local_side_and_its_url() {
        String url = SqliteFiles.urlIn(dir.resolve("no-such-directory"), "local.db");
        CompositeConfigurationException e = bootstrapFailure(CompositePersistence.builder()
                .name("unreachable-local")
                .local(url)
                .remote(remoteUrl, PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false));

        assertThat(e).hasMessageContaining("local")
                .hasMessageContaining(url);
    }

    // ------------------------------------------------------------------ precedence and accepted forms

    @Test
    void a_per_entity_property_overrides_the_annotation() {
        withUnit(valid().property("dbcomposite.routing.Payment.onRemoteFail", "QUEUE"), emf ->
                // Payment's annotation: write = DUAL, onRemoteFail = FAIL
                assertThat(emf.routingOf(Payment.class))
                        .isEqualTo(routing(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.QUEUE)));
    }

    @Test
    void configured_defaults_fill_only_the_attributes_the_annotation_leaves_default() {
        withUnit(valid().defaults(routing(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.FAIL)), emf -> {
            assertThat(emf.routingOf(Product.class))
                    .isEqualTo(routing(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.FAIL));
            assertThat(emf.routingOf(Payment.class))
                    .isEqualTo(routing(Read.REMOTE, Write.DUAL, Sync.NONE, OnRemoteFail.FAIL));
            assertThat(emf.routingOf(Draft.class))
                    .isEqualTo(routing(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.FAIL));
        });
    }

    @Test
    void partial_defaults_leave_the_other_attributes_at_the_built_in_defaults() {
        withUnit(valid().defaults(Routing.builder().onRemoteFail(OnRemoteFail.FAIL).build()), emf -> {
            assertThat(emf.routingOf(Product.class))
                    .isEqualTo(routing(Read.LOCAL, Write.LOCAL, Sync.BACKGROUND, OnRemoteFail.FAIL));
            assertThat(emf.routingOf(StockMovement.class))
                    .isEqualTo(routing(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.FAIL));
        });
    }

    @Test
    void a_builder_route_by_class_overrides_the_annotation_and_keeps_its_other_attributes() {
        withUnit(valid().route(Payment.class, Routing.builder().write(Write.LOCAL).build()), emf ->
                assertThat(emf.routingOf(Payment.class))
                        .isEqualTo(routing(Read.LOCAL, Write.LOCAL, Sync.BACKGROUND, OnRemoteFail.FAIL)));
    }

    @Test
    void per_entity_routing_by_fully_qualified_class_name_applies_to_that_entity() {
        withUnit(valid()
                .property("dbcomposite.routing." + Product.class.getName() + ".read", "REMOTE")
                .route(Draft.class.getName(), Routing.builder().write(Write.REMOTE).build()), emf -> {
            assertThat(emf.routingOf(Product.class))
                    .isEqualTo(routing(Read.REMOTE, Write.LOCAL, Sync.BACKGROUND, OnRemoteFail.QUEUE));
            assertThat(emf.routingOf("Product")).isEqualTo(emf.routingOf(Product.class));
            assertThat(emf.routingOf(Draft.class))
                    .isEqualTo(routing(Read.LOCAL, Write.REMOTE, Sync.NONE, OnRemoteFail.QUEUE));
        });
    }

    @Test
    void read_remote_write_local_sync_none_is_refused_because_its_writes_could_never_be_read_back() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .property("dbcomposite.routing.Draft.read", "REMOTE"));

        assertThat(e).hasMessageContaining("'Draft'")
                .hasMessageContaining("read=REMOTE, write=LOCAL, sync=NONE")
                .hasMessageContaining("dbcomposite.routing.Draft");
    }

    @Test
    void enum_values_are_case_insensitive() {
        withUnit(valid()
                .property(CompositeSettings.DEFAULTS_READ, "remote")
                .property("dbcomposite.routing.Product.write", "Dual")
                .property("dbcomposite.routing.Product.onRemoteFail", "fAiL")
                .property("dbcomposite.routing.Payment.sync", " none ")
                // read=REMOTE with DUAL+QUEUE is refused at bootstrap; keep StockMovement (DUAL+QUEUE) read locally
                .property("dbcomposite.routing.StockMovement.read", "Local")
                // and read=REMOTE with write=LOCAL, sync=NONE (Draft) could never read back its writes
                .property("dbcomposite.routing.Draft.read", "LOCAL"), emf -> {
            assertThat(emf.routingOf(Product.class))
                    .isEqualTo(routing(Read.REMOTE, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.FAIL));
            assertThat(emf.routingOf(Payment.class))
                    .isEqualTo(routing(Read.REMOTE, Write.DUAL, Sync.NONE, OnRemoteFail.FAIL));
        });
    }

    @Test
    void durations_accept_milliseconds_iso_8601_minutes_and_days() {
        withUnit(valid()
                .property(CompositeSettings.SYNC_INTERVAL, "500ms")
                .property(CompositeSettings.SYNC_INITIAL_BACKOFF, "PT2S")
                .property(CompositeSettings.SYNC_MAX_BACKOFF, "5m")
                .property(CompositeSettings.SYNC_RETENTION, "7d")
                .property(CompositeSettings.SYNC_BATCH_SIZE, "250")
                .property(CompositeSettings.SYNC_MAX_ATTEMPTS, "3"), emf -> {
            SyncSettings sync = emf.unwrap(CompositeEntityManagerFactoryImpl.class).configuration().sync();
            assertThat(sync.interval()).isEqualTo(Duration.ofMillis(500));
            assertThat(sync.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
            assertThat(sync.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
            assertThat(sync.retention()).isEqualTo(Duration.ofDays(7));
            assertThat(sync.batchSize()).isEqualTo(250);
            assertThat(sync.maxAttempts()).isEqualTo(3);
        });
    }

    @Test
    void side_prefixed_hibernate_settings_reach_one_side_only_and_plain_ones_reach_both() {
        withUnit(valid()
                .property("hibernate.default_batch_fetch_size", "8")
                .property("dbcomposite.local.hibernate.jdbc.fetch_size", "64")
                .property("dbcomposite.remote.hibernate.jdbc.fetch_size", "256"), emf -> {
            assertThat(emf.localFactory().getProperties()).containsEntry("hibernate.default_batch_fetch_size", "8")
                    .containsEntry("hibernate.jdbc.fetch_size", "64");
            assertThat(emf.remoteFactory().getProperties()).containsEntry("hibernate.default_batch_fetch_size", "8")
                    .containsEntry("hibernate.jdbc.fetch_size", "256");
        });
    }

    @Test
    void quartz_settings_are_passed_to_quartz_and_a_bad_one_fails_the_bootstrap_naming_the_prefix() {
        CompositeConfigurationException e = bootstrapFailure(valid()
                .syncEnabled(true)
                .property("dbcomposite.quartz.org.quartz.jobStore.class", "org.example.NoSuchJobStore"));

        assertThat(e).hasMessageContaining("dbcomposite.quartz.").hasMessageContaining("NoSuchJobStore");
    }
}
