package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, items 9 and 16: an invalid query is an {@code IllegalArgumentException} from {@code createQuery}, as the
 * Jakarta Persistence spec says; an entity named like an HQL keyword replays its updates and deletes (no query text is
 * built from entity names).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeywordNamedEntityTest {

    private StandaloneUnit unit;
    private String schema;
    private String localUrl;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("KeywordNamed", Versioned.class, Invoice.class);
        schema = unit.schema;
        localUrl = unit.localUrl;
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }


    private long remoteRows(long id) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from versioned where id = ?", id)
                .get(0).get("n")).longValue();
    }

    @Test
    void an_entity_named_like_an_hql_keyword_replays_its_insert_update_second_replay_and_delete() {
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(new Versioned(7L, "first")));
        assertThat(emf.sync().applied()).isEqualTo(1);
        Transactions.inTransaction(emf.createEntityManager(), em -> em.find(Versioned.class, 7L).setLabel("second"));
        assertThat(emf.sync().applied()).isEqualTo(1);
        // a crash between the remote commit and the SYNCED mark: the update replays a second time, where the remote
        // row already holds its version; the replay moves the version back by id before its upsert
        SqliteFiles.update(localUrl, "update dbc_sync_log set status = 'PENDING', synced_at = null where operation = 'UPDATE' and entity_name = 'Versioned'");
        SqliteFiles.update(localUrl, "update dbc_sync_floor set next_id = 0"); // the floor moves after the marks only
        SyncResult updated = emf.sync();
        assertThat(updated.applied()).isEqualTo(1);
        assertThat(updated.failed()).isZero();
        assertThat(PostgresTestDatabase.rows(schema, "select label, version from versioned where id = 7")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("label")).isEqualTo("second");
                    assertThat(((Number) row.get("version")).intValue()).isEqualTo(1);
                });

        Transactions.inTransaction(emf.createEntityManager(), em -> em.remove(em.find(Versioned.class, 7L)));
        SyncResult deleted = emf.sync();

        assertThat(deleted.applied()).isEqualTo(1);
        assertThat(deleted.failed()).isZero();
        assertThat(remoteRows(7L)).isZero();
    }

    @Test
    void attributes_with_an_attribute_converter_replay_as_the_converter_stores_them() {
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(
                new Invoice(1L, new Money(new java.math.BigDecimal("12.50"), "EUR"), Boolean.FALSE)));
        Transactions.inTransaction(emf.createEntityManager(), em -> em.find(Invoice.class, 1L).setPaid(Boolean.TRUE));

        SyncResult r = emf.sync();

        assertThat(r.failed()).isZero();
        assertThat(r.applied()).isEqualTo(2);
        assertThat(PostgresTestDatabase.rows(schema, "select total, paid from invoice where id = 1")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("total")).isEqualTo("12.50 EUR");
                    assertThat(String.valueOf(row.get("paid"))).isEqualTo("Y");
                });
    }

    @Test
    void an_invalid_query_is_an_illegal_argument_as_the_specification_says() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            assertThatThrownBy(() -> em.createQuery("select x from NoSuchEntity x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NoSuchEntity");
            assertThatThrownBy(() -> em.createQuery("selec v from Versioned v", Versioned.class))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> em.createQuery("select v.noSuchAttribute from Versioned v"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("noSuchAttribute");
        }
    }
}
