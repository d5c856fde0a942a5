package io.dbcomposite;

import io.dbcomposite.internal.config.CompositeConfiguration;
import io.dbcomposite.internal.config.ConnectionSpec;
import io.dbcomposite.internal.config.SettingsReader;
import io.dbcomposite.internal.routing.CompositeEntityManagerFactoryImpl;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.TestModel;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A password written into a JDBC URL never shows: not in {@code emf.getProperties()}, not in the URL the remote
 * connection reports (what Hibernate logs at bootstrap), not in the configuration's {@code toString()}, not in a
 * bootstrap failure. The password still reaches the database: it is moved out of the URL, not dropped.
 * Remote side: the real PostgreSQL (trust authentication ignores the password, so any secret will do).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsTest {

    /** The real password where the test database has one, else a random one that a leak would show. */
    private final String secret = PostgresTestDatabase.password().isEmpty()
            ? "S3cret-" + UUID.randomUUID().toString().substring(0, 8) : PostgresTestDatabase.password();

    @TempDir
    Path dir;

    private String schema;
    private String remoteUrlWithSecret;

    @BeforeAll
    void createSchema() {
        schema = PostgresTestDatabase.createSchema(getClass().getSimpleName());
        remoteUrlWithSecret = PostgresTestDatabase.urlFor(schema) + "&password=" + secret;
    }

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private CompositePersistence.Builder unit(String name, String remoteUrl) {
        return CompositePersistence.builder()
                .name(name)
                .local(SqliteFiles.urlIn(dir, name + ".db"))
                .remote(remoteUrl)
                .property(CompositeSettings.REMOTE_USER, PostgresTestDatabase.user())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false);
    }

    private static String everythingPrinted(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ------------------------------------------------------------------ a running unit

    @Test
    void a_password_in_the_remote_url_appears_in_no_property_of_the_unit() {
        try (CompositeEntityManagerFactory emf = unit("secret-props", remoteUrlWithSecret).build()) {
            Map<String, Object> properties = emf.getProperties();

            assertThat(properties.keySet()).allSatisfy(key -> assertThat(key).doesNotContain(secret));
            assertThat(properties.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(secret));
            // the URL itself is still reported, so an operator sees which database the unit uses
            assertThat(String.valueOf(properties.get(CompositeSettings.REMOTE_URL)))
                    .startsWith(PostgresTestDatabase.urlFor(schema).split("\\?")[0])
                    .contains("currentSchema=" + schema);
        }
    }

    @Test
    void the_url_the_remote_connection_reports_and_hibernate_logs_carries_no_password() {
        try (CompositeEntityManagerFactory emf = unit("secret-metadata", remoteUrlWithSecret).build();
             CompositeEntityManager em = emf.createEntityManager()) {
            String reported = em.remote().unwrap(Session.class).doReturningWork(c -> c.getMetaData().getURL());

            assertThat(reported).doesNotContain(secret).contains("currentSchema=" + schema);
            // moved, not dropped: the pool logs in with it
            assertThat(emf.unwrap(CompositeEntityManagerFactoryImpl.class).configuration().remote().password())
                    .isEqualTo(secret);
        }
    }

    @Test
    void the_configuration_and_its_connection_specs_print_no_password() {
        try (CompositeEntityManagerFactory emf = unit("secret-config", remoteUrlWithSecret)
                .property(CompositeSettings.LOCAL_PASSWORD, secret)
                .build()) {
            CompositeConfiguration config = emf.unwrap(CompositeEntityManagerFactoryImpl.class).configuration();

            assertThat(config.remote().toString()).doesNotContain(secret).contains("remote").contains("password=***");
            assertThat(config.local().toString()).doesNotContain(secret).contains("password=***");
            assertThat(config.toString()).doesNotContain(secret);
        }
    }

    // ------------------------------------------------------------------ bootstrap failures

    @Test
    void a_malformed_remote_url_fails_the_bootstrap_without_its_password_anywhere_in_the_exception() {
        // pgjdbc refuses a port that is not a number; HikariCP then quotes the URL in the cause's message
        List<String> malformed = List.of(
                "jdbc:postgresql://127.0.0.1:not-a-port/test?user=bob&password=" + secret,
                "jdbc:postgresql://bob:" + secret + "@127.0.0.1:not-a-port/test");

        assertThat(malformed).allSatisfy(url -> {
            Throwable thrown = catchThrowable(() -> unit("secret-malformed-" + malformed.indexOf(url), url).build().close());

            assertThat(thrown).isInstanceOf(CompositeConfigurationException.class)
                    .hasMessageContaining("remote")
                    .hasMessageContaining("127.0.0.1:not-a-port/test");
            assertThat(everythingPrinted(thrown)).as("message and stack trace of %s, causes included", url)
                    .doesNotContain(secret);
        });
    }

    @Test
    void a_remote_url_without_the_jdbc_prefix_fails_without_any_part_of_a_password_holding_an_at_sign() {
        String password = "x@" + secret;

        Throwable thrown = catchThrowable(() -> unit("secret-scheme", "postgresql://bob:" + password + "@127.0.0.1/test")
                .build().close());

        assertThat(thrown).isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(CompositeSettings.REMOTE_URL)
                .hasMessageContaining("jdbc:")
                .hasMessageContaining("127.0.0.1/test");
        assertThat(everythingPrinted(thrown)).doesNotContain(secret);
    }

    // ------------------------------------------------------------------ the connection spec

    @Test
    void user_info_moves_from_the_url_to_the_user_and_the_password() {
        ConnectionSpec spec = new ConnectionSpec("remote", "jdbc:mariadb://app:" + secret + "@db.example:3306/shop",
                null, null, null, null);

        assertThat(spec.url()).isEqualTo("jdbc:mariadb://db.example:3306/shop");
        assertThat(spec.user()).isEqualTo("app");
        assertThat(spec.password()).isEqualTo(secret);
        assertThat(spec.toString()).doesNotContain(secret);
        assertThat(spec.describe()).doesNotContain(secret);
    }

    @Test
    void user_info_is_percent_decoded_and_a_raw_at_sign_in_the_password_moves_whole() {
        ConnectionSpec encoded = ConnectionSpec.of("remote", "jdbc:mysql://app:p%40ss%2Bw%3Ard@db/shop", null, null, null, null);
        ConnectionSpec raw = ConnectionSpec.of("remote", "jdbc:mysql://app:p@ss@db/shop", null, null, null, null);

        assertThat(encoded.password()).isEqualTo("p@ss+w:rd");
        assertThat(encoded.url()).isEqualTo("jdbc:mysql://db/shop");
        assertThat(raw.password()).isEqualTo("p@ss");
        assertThat(raw.url()).isEqualTo("jdbc:mysql://db/shop");
    }

    @Test
    void a_password_parameter_moves_from_the_query_and_the_other_parameters_stay_in_order() {
        ConnectionSpec first = ConnectionSpec.of("remote",
                "jdbc:postgresql://db/app?password=" + secret + "&currentSchema=s1&user=bob", null, null, null, null);
        ConnectionSpec middle = ConnectionSpec.of("remote",
                "jdbc:postgresql://db/app?currentSchema=s1&password=" + secret + "&ssl=true", null, null, null, null);
        ConnectionSpec only = ConnectionSpec.of("remote", "jdbc:postgresql://db/app?password=" + secret, null, null, null, null);

        assertThat(first.url()).isEqualTo("jdbc:postgresql://db/app?currentSchema=s1&user=bob");
        assertThat(middle.url()).isEqualTo("jdbc:postgresql://db/app?currentSchema=s1&ssl=true");
        assertThat(only.url()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(List.of(first.password(), middle.password(), only.password())).containsOnly(secret);
    }

    @Test
    void query_values_are_form_decoded_for_postgresql_as_pgjdbc_itself_reads_them() {
        ConnectionSpec spec = ConnectionSpec.of("remote", "jdbc:postgresql://db/app?password=a%26b+c", null, null, null, null);

        assertThat(spec.password()).isEqualTo("a&b c");
        assertThat(spec.url()).isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void other_password_like_parameters_move_to_the_secret_properties_under_their_own_names() {
        ConnectionSpec spec = ConnectionSpec.of("remote",
                "jdbc:postgresql://db/app?sslmode=verify-full&sslpassword=" + secret + "&PWD=x1", null, null, null, null);

        assertThat(spec.url()).isEqualTo("jdbc:postgresql://db/app?sslmode=verify-full");
        assertThat(spec.password()).isNull();
        assertThat(spec.secretProperties()).containsExactly(Map.entry("sslpassword", secret), Map.entry("PWD", "x1"));
        assertThat(spec.toString()).doesNotContain(secret).doesNotContain("x1").contains("sslpassword");
    }

    @Test
    void semicolon_style_parameters_lose_their_password_including_a_braced_value() {
        ConnectionSpec sqlServer = ConnectionSpec.of("remote",
                "jdbc:sqlserver://db:1433;databaseName=app;password={" + secret + ";x}}};encrypt=true", null, null, null, null);
        ConnectionSpec h2 = ConnectionSpec.of("local", "jdbc:h2:./data/app;USER=sa;PASSWORD=" + secret + ";MODE=PostgreSQL",
                null, null, null, null);

        assertThat(sqlServer.url()).isEqualTo("jdbc:sqlserver://db:1433;databaseName=app;encrypt=true");
        assertThat(sqlServer.password()).isEqualTo(secret + ";x}");
        assertThat(h2.url()).isEqualTo("jdbc:h2:./data/app;USER=sa;MODE=PostgreSQL");
        assertThat(h2.password()).isEqualTo(secret);
    }

    @Test
    void oracle_user_and_password_before_the_at_sign_move_out_of_the_url() {
        ConnectionSpec spec = ConnectionSpec.of("remote", "jdbc:oracle:thin:scott/" + secret + "@//db:1521/app", null, null, null, null);

        assertThat(spec.url()).isEqualTo("jdbc:oracle:thin:@//db:1521/app");
        assertThat(spec.user()).isEqualTo("scott");
        assertThat(spec.password()).isEqualTo(secret);
    }

    @Test
    void an_explicit_user_and_password_win_over_those_in_the_url_which_is_cleaned_all_the_same() {
        ConnectionSpec spec = ConnectionSpec.of("remote", "jdbc:mysql://old:" + secret + "@db/shop?password=" + secret,
                "app", "explicit", null, null);

        assertThat(spec.url()).isEqualTo("jdbc:mysql://db/shop");
        assertThat(spec.user()).isEqualTo("app");
        assertThat(spec.password()).isEqualTo("explicit");
    }

    @Test
    void a_url_without_secrets_is_kept_exactly() {
        List<String> urls = List.of(
                "jdbc:postgresql://db:5432/app?currentSchema=s1&user=bob",
                "jdbc:sqlite:/tmp/some dir/local.db?journal_mode=WAL",
                "jdbc:sqlite:file:local.db",
                "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1",
                "jdbc:oracle:thin:@//db:1521/app",
                "jdbc:mariadb://db/shop");

        assertThat(urls).allSatisfy(url -> {
            ConnectionSpec spec = ConnectionSpec.of("remote", url, null, null, null, null);
            assertThat(spec.url()).isEqualTo(url);
            assertThat(spec.password()).isNull();
            assertThat(spec.secretProperties()).isEmpty();
        });
    }

    // ------------------------------------------------------------------ what getProperties() reports

    @Test
    void visible_properties_leave_out_every_password_key_and_redact_every_jdbc_url() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CompositeSettings.REMOTE_URL, "jdbc:postgresql://bob:" + secret + "@db/app?password=" + secret);
        settings.put(CompositeSettings.REMOTE_PASSWORD, secret);
        settings.put("dbcomposite.quartz.org.quartz.dataSource.ds.URL", "jdbc:postgresql://db/q?sslpassword=" + secret);
        settings.put("dbcomposite.quartz.org.quartz.dataSource.ds.Password", secret);
        settings.put("hibernate.show_sql", "true");
        settings.put(CompositeSettings.SYNC_BATCH_SIZE, 250);

        Map<String, Object> visible = SettingsReader.visibleProperties(settings);

        assertThat(visible).containsOnlyKeys(CompositeSettings.REMOTE_URL, "dbcomposite.quartz.org.quartz.dataSource.ds.URL",
                        "hibernate.show_sql", CompositeSettings.SYNC_BATCH_SIZE)
                .containsEntry(CompositeSettings.REMOTE_URL, "jdbc:postgresql://db/app?password=***")
                .containsEntry("dbcomposite.quartz.org.quartz.dataSource.ds.URL", "jdbc:postgresql://db/q?sslpassword=***")
                .containsEntry("hibernate.show_sql", "true")
                .containsEntry(CompositeSettings.SYNC_BATCH_SIZE, 250);
        assertThatThrownBy(() -> visible.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
