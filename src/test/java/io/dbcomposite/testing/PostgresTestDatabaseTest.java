package io.dbcomposite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PostgresTestDatabase} and {@link SqliteFiles}: URLs, schemas and the plain-JDBC helpers. */
class PostgresTestDatabaseTest {

    @Test
    void creates_a_fresh_schema_that_can_be_used_and_dropped() {
        assumeTrue(PostgresTestDatabase.isAvailable(), "PostgreSQL not reachable at " + PostgresTestDatabase.url());
        String schema = PostgresTestDatabase.createSchema("PostgresTestDatabaseTest");
        try {
            assertThat(schema).matches("postgrestestdatabasetest_[0-9a-f]{8}");
            assertThat(PostgresTestDatabase.schemaExists(schema)).isTrue();

            PostgresTestDatabase.update(schema, "create table probe (id int primary key, label varchar(20))");
            PostgresTestDatabase.update(schema, "insert into probe values (?, ?), (?, ?)", 1, "one", 2, "two");

            assertThat(PostgresTestDatabase.count(schema, "probe")).isEqualTo(2);
            List<Map<String, Object>> rows = PostgresTestDatabase.rows(schema, "select id, label from probe where id = ?", 2);
            assertThat(rows).containsExactly(Map.of("id", 2, "label", "two"));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
        assertThat(PostgresTestDatabase.schemaExists(schema)).isFalse();
        PostgresTestDatabase.dropSchema(schema); // dropping again is harmless
    }

    @Test
    void two_schemas_for_the_same_prefix_never_collide() {
        assertThat(PostgresTestDatabase.schemaName("same")).isNotEqualTo(PostgresTestDatabase.schemaName("same"));
    }

    @Test
    void schema_names_are_sanitized_lower_case_and_at_most_60_characters() {
        assertThat(PostgresTestDatabase.schemaName("My Test-Class.v2")).matches("my_test_class_v2_[0-9a-f]{8}");
        assertThat(PostgresTestDatabase.schemaName("9lives")).matches("t_9lives_[0-9a-f]{8}");
        assertThat(PostgresTestDatabase.schemaName("pg_thing")).matches("t_pg_thing_[0-9a-f]{8}");
        assertThat(PostgresTestDatabase.schemaName("")).matches("t__[0-9a-f]{8}");
        String longName = PostgresTestDatabase.schemaName("x".repeat(200));
        assertThat(longName).hasSize(60).matches("x{51}_[0-9a-f]{8}");
    }

    @Test
    void host_and_port_are_parsed_from_the_url() {
        PostgresTestDatabase.Parsed p = PostgresTestDatabase.parse("jdbc:postgresql://db.example:6543/app?ssl=false");
        assertThat(p.host).isEqualTo("db.example");
        assertThat(p.port).isEqualTo(6543);
        assertThat(p.database).isEqualTo("app");
        assertThat(p.query).isEqualTo("ssl=false");

        assertThat(PostgresTestDatabase.parse("jdbc:postgresql://db.example/app").port).isEqualTo(5432);
        assertThat(PostgresTestDatabase.parse("jdbc:postgresql:app").host).isEqualTo("localhost");
        assertThat(PostgresTestDatabase.parse("jdbc:postgresql://[::1]:5433/app").host).isEqualTo("::1");
        assertThat(PostgresTestDatabase.parse("jdbc:postgresql://[::1]:5433/app").port).isEqualTo(5433);
        assertThatThrownBy(() -> PostgresTestDatabase.parse("jdbc:mysql://x/y")).isInstanceOf(IllegalArgumentException.class);

        assertThat(PostgresTestDatabase.host()).isNotBlank();
        assertThat(PostgresTestDatabase.port()).isPositive();
    }

    @Test
    void url_parameters_are_appended_with_a_question_mark_or_an_ampersand_and_replace_old_values() {
        assertThat(PostgresTestDatabase.withParams("jdbc:postgresql://h:1/d", Map.of("currentSchema", "s")))
                .isEqualTo("jdbc:postgresql://h:1/d?currentSchema=s");
        assertThat(PostgresTestDatabase.withParams("jdbc:postgresql://h:1/d?ssl=false", Map.of("currentSchema", "s")))
                .isEqualTo("jdbc:postgresql://h:1/d?ssl=false&currentSchema=s");
        assertThat(PostgresTestDatabase.withParams("jdbc:postgresql://h:1/d?currentSchema=old&ssl=false", Map.of("currentSchema", "s")))
                .isEqualTo("jdbc:postgresql://h:1/d?currentSchema=s&ssl=false");
        assertThat(PostgresTestDatabase.urlFor("abc")).startsWith(PostgresTestDatabase.url().split("\\?")[0]).contains("currentSchema=abc");
    }

    @Test
    void the_url_through_a_proxy_points_at_the_proxy_and_leaves_the_timeouts_to_the_library() {
        assertThat(PostgresTestDatabase.withHostPort("jdbc:postgresql://db.example:6543/app?ssl=false", "127.0.0.1", 40000))
                .isEqualTo("jdbc:postgresql://127.0.0.1:40000/app?ssl=false");
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            String url = PostgresTestDatabase.urlThrough(proxy, "s1");
            assertThat(url)
                    .startsWith("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/")
                    .contains("currentSchema=s1")
                    .doesNotContain("connectTimeout")
                    .doesNotContain("socketTimeout");
        }
    }

    @Test
    void sqlite_files_are_counted_and_read_over_plain_jdbc(@TempDir Path dir) {
        String url = SqliteFiles.urlIn(dir, "local.db");
        assertThat(url).isEqualTo("jdbc:sqlite:" + dir.resolve("local.db").toAbsolutePath());

        SqliteFiles.update(url, "create table probe (id integer primary key, label text)");
        SqliteFiles.update(url, "insert into probe values (?, ?), (?, ?)", 1, "one", 2, "two");

        assertThat(SqliteFiles.count(url, "probe")).isEqualTo(2);
        assertThat(SqliteFiles.rows(url, "select id, label from probe order by id"))
                .containsExactly(Map.of("id", 1, "label", "one"), Map.of("id", 2, "label", "two"));
    }
}
