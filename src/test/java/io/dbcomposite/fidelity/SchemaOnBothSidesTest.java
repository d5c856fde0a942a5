package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table that one side can create and the other cannot stops the unit at start: Hibernate's schema management logs a
 * failed statement and goes on, which left SQLite with the table and PostgreSQL without it, so every write committed
 * locally and failed on the remote until it was DEAD.
 */
class SchemaOnBothSidesTest {

    @TempDir
    Path dir;

    private CompositePersistence.Builder unit(String name, String schema) {
        return CompositePersistence.builder()
                .name(name)
                .local(SqliteFiles.urlIn(dir, name + ".db"))
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(Clocking.class)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create");
    }

    @Test
    void a_table_the_remote_cannot_create_stops_the_start_naming_the_statement_and_the_way_out() {
        String schema = PostgresTestDatabase.createSchema("SchemaBothSides");
        try {
            assertThatThrownBy(() -> unit("keyword-column", schema).build())
                    .isInstanceOf(CompositeConfigurationException.class)
                    .hasMessageContaining("remote side of persistence unit 'keyword-column'")
                    .hasMessageContaining("create table Clocking")
                    .hasMessageContaining("localTime")
                    .hasMessageContaining("hibernate.auto_quote_keyword=true")
                    .hasMessageContaining("hibernate.hbm2ddl.halt_on_error=false");
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void quoting_keywords_as_the_message_says_makes_both_sides_hold_the_table_and_the_write_replays() {
        String schema = PostgresTestDatabase.createSchema("SchemaBothSides");
        try (CompositeEntityManagerFactory emf = unit("quoted-keywords", schema)
                .property("hibernate.auto_quote_keyword", "true").build()) {
            Clocking clocking = new Clocking();
            clocking.id = 1L;
            clocking.localTime = LocalTime.of(9, 30);
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(clocking));
            assertThat(emf.sync().failed()).isZero();
            assertThat(PostgresTestDatabase.rows(schema, "select \"localTime\"::text as t from clocking"))
                    .containsExactly(Map.of("t", "09:30:00"));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void a_statement_only_the_local_side_refuses_is_logged_as_in_plain_hibernate_and_the_unit_starts() {
        // SQLite has no column comments: Hibernate's "comment on column" fails there and changes nothing
        String schema = PostgresTestDatabase.createSchema("SchemaBothSides");
        try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("local-comment")
                .local(SqliteFiles.urlIn(dir, "local-comment.db"))
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(Remarked.class)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create")
                .build()) {
            Remarked remarked = new Remarked();
            remarked.id = 1L;
            remarked.remark = "kept";
            Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(remarked));
            assertThat(emf.sync().failed()).isZero();
            assertThat(PostgresTestDatabase.rows(schema, "select remark, col_description('remarked'::regclass, 2) as c"
                    + " from remarked")).containsExactly(Map.of("remark", "kept", "c", "what the row says"));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void the_application_can_still_choose_to_start_with_the_failed_statement_only_logged() {
        String schema = PostgresTestDatabase.createSchema("SchemaBothSides");
        try (CompositeEntityManagerFactory emf = unit("logged-only", schema)
                .property("hibernate.hbm2ddl.halt_on_error", "false").build()) {
            assertThat(PostgresTestDatabase.rows(schema, "select count(*) as n from information_schema.tables"
                    + " where table_schema = current_schema() and table_name = 'clocking'")).containsExactly(Map.of("n", 0L));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
