package io.dbcomposite.constraints;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.constraints.Shelves.BgBook;
import io.dbcomposite.constraints.Shelves.BgShelf;
import io.dbcomposite.constraints.Shelves.Topic;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.CapturedLogs;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.RollbackException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 11, schema management around the local keys: {@code create} over a local database whose rows reference each
 * other (SQLite's implicit delete of a dropped table checks the keys), {@code update} over a local database created
 * without keys (SQLite cannot add them: one warning names the tables), and {@code update} over a remote column its
 * owner widened (Hibernate's migrator would narrow it back on every start).
 */
class SchemaLifecycleTest {

    private static final Class<?>[] ENTITIES = {BgShelf.class, BgBook.class, Topic.class, Shelves.Note.class,
            Shelves.Archive.class};

    private String schema;
    private String localUrl;

    @BeforeEach
    void prepare() throws Exception {
        schema = PostgresTestDatabase.createSchema("SchemaLifecycle");
        localUrl = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-lifecycle"), "local.db");
    }

    @AfterEach
    void cleanUp() {
        PostgresTestDatabase.dropSchema(schema);
    }

    private CompositeEntityManagerFactory unit(String action) {
        return CompositePersistence.builder()
                .name("SchemaLifecycle")
                .local(localUrl)
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(ENTITIES)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", action)
                .build();
    }

    @Test
    void create_over_a_local_database_with_referenced_rows_starts_empty_with_its_keys_enforced() {
        try (CompositeEntityManagerFactory emf = unit("create")) {
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                BgShelf shelf = new BgShelf(1, "s");
                em.persist(shelf);
                Topic topic = new Topic(1);
                topic.getShelves().add(shelf); // Topic_BgShelf references BgShelf, which sorts (and drops) first
                em.persist(topic);
                BgBook book = new BgBook(1, "t");
                book.setShelf(shelf);
                em.persist(book);
            });
        }

        try (CompositeEntityManagerFactory emf = unit("create")) {
            assertThat(SqliteFiles.count(localUrl, "BgShelf")).as("dropped and created again").isZero();
            assertThat(SqliteFiles.count(localUrl, "Topic_BgShelf")).isZero();
            Throwable thrown = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(), em -> {
                BgBook book = new BgBook(2, "t");
                book.setShelf(em.getReference(BgShelf.class, 42L));
                em.persist(book);
            }));
            assertThat(thrown).as("the keys are on again after the drop").isInstanceOf(RollbackException.class)
                    .hasCauseInstanceOf(ConstraintViolationException.class);
        }
    }

    @Test
    void no_local_key_points_at_an_entity_configured_to_be_written_on_the_remote() {
        try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("SchemaLifecycle")
                .local(localUrl)
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(ENTITIES)
                .syncEnabled(false)
                .property("dbcomposite.routing.BgShelf.write", "REMOTE") // a write-through cache: local rows come later
                .property("hibernate.hbm2ddl.auto", "create")
                .build()) {
            String book = String.valueOf(SqliteFiles.rows(localUrl,
                    "select sql from sqlite_master where name = 'BgBook'").get(0).get("sql"));
            assertThat(book).doesNotContainIgnoringCase("references BgShelf");
            String topic = String.valueOf(SqliteFiles.rows(localUrl,
                    "select sql from sqlite_master where name = 'Topic_BgShelf'").get(0).get("sql"));
            assertThat(topic).containsIgnoringCase("references Topic").doesNotContainIgnoringCase("references BgShelf");
        }
    }

    @Test
    void truncate_empties_tables_whose_rows_reference_each_other_and_leaves_the_keys_on() {
        try (CompositeEntityManagerFactory emf = unit("create")) {
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                BgShelf shelf = new BgShelf(1, "s");
                em.persist(shelf);
                BgBook book = new BgBook(1, "t");
                book.setShelf(shelf);
                em.persist(book);
            });

            emf.getSchemaManager().truncate();

            assertThat(SqliteFiles.count(localUrl, "BgShelf")).isZero();
            assertThat(SqliteFiles.count(localUrl, "BgBook")).isZero();
            Throwable thrown = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(), em -> {
                BgBook book = new BgBook(2, "t");
                book.setShelf(em.getReference(BgShelf.class, 42L));
                em.persist(book);
            }));
            assertThat(thrown).hasCauseInstanceOf(ConstraintViolationException.class);
        }
    }

    @Test
    void update_over_a_local_database_without_keys_starts_and_warns_once_naming_the_tables() throws Exception {
        // the tables as the community dialect (an earlier version of the library) created them: no foreign keys
        EntityManagerFactory plain = new HibernatePersistenceConfiguration("plain-sqlite")
                .managedClasses(List.of(ENTITIES))
                .jdbcUrl(localUrl)
                .property("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory();
        plain.close();
        List<LogRecord> records;
        try (CapturedLogs logs = CapturedLogs.of("io.dbcomposite"); CompositeEntityManagerFactory emf = unit("update")) {
            records = logs.records();
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                BgShelf shelf = new BgShelf(1, "s");
                em.persist(shelf);
                BgBook book = new BgBook(1, "t");
                book.setShelf(shelf);
                em.persist(book);
            });
            assertThat(SqliteFiles.count(localUrl, "BgBook")).isEqualTo(1);
        }

        SimpleFormatter text = new SimpleFormatter();
        assertThat(records).filteredOn(r -> r.getLevel() == java.util.logging.Level.WARNING
                        && text.formatMessage(r).contains("without the foreign keys"))
                .singleElement()
                .satisfies(r -> assertThat(text.formatMessage(r)).contains("BgBook").contains("Topic_BgShelf")
                        .contains("Topic_tags").contains("Note").doesNotContain(" BgShelf,").doesNotContain("[BgShelf")
                        .contains("UPGRADING"));
    }

    @Test
    void update_leaves_a_remote_column_its_owner_widened_and_still_widens_a_narrower_one() {
        unit("create").close();
        PostgresTestDatabase.update(schema, "alter table BgShelf alter column name type varchar(400)");
        PostgresTestDatabase.update(schema, "alter table BgBook alter column title type varchar(20)");

        unit("update").close();
        unit("update").close();

        assertThat(length("bgshelf", "name")).as("widened by hand, kept").isEqualTo(400);
        assertThat(length("bgbook", "title")).as("narrower than the mapping, widened").isEqualTo(40);
    }

    private long length(String table, String column) {
        return ((Number) PostgresTestDatabase.rows(schema, "select character_maximum_length as n from"
                + " information_schema.columns where table_schema = ? and table_name = ? and column_name = ?",
                schema.toLowerCase(), table, column).get(0).get("n")).longValue();
    }
}
