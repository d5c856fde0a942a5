package io.dbcomposite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbcomposite.internal.capture.SnapshotCodec;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.testmodel.Address;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.CustomerTier;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import jakarta.persistence.PersistenceException;
import org.hibernate.Hibernate;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Change capture into the local sync log ({@code dbc_sync_log}), against a real SQLite file and a real
 * PostgreSQL: what is logged, in which order, merged how, with which payload; what is never logged; and that a
 * payload decodes and replays into PostgreSQL with every property type intact (contract, "Sync semantics" 1, 2
 * and 8). Log rows are checked straight in SQLite and through JPQL.
 */
class ChangeCaptureTest extends CompositeTestBase {


    // ---- helpers -------------------------------------------------------------------------------------



    private long logCount() {
        return SqliteFiles.count(localUrl, "dbc_sync_log");
    }



    /** Every log row of one local transaction, in id order. */
    private List<Map<String, Object>> logRowsOfTx(Object txId) {
        return SqliteFiles.rows(localUrl, "select * from dbc_sync_log where tx_id = ? order by id", txId);
    }




    private static Set<Long> longs(JsonNode array) {
        assertThat(array).isNotNull();
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        Set<Long> out = new HashSet<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array).isNotNull();
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Instant instant(Object jdbcValue) {
        if (jdbcValue instanceof Timestamp t) {
            return t.toInstant();
        }
        if (jdbcValue instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        throw new AssertionError("not a timestamp: " + jdbcValue + (jdbcValue == null ? "" : " (" + jdbcValue.getClass() + ")"));
    }

    private Product product(String sku) {
        return new Product(sku, "Name of " + sku, new BigDecimal("10.00"), Category.BOOKS);
    }

    private Product persistProduct(Product p) {
        inTransaction(em -> em.persist(p));
        return p;
    }

    private Tag persistTag(String name) {
        Tag t = new Tag(unique(name));
        inTransaction(em -> em.persist(t));
        return t;
    }

    private long localVersionOfProduct(long id) {
        return ((Number) SqliteFiles.rows(localUrl, "select version from product where id = ?", id).get(0).get("version")).longValue();
    }

    /** The remote persister of a log row's {@code entity_name} (the JPA entity name). */
    private EntityPersister remotePersister(String jpaEntityName) {
        SessionFactoryImplementor remote = (SessionFactoryImplementor) emf.remoteFactory();
        return remote.getMappingMetamodel().getEntityDescriptor(remote.getJpaMetamodel().entity(jpaEntityName).getJavaType());
    }

    private EntityPersister remotePersister(Class<?> type) {
        return ((SessionFactoryImplementor) emf.remoteFactory()).getMappingMetamodel().getEntityDescriptor(type);
    }

    /** Replays log rows (inserts and updates) into PostgreSQL the way the sync engine will: decode, then upsert. */
    private void replayRemotely(List<Map<String, Object>> rows) {
        try (StatelessSession s = emf.remoteFactory().openStatelessSession()) {
            SharedSessionContractImplementor session = (SharedSessionContractImplementor) s;
            s.getTransaction().begin();
            for (Map<String, Object> row : rows) {
                EntityPersister persister = remotePersister((String) row.get("entity_name"));
                Object entityId = SnapshotCodec.decodeId(persister, (String) row.get("entity_id"), session);
                Object[] state = SnapshotCodec.decode(persister, entityId, (String) row.get("payload"), session);
                RowApplier.upsert(s, persister, entityId, state, null);
            }
            s.getTransaction().commit();
        }
    }

    /** Replays one payload into PostgreSQL. */
    private void replayRemotely(Class<?> type, Object entityId, String payload) {
        EntityPersister persister = remotePersister(type);
        try (StatelessSession s = emf.remoteFactory().openStatelessSession()) {
            SharedSessionContractImplementor session = (SharedSessionContractImplementor) s;
            s.getTransaction().begin();
            Object[] state = SnapshotCodec.decode(persister, entityId, payload, session);
            RowApplier.upsert(s, persister, entityId, state, null);
            s.getTransaction().commit();
        }
    }

    // ---- what a committed local write leaves in the log ----------------------------------------------

    @Test
    void a_committed_local_write_leaves_exactly_one_pending_insert_row_with_a_json_payload_by_property_name() {
        Tag red = new Tag(unique("red"));
        Tag blue = new Tag(unique("blue"));
        Product p = new Product(unique("SKU-CAP"), "Captured widget", new BigDecimal("19.99"), Category.ELECTRONICS)
                .addTag(red).addTag(blue).addLabel("new").addLabel("sale");
        long mark = logMark();
        Instant before = Instant.now().minusSeconds(1);

        inTransaction(em -> {
            em.persist(red);
            em.persist(blue);
            em.persist(p);
        });

        Map<String, Object> row = only(logRows(mark, "Product", p.getId()));
        assertThat(row.get("entity_name")).isEqualTo("Product");
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(p.getId()));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(((Number) row.get("attempts")).intValue()).isZero();
        assertThat(row.get("tx_id")).asString().hasSize(36);
        assertThat(row.get("created_at")).isNotNull();
        assertThat(row.get("synced_at")).isNull();
        assertThat(row.get("next_attempt_at")).isNull();
        assertThat(row.get("last_error")).isNull();

        JsonNode json = payload(row);
        assertThat(json.get("name").asText()).isEqualTo("Captured widget");
        assertThat(json.get("sku").asText()).isEqualTo(p.getSku());
        assertThat(new BigDecimal(json.get("price").asText())).isEqualByComparingTo("19.99");
        assertThat(json.get("category").asText()).isEqualTo("ELECTRONICS");
        assertThat(json.get("version").isIntegralNumber()).as("version is a JSON number: %s", json.get("version")).isTrue();
        assertThat(json.get("version").asLong()).isZero();
        assertThat(json.get("active").isBoolean()).isTrue();
        assertThat(json.get("active").asBoolean()).isTrue();
        String createdAt = json.get("createdAt").asText();
        assertThat(createdAt).endsWith("Z");
        assertThat(Instant.parse(createdAt)).isEqualTo(p.getCreatedAt());
        assertThat(longs(json.get("tags"))).containsExactlyInAnyOrder(red.getId(), blue.getId());
        assertThat(texts(json.get("labels"))).containsExactlyInAnyOrder("new", "sale");
        assertThat(json.has("id")).as("the id is in entity_id, not in the payload").isFalse();

        // the same row through JPQL
        SyncLogEntity logged = read(em -> em.createQuery(
                        "select c from SyncLogEntity c where c.entityName = 'Product' and c.entityId = :id", SyncLogEntity.class)
                .setParameter("id", String.valueOf(p.getId()))
                .getSingleResult());
        assertThat(logged.getId()).isEqualTo(id(row));
        assertThat(logged.getTxId()).isEqualTo(row.get("tx_id"));
        assertThat(logged.getOperation()).isEqualTo(ChangeOperation.INSERT);
        assertThat(logged.getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(logged.getAttempts()).isZero();
        assertThat(logged.getCreatedAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(logged.getSyncedAt()).isNull();
        assertThat(logged.getPayload()).isEqualTo(row.get("payload"));
    }

    // ---- rollback: neither data nor log ---------------------------------------------------------------

    @Test
    void an_explicit_rollback_leaves_neither_data_nor_log_rows_and_the_entity_manager_captures_its_next_transaction() {
        String sku = unique("SKU-RB");
        long countBefore = logCount();
        long mark = logMark();
        Product rolledBack = new Product(sku, "rolled back", new BigDecimal("1.00"), Category.TOYS).addLabel("gone");
        Product next = product(unique("SKU-AFTER-RB"));

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(rolledBack);
            em.flush();
            assertThat(rolledBack.getId()).isNotNull();
            em.getTransaction().rollback();

            assertThat(localCount("product", "sku = ?", sku)).isZero();
            assertThat(localCount("product_label", "label = 'gone'")).isZero();
            assertThat(logCount()).isEqualTo(countBefore);

            // the rolled-back transaction's buffer is gone: the next one in the same entity manager is captured
            em.getTransaction().begin();
            em.persist(next);
            em.getTransaction().commit();
        }

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(r -> r.get("entity_id")).containsExactly(String.valueOf(next.getId()));
        assertThat(rows.get(0).get("operation")).isEqualTo("INSERT");
        assertThat(payload(rows.get(0)).get("sku").asText()).isEqualTo(next.getSku());
    }

    @Test
    void an_exception_thrown_inside_the_work_leaves_neither_data_nor_log_rows() {
        String sku = unique("SKU-EX");
        String tagName = unique("ex-tag");
        long countBefore = logCount();

        assertThatThrownBy(() -> inTransaction(em -> {
            em.persist(new Tag(tagName));
            em.persist(product(sku));
            em.flush();
            throw new IllegalStateException("the caller's own failure");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the caller's own failure");

        assertThat(localCount("product", "sku = ?", sku)).isZero();
        assertThat(localCount("tag", "name = ?", tagName)).isZero();
        assertThat(logCount()).isEqualTo(countBefore);
    }

    @Test
    void a_unique_constraint_violation_at_flush_leaves_neither_data_nor_log_rows_of_that_transaction() {
        Product existing = persistProduct(product(unique("SKU-UQ-A")));
        String clashing = unique("SKU-UQ-B");
        Customer customer = new Customer("Violet Constraint", "violet@example.com");
        long countBefore = logCount();

        // the new product is inserted at persist (IDENTITY); the clash comes from the update flushed at commit
        assertThatThrownBy(() -> inTransaction(em -> {
            em.persist(customer);
            em.persist(product(clashing));
            em.find(Product.class, existing.getId()).setSku(clashing);
        })).isInstanceOf(PersistenceException.class);

        assertThat(localCount("product", "sku = ?", clashing)).isZero();
        assertThat(localCount("product", "id = ? and sku = ? and version = 0", existing.getId(), existing.getSku())).isEqualTo(1);
        assertThat(localCount("customer", "id = ?", uuidBytes(customer.getId()))).isZero();
        assertThat(logCount()).isEqualTo(countBefore);
    }

    @Test
    void a_duplicate_sku_at_persist_leaves_no_log_row_of_what_the_transaction_wrote_before() {
        Product existing = persistProduct(product(unique("SKU-DUP")));
        String tagName = unique("dup-tag");
        long countBefore = logCount();

        assertThatThrownBy(() -> inTransaction(em -> {
            em.persist(new Tag(tagName));
            em.persist(product(existing.getSku()));
        })).isInstanceOf(PersistenceException.class);

        assertThat(localCount("product", "sku = ?", existing.getSku())).isEqualTo(1);
        assertThat(localCount("tag", "name = ?", tagName)).isZero();
        assertThat(logCount()).isEqualTo(countBefore);
    }

    // ---- transactions and order ------------------------------------------------------------------------

    @Test
    void a_multi_entity_transaction_shares_one_tx_id_and_logs_parents_before_children() {
        Product item = persistProduct(product(unique("SKU-ORD")));
        Customer customer = new Customer("Ada Lovelace", "ada@example.com")
                .addPhoneNumber("+44 1").addPhoneNumber("+44 2");
        customer.setAddress(new Address("12 St James's Square", "London", "SW1Y 4JH", "GB"));
        PurchaseOrder order = new PurchaseOrder(customer);
        long mark = logMark();

        inTransaction(em -> {
            em.persist(customer);
            order.addLine(em.find(Product.class, item.getId()), 2, new BigDecimal("10.00"));
            order.addLine(null, 1, new BigDecimal("4.50"));
            em.persist(order);
        });

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(r -> r.get("entity_name"))
                .containsExactly("Customer", "PurchaseOrder", "OrderLine", "OrderLine");
        assertThat(rows).extracting(r -> r.get("tx_id")).containsOnly(rows.get(0).get("tx_id"));
        assertThat(rows).extracting(r -> r.get("operation")).containsOnly("INSERT");
        assertThat(rows).extracting(ChangeCaptureTest::id).isSorted().doesNotHaveDuplicates();
        assertThat(logRowsOfTx(rows.get(0).get("tx_id"))).hasSize(4);

        assertThat(rows.get(0).get("entity_id")).isEqualTo(customer.getId().toString());
        JsonNode customerJson = payload(rows.get(0));
        assertThat(customerJson.get("address").get("city").asText()).isEqualTo("London");
        assertThat(customerJson.get("address").get("postalCode").asText()).isEqualTo("SW1Y 4JH");
        assertThat(texts(customerJson.get("phoneNumbers"))).containsExactly("+44 1", "+44 2");

        assertThat(rows.get(1).get("entity_id")).isEqualTo(order.getId().toString());
        JsonNode orderJson = payload(rows.get(1));
        assertThat(orderJson.get("customer").asText()).isEqualTo(customer.getId().toString());
        assertThat(new BigDecimal(orderJson.get("total").asText())).isEqualByComparingTo("24.50");
        assertThat(orderJson.has("lines")).as("an inverse (mappedBy) collection is the children's rows, not stored").isFalse();

        Long firstLine = order.getLines().get(0).getId();
        Long secondLine = order.getLines().get(1).getId();
        assertThat(rows.subList(2, 4)).extracting(r -> r.get("entity_id"))
                .containsExactly(String.valueOf(firstLine), String.valueOf(secondLine));
        JsonNode lineJson = payload(rows.get(2));
        assertThat(lineJson.get("order").asText()).isEqualTo(order.getId().toString());
        assertThat(lineJson.get("product").asLong()).isEqualTo(item.getId());
        assertThat(lineJson.get("quantity").asInt()).isEqualTo(2);
        assertThat(payload(rows.get(3)).get("product").isNull()).isTrue();
    }

    @Test
    void two_transactions_get_different_tx_ids_and_the_later_one_has_higher_ids() {
        long mark = logMark();
        Product first = persistProduct(product(unique("SKU-T1")));
        Product second = persistProduct(product(unique("SKU-T2")));

        Map<String, Object> a = only(logRows(mark, "Product", first.getId()));
        Map<String, Object> b = only(logRows(mark, "Product", second.getId()));
        assertThat(b.get("tx_id")).isNotEqualTo(a.get("tx_id"));
        assertThat(id(b)).isGreaterThan(id(a));
        assertThat(logRowsOfTx(a.get("tx_id"))).hasSize(1);
        assertThat(logRowsOfTx(b.get("tx_id"))).hasSize(1);
    }

    @Test
    void a_transaction_of_seventy_writes_logs_them_in_write_order_with_contiguous_ids_and_one_created_at() {
        // more rows than one multi-row insert takes (32), with a remainder: three inserts on the same connection
        long mark = logMark();
        Instant before = Instant.now().minusSeconds(1);
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            products.add(product(unique("SKU-70-" + i)));
        }
        inTransaction(em -> products.forEach(em::persist));
        Instant after = Instant.now().plusSeconds(1);

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).hasSize(70);
        assertThat(rows).extracting(row -> row.get("entity_id"))
                .containsExactlyElementsOf(products.stream().map(p -> String.valueOf(p.getId())).toList());
        assertThat(rows).extracting(row -> row.get("tx_id")).containsOnly(rows.get(0).get("tx_id"));
        for (int i = 1; i < rows.size(); i++) {
            assertThat(id(rows.get(i))).isEqualTo(id(rows.get(0)) + i);
        }
        List<SyncLogEntity> entities = read(em -> em.createQuery(
                "select c from SyncLogEntity c where c.id > :mark order by c.id", SyncLogEntity.class)
                .setParameter("mark", mark).getResultList());
        assertThat(entities).hasSize(70).extracting(SyncLogEntity::getCreatedAt).containsOnly(entities.get(0).getCreatedAt());
        assertThat(entities.get(0).getCreatedAt()).isBetween(before, after);
        assertThat(entities).extracting(SyncLogEntity::getPayload).allSatisfy(payload -> assertThat(payload).contains("\"sku\":\"SKU-70-"));

        // and the next transaction on the same pooled connection starts clean
        Product next = persistProduct(product(unique("SKU-71")));
        Map<String, Object> row = only(logRowsSince(id(rows.get(69))));
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(next.getId()));
        assertThat(row.get("tx_id")).isNotEqualTo(rows.get(0).get("tx_id"));
    }

    @Test
    void a_log_write_that_fails_rolls_the_transaction_back_and_the_next_ones_on_the_same_connections_are_logged() {
        // a kept insert broken by an error (here: the table renamed away, as a migration might do for a moment)
        // must not stay broken on its pooled connection
        Product warm = persistProduct(product(unique("SKU-KEPT-0")));
        assertThat(logRows("Product", warm.getId())).hasSize(1);
        long mark = logMark();
        SqliteFiles.update(localUrl, "alter table dbc_sync_log rename to dbc_sync_log_away");
        Product lost = product(unique("SKU-KEPT-LOST"));
        try {
            assertThatThrownBy(() -> inTransaction(em -> em.persist(lost)))
                    .isInstanceOf(PersistenceException.class)
                    .hasStackTraceContaining("dbc_sync_log");
        } finally {
            SqliteFiles.update(localUrl, "alter table dbc_sync_log_away rename to dbc_sync_log");
        }
        assertThat(localCount("product", "sku = ?", lost.getSku())).as("the product of the failed transaction").isZero();

        List<Product> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(persistProduct(product(unique("SKU-KEPT-" + (i + 1)))));
        }
        assertThat(logRowsSince(mark)).extracting(row -> row.get("entity_id"))
                .containsExactlyElementsOf(after.stream().map(p -> String.valueOf(p.getId())).toList());
    }

    // ---- merge rules within one transaction -----------------------------------------------------------

    @Test
    void persist_then_change_in_one_transaction_logs_one_insert_with_the_final_state() {
        Product p = product(unique("SKU-M1"));
        long mark = logMark();

        inTransaction(em -> {
            em.persist(p);
            em.flush();
            p.setName("final name");
            p.setPrice(new BigDecimal("42.00"));
        });

        Map<String, Object> row = only(logRows(mark, "Product", p.getId()));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        JsonNode json = payload(row);
        assertThat(json.get("name").asText()).isEqualTo("final name");
        assertThat(new BigDecimal(json.get("price").asText())).isEqualByComparingTo("42.00");
        assertThat(json.get("version").asLong()).isEqualTo(localVersionOfProduct(p.getId())).isEqualTo(1);
    }

    @Test
    void persist_then_remove_in_one_transaction_logs_nothing() {
        Product p = product(unique("SKU-M2")).addLabel("short-lived");
        long mark = logMark();

        inTransaction(em -> {
            em.persist(p);
            em.flush();
            em.remove(p);
        });

        assertThat(localCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void two_updates_of_an_existing_row_in_one_transaction_log_one_update_with_the_final_state() {
        Product p = persistProduct(product(unique("SKU-M3")));
        long mark = logMark();

        inTransaction(em -> {
            Product found = em.find(Product.class, p.getId());
            found.setName("first change");
            em.flush();
            found.setName("second change");
            found.setCategory(Category.GROCERY);
        });

        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(p.getId()));
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        JsonNode json = payload(row);
        assertThat(json.get("name").asText()).isEqualTo("second change");
        assertThat(json.get("category").asText()).isEqualTo("GROCERY");
        assertThat(json.get("sku").asText()).isEqualTo(p.getSku());
        assertThat(json.get("version").asLong()).isEqualTo(localVersionOfProduct(p.getId())).isEqualTo(2);
    }

    @Test
    void update_then_remove_of_an_existing_row_in_one_transaction_logs_one_delete_with_a_null_payload() {
        Product p = persistProduct(product(unique("SKU-M4")).addLabel("to-be-removed"));
        long mark = logMark();

        inTransaction(em -> {
            Product found = em.find(Product.class, p.getId());
            found.setName("changed before removal");
            em.flush();
            em.remove(found);
        });

        assertThat(localCount("product", "id = ?", p.getId())).isZero();
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Product");
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(p.getId()));
        assertThat(row.get("operation")).isEqualTo("DELETE");
        assertThat(row.get("payload")).isNull();
        assertThat(row.get("status")).isEqualTo("PENDING");
    }

    // ---- collection changes ------------------------------------------------------------------------------

    @Test
    void adding_a_tag_to_an_existing_product_logs_one_update_holding_the_new_tags() {
        Tag first = persistTag("first");
        Tag second = persistTag("second");
        Product p = persistProduct(product(unique("SKU-C1")).addTag(first).addLabel("kept"));
        long mark = logMark();

        inTransaction(em -> em.find(Product.class, p.getId()).addTag(em.find(Tag.class, second.getId())));

        assertThat(localCount("product_tag", "product_id = ?", p.getId())).isEqualTo(2);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Product");
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(p.getId()));
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        JsonNode json = payload(row);
        assertThat(longs(json.get("tags"))).containsExactlyInAnyOrder(first.getId(), second.getId());
        assertThat(json.get("version").asLong()).isEqualTo(localVersionOfProduct(p.getId()));
    }

    @Test
    void removing_a_label_from_an_existing_product_logs_one_update_holding_the_remaining_labels() {
        Product p = persistProduct(product(unique("SKU-C2")).addLabel("keep").addLabel("drop").addLabel("also-keep"));
        long mark = logMark();

        inTransaction(em -> em.find(Product.class, p.getId()).getLabels().remove("drop"));

        assertThat(localCount("product_label", "product_id = ?", p.getId())).isEqualTo(2);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(p.getId()));
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        assertThat(texts(payload(row).get("labels"))).containsExactlyInAnyOrder("keep", "also-keep");
    }

    @Test
    void an_update_that_does_not_load_a_lazy_collection_leaves_it_out_of_the_payload() {
        Tag tag = persistTag("lazy");
        Product p = persistProduct(product(unique("SKU-LAZY")).addTag(tag).addLabel("lazy-label"));
        long mark = logMark();

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            Product found = em.find(Product.class, p.getId());
            found.setName("renamed only");
            assertThat(Hibernate.isInitialized(found.getTags())).isFalse();
            assertThat(Hibernate.isInitialized(found.getLabels())).isFalse();
            em.getTransaction().commit();
        }

        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        JsonNode json = payload(row);
        assertThat(json.get("name").asText()).isEqualTo("renamed only");
        assertThat(json.has("tags")).as("an unloaded collection did not change: %s", json).isFalse();
        assertThat(json.has("labels")).as("an unloaded collection did not change: %s", json).isFalse();
        assertThat(localCount("product_tag", "product_id = ?", p.getId())).isEqualTo(1);
        assertThat(localCount("product_label", "product_id = ?", p.getId())).isEqualTo(1);
    }

    // ---- StatelessSession -----------------------------------------------------------------------------

    @Test
    void stateless_session_inserts_updates_upserts_and_deletes_in_transactions_are_each_logged() {
        Tag tag = new Tag(unique("stateless"));
        Customer customer = new Customer("Stateless Sam", "sam@example.com").addPhoneNumber("+1 555");
        customer.setTier(CustomerTier.SILVER);
        long mark = logMark();

        try (StatelessSession s = emf.localFactory().openStatelessSession()) {
            s.getTransaction().begin();
            s.insert(tag);
            s.getTransaction().commit();
            assertThat(tag.getId()).as("IDENTITY id assigned by the insert").isNotNull();

            Map<String, Object> inserted = only(logRows(mark, "Tag", tag.getId()));
            assertThat(inserted.get("operation")).isEqualTo("INSERT");
            assertThat(inserted.get("status")).isEqualTo("PENDING");
            assertThat(payload(inserted).get("name").asText()).isEqualTo(tag.getName());
            long afterInsert = logMark();

            tag.setName(tag.getName() + "-renamed");
            s.getTransaction().begin();
            s.update(tag);
            s.getTransaction().commit();

            Map<String, Object> updated = only(logRows(afterInsert, "Tag", tag.getId()));
            assertThat(updated.get("operation")).isEqualTo("UPDATE");
            assertThat(payload(updated).get("name").asText()).isEqualTo(tag.getName());
            assertThat(updated.get("tx_id")).isNotEqualTo(inserted.get("tx_id"));
            long afterUpdate = logMark();

            s.getTransaction().begin();
            s.upsert(customer);
            s.getTransaction().commit();

            Map<String, Object> upserted = only(logRows(afterUpdate, "Customer", customer.getId()));
            // an upsert cannot tell an insert from an update; it is logged as UPDATE and replayed as an upsert anyway
            assertThat(upserted.get("operation")).isEqualTo("UPDATE");
            JsonNode customerJson = payload(upserted);
            assertThat(customerJson.get("name").asText()).isEqualTo("Stateless Sam");
            assertThat(customerJson.get("tier").asText()).isEqualTo("SILVER");
            assertThat(texts(customerJson.get("phoneNumbers"))).containsExactly("+1 555");
            assertThat(customerJson.get("version").asInt()).as("the payload holds the version the local row got")
                    .isEqualTo(((Number) SqliteFiles.rows(localUrl, "select version from customer where id = ?",
                            uuidBytes(customer.getId())).get(0).get("version")).intValue());
            assertThat(localCount("customer_phone", "customer_id = ? and phone_number = '+1 555'", uuidBytes(customer.getId())))
                    .isEqualTo(1);
            long afterUpsert = logMark();

            s.getTransaction().begin();
            s.delete(tag);
            s.getTransaction().commit();

            Map<String, Object> deleted = only(logRows(afterUpsert, "Tag", tag.getId()));
            assertThat(deleted.get("operation")).isEqualTo("DELETE");
            assertThat(deleted.get("payload")).isNull();
        }

        assertThat(localCount("tag", "id = ?", tag.getId())).isZero();
        assertThat(localCount("customer", "id = ? and tier = 'SILVER'", uuidBytes(customer.getId()))).isEqualTo(1);
        assertThat(logRowsSince(mark)).extracting(r -> r.get("entity_name"))
                .containsExactly("Tag", "Tag", "Customer", "Tag");
    }

    @Test
    void a_stateless_session_write_without_a_transaction_is_logged_too() {
        Tag tag = new Tag(unique("autocommit"));
        long mark = logMark();

        try (StatelessSession s = emf.localFactory().openStatelessSession()) {
            s.insert(tag);
        }

        assertThat(localCount("tag", "id = ? and name = ?", tag.getId(), tag.getName())).isEqualTo(1);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Tag");
        assertThat(row.get("entity_id")).isEqualTo(String.valueOf(tag.getId()));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(payload(row).get("name").asText()).isEqualTo(tag.getName());
    }

    // ---- what is never captured -----------------------------------------------------------------------

    @Test
    void entities_that_are_not_replayed_in_the_background_are_not_logged() {
        long mark = logMark();

        Draft draft = new Draft("local only", "body");
        inTransaction(em -> em.persist(draft));
        inTransaction(em -> em.find(Draft.class, draft.getId()).setBody("edited"));
        inTransaction(em -> em.remove(em.find(Draft.class, draft.getId())));

        Payment payment = new Payment(UUID.randomUUID(), new BigDecimal("12.00"), "EUR", PaymentMethod.CARD);
        inTransaction(em -> em.persist(payment));
        inTransaction(em -> em.find(Payment.class, payment.getId()).setAmount(new BigDecimal("13.00")));

        String pair = "CHF" + UUID.randomUUID().toString().substring(0, 3).toUpperCase();
        inTransaction(em -> em.persist(new ExchangeRate(pair, new BigDecimal("1.05"))));
        inTransaction(em -> em.find(ExchangeRate.class, pair).update(new BigDecimal("1.06")));

        AuditEvent event = new AuditEvent("capture-test", "remote only");
        inTransaction(em -> em.persist(event));

        Notification notification = new Notification("bob@example.com", "remote is up");
        inTransaction(em -> em.persist(notification));
        inTransaction(em -> em.find(Notification.class, notification.getId()).setSent(true));

        // the writes happened where their routing says
        assertThat(localCount("draft", "id = ?", draft.getId())).isZero();
        assertThat(localCount("payment", "id = ? and amount = 13.00", uuidBytes(payment.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 13.00", payment.getId())).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = ? and rate = 1.06", pair)).isEqualTo(1);
        assertThat(remoteCount("exchange_rate", "id = ? and rate = 1.06", pair)).isEqualTo(1);
        assertThat(remoteCount("audit_event", "id = ?", event.getId())).isEqualTo(1);
        assertThat(remoteCount("notification", "id = ? and sent", notification.getId())).isEqualTo(1);
        // and nothing of it is in the log
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void changes_of_the_sync_log_itself_are_not_logged() throws Exception {
        Product p = persistProduct(product(unique("SKU-SELF")));
        long mark = logMark();
        Map<String, Object> row = only(SqliteFiles.rows(localUrl,
                "select * from dbc_sync_log where entity_name = 'Product' and entity_id = ?", String.valueOf(p.getId())));
        java.lang.reflect.Field lastError = SyncLogEntity.class.getDeclaredField("lastError");
        lastError.setAccessible(true);

        inTransaction(em -> {
            SyncLogEntity entry = em.find(SyncLogEntity.class, id(row));
            try {
                lastError.set(entry, "edited by the test");
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(SqliteFiles.rows(localUrl, "select last_error from dbc_sync_log where id = ?", id(row)).get(0).get("last_error"))
                .isEqualTo("edited by the test");
        assertThat(logRowsSince(mark)).isEmpty();
        assertThat(localCount("dbc_sync_log", "entity_name = 'SyncLogEntity'")).isZero();
    }

    // ---- JPQL over the log -------------------------------------------------------------------------------

    @Test
    void the_log_is_queryable_with_jpql_by_status_and_entity_name_through_a_composite_entity_manager() {
        Product p = persistProduct(product(unique("SKU-JPQL")));
        long pendingProducts = localCount("dbc_sync_log", "status = 'PENDING' and entity_name = 'Product'");

        List<SyncLogEntity> qualified = read(em -> em.createQuery(
                "select c from SyncLogEntity c where c.status = io.dbcomposite.ChangeStatus.PENDING"
                        + " and c.entityName = 'Product' order by c.id", SyncLogEntity.class).getResultList());

        assertThat(qualified).hasSize((int) pendingProducts);
        assertThat(qualified).extracting(SyncLogEntity::getStatus).containsOnly(ChangeStatus.PENDING);
        assertThat(qualified).extracting(SyncLogEntity::getEntityName).containsOnly("Product");
        assertThat(qualified).extracting(SyncLogEntity::getId).isSorted();
        SyncLogEntity mine = qualified.stream().filter(c -> c.getEntityId().equals(String.valueOf(p.getId()))).findFirst().orElseThrow();
        assertThat(mine.getOperation()).isEqualTo(ChangeOperation.INSERT);
        assertThat(mine.getTxId()).hasSize(36);
        assertThat(mine.getAttempts()).isZero();
        assertThat(mine.getNextAttemptAt()).isNull();
        assertThat(mine.getLastError()).isNull();
        assertThat(mine.getSyncedAt()).isNull();
        assertThat(mine.getCreatedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
        assertThat(mine.getPayload()).contains("\"sku\":\"" + p.getSku() + "\"");

        // the short form the contract and SyncLogEntity's javadoc show
        List<SyncLogEntity> shortForm = read(em -> em.createQuery(
                "select c from SyncLogEntity c where c.status = ChangeStatus.PENDING and c.entityName = 'Product' order by c.id",
                SyncLogEntity.class).getResultList());
        assertThat(shortForm).extracting(SyncLogEntity::getId).containsExactlyElementsOf(
                qualified.stream().map(SyncLogEntity::getId).toList());
    }

    // ---- the codec round-trips every property type ----------------------------------------------------

    @Test
    void a_product_payload_decodes_and_replays_into_postgresql_with_its_tags_and_labels() {
        Tag one = new Tag(unique("rt-one"));
        Tag two = new Tag(unique("rt-two"));
        Product p = new Product(unique("SKU-RT"), "Round trip", new BigDecimal("1234.56"), Category.CLOTHING)
                .addTag(one).addTag(two).addLabel("cotton").addLabel("blue");
        long mark = logMark();
        inTransaction(em -> {
            em.persist(one);
            em.persist(two);
            em.persist(p);
        });
        inTransaction(em -> {
            Product found = em.find(Product.class, p.getId());
            found.setActive(false);
            found.getLabels().add("clearance");
        });

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(r -> r.get("entity_name") + " " + r.get("operation"))
                .containsExactly("Tag INSERT", "Tag INSERT", "Product INSERT", "Product UPDATE");
        replayRemotely(rows);

        Map<String, Object> remote = only(PostgresTestDatabase.rows(schema, "select * from product where id = ?", p.getId()));
        assertThat(remote.get("sku")).isEqualTo(p.getSku());
        assertThat(remote.get("name")).isEqualTo("Round trip");
        assertThat((BigDecimal) remote.get("price")).isEqualByComparingTo("1234.56");
        assertThat(remote.get("category")).isEqualTo("CLOTHING");
        assertThat(((Number) remote.get("version")).longValue()).isEqualTo(localVersionOfProduct(p.getId())).isEqualTo(1);
        assertThat(instant(remote.get("created_at"))).isEqualTo(p.getCreatedAt());
        assertThat(remote.get("active")).isEqualTo(false);
        assertThat(PostgresTestDatabase.rows(schema, "select tag_id from product_tag where product_id = ?", p.getId()))
                .extracting(r -> ((Number) r.get("tag_id")).longValue()).containsExactlyInAnyOrder(one.getId(), two.getId());
        assertThat(PostgresTestDatabase.rows(schema, "select label from product_label where product_id = ?", p.getId()))
                .extracting(r -> r.get("label")).containsExactlyInAnyOrder("cotton", "blue", "clearance");
        assertThat(PostgresTestDatabase.rows(schema, "select name from tag where id in (?, ?)", one.getId(), two.getId()))
                .extracting(r -> r.get("name")).containsExactlyInAnyOrder(one.getName(), two.getName());
    }

    @Test
    void a_customer_payload_decodes_and_replays_with_its_address_ordered_phones_enum_date_and_version() {
        Customer c = new Customer("Grace Hopper", "grace@example.com")
                .addPhoneNumber("+1 first").addPhoneNumber("+1 second").addPhoneNumber("+1 third");
        c.setAddress(new Address("1 Navy Way", "Arlington", "22202", "US"));
        c.setTier(CustomerTier.GOLD);
        c.setBirthDate(LocalDate.of(1906, 12, 9));
        long mark = logMark();
        inTransaction(em -> em.persist(c));
        inTransaction(em -> {
            Customer found = em.find(Customer.class, c.getId());
            found.setTier(CustomerTier.PLATINUM);
            found.getPhoneNumbers().add(0, "+1 zeroth");
        });

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(r -> r.get("entity_name") + " " + r.get("operation"))
                .containsExactly("Customer INSERT", "Customer UPDATE");
        JsonNode json = payload(rows.get(1));
        assertThat(json.get("tier").asText()).isEqualTo("PLATINUM");
        assertThat(json.get("birthDate").asText()).isEqualTo("1906-12-09");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(texts(json.get("phoneNumbers"))).containsExactly("+1 zeroth", "+1 first", "+1 second", "+1 third");

        replayRemotely(rows);

        Map<String, Object> remote = only(PostgresTestDatabase.rows(schema, "select * from customer where id = ?", c.getId()));
        assertThat(remote.get("name")).isEqualTo("Grace Hopper");
        assertThat(remote.get("email")).isEqualTo("grace@example.com");
        assertThat(remote.get("street")).isEqualTo("1 Navy Way");
        assertThat(remote.get("city")).isEqualTo("Arlington");
        assertThat(remote.get("postal_code")).isEqualTo("22202");
        assertThat(remote.get("country")).isEqualTo("US");
        assertThat(remote.get("tier")).isEqualTo("PLATINUM");
        assertThat(((java.sql.Date) remote.get("birth_date")).toLocalDate()).isEqualTo(LocalDate.of(1906, 12, 9));
        assertThat(((Number) remote.get("version")).intValue()).isEqualTo(1);
        assertThat(PostgresTestDatabase.rows(schema,
                "select phone_index, phone_number from customer_phone where customer_id = ? order by phone_index", c.getId()))
                .extracting(r -> r.get("phone_index") + ":" + r.get("phone_number"))
                .containsExactly("0:+1 zeroth", "1:+1 first", "2:+1 second", "3:+1 third");
    }

    @Test
    void a_payment_state_encodes_and_replays_with_its_bytes_instant_decimal_uuid_and_enum() {
        byte[] receipt = {0, 1, 2, (byte) 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, 'r', 'x'};
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("98765.43"), "JPY", PaymentMethod.BANK_TRANSFER);
        pay.setReceipt(receipt);
        pay.setPaidAt(Instant.parse("2024-02-29T23:59:58.123Z"));
        pay.setVersion(3);
        EntityPersister local = ((SessionFactoryImplementor) emf.localFactory()).getMappingMetamodel().getEntityDescriptor(Payment.class);

        String encoded;
        try (StatelessSession s = emf.localFactory().openStatelessSession()) {
            encoded = SnapshotCodec.encode(local, local.getValues(pay), (SharedSessionContractImplementor) s);
        }
        JsonNode json;
        try {
            json = JSON.readTree(encoded);
        } catch (Exception e) {
            throw new AssertionError(encoded, e);
        }
        assertThat(json.get("paidAt").asText()).isEqualTo("2024-02-29T23:59:58.123Z");
        assertThat(json.get("orderId").asText()).isEqualTo(pay.getOrderId().toString());
        assertThat(json.get("method").asText()).isEqualTo("BANK_TRANSFER");
        assertThat(json.get("version").asLong()).isEqualTo(3);
        assertThat(json.get("receipt").isTextual()).isTrue();

        replayRemotely(Payment.class, pay.getId(), encoded);

        Map<String, Object> remote = only(PostgresTestDatabase.rows(schema, "select * from payment where id = ?", pay.getId()));
        assertThat((byte[]) remote.get("receipt")).containsExactly(receipt);
        assertThat(instant(remote.get("paid_at"))).isEqualTo(Instant.parse("2024-02-29T23:59:58.123Z"));
        assertThat((BigDecimal) remote.get("amount")).isEqualByComparingTo("98765.43");
        assertThat(remote.get("currency")).isEqualTo("JPY");
        assertThat(remote.get("payment_method")).isEqualTo("BANK_TRANSFER");
        assertThat(remote.get("order_id")).isEqualTo(pay.getOrderId());
        assertThat(((Number) remote.get("version")).longValue()).isEqualTo(3);
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).as("encoding writes nothing locally").isZero();
    }

    @Test
    void a_payload_with_an_unknown_property_and_a_missing_one_still_decodes_and_a_missing_collection_is_left_unchanged() {
        Tag tag = persistTag("evolve");
        Product p = persistProduct(product(unique("SKU-EVOLVE")).addTag(tag).addLabel("alpha"));
        Map<String, Object> inserted = only(SqliteFiles.rows(localUrl,
                "select * from dbc_sync_log where entity_name = 'Product' and entity_id = ? and operation = 'INSERT'",
                String.valueOf(p.getId())));
        Map<String, Object> tagRow = only(SqliteFiles.rows(localUrl,
                "select * from dbc_sync_log where entity_name = 'Tag' and entity_id = ?", String.valueOf(tag.getId())));
        replayRemotely(List.of(tagRow, inserted));
        PostgresTestDatabase.update(schema, "insert into product_label (product_id, label) values (?, 'remote-only')", p.getId());

        // a payload written by a later version of the entity (a new property) that lacks properties it no longer has
        ObjectNode evolved = (ObjectNode) payload(inserted);
        evolved.put("name", "Evolved");
        evolved.put("version", 1);
        evolved.put("discontinuedAt", "2030-01-01T00:00:00Z");
        evolved.putObject("supplier").put("name", "ACME");
        evolved.remove("labels");
        evolved.remove("tags");

        EntityPersister persister = remotePersister(Product.class);
        try (StatelessSession s = emf.remoteFactory().openStatelessSession()) {
            Object[] state = SnapshotCodec.decode(persister, p.getId(), evolved.toString(), (SharedSessionContractImplementor) s);
            List<String> names = Arrays.asList(persister.getPropertyNames());
            assertThat(state[names.indexOf("name")]).isEqualTo("Evolved");
            assertThat(Hibernate.isInitialized(state[names.indexOf("labels")])).as("a missing collection is left unloaded").isFalse();
            assertThat(Hibernate.isInitialized(state[names.indexOf("tags")])).as("a missing collection is left unloaded").isFalse();
        }
        replayRemotely(Product.class, p.getId(), evolved.toString());

        Map<String, Object> remote = only(PostgresTestDatabase.rows(schema, "select * from product where id = ?", p.getId()));
        assertThat(remote.get("name")).isEqualTo("Evolved");
        assertThat(remote.get("active")).isEqualTo(true);
        assertThat(((Number) remote.get("version")).longValue()).isEqualTo(1);
        assertThat(remote.get("sku")).isEqualTo(p.getSku());
        assertThat(PostgresTestDatabase.rows(schema, "select label from product_label where product_id = ?", p.getId()))
                .extracting(r -> r.get("label")).containsExactlyInAnyOrder("alpha", "remote-only");
        assertThat(PostgresTestDatabase.rows(schema, "select tag_id from product_tag where product_id = ?", p.getId()))
                .extracting(r -> ((Number) r.get("tag_id")).longValue()).containsExactly(tag.getId());

        // a missing nullable basic property decodes to null
        Customer c = new Customer("Evolving Eve", "eve@example.com").addPhoneNumber("+33 1");
        c.setBirthDate(LocalDate.of(1990, 1, 2));
        long mark = logMark();
        inTransaction(em -> em.persist(c));
        Map<String, Object> customerRow = only(logRows(mark, "Customer", c.getId()));
        replayRemotely(List.of(customerRow));
        ObjectNode withoutEmail = (ObjectNode) payload(customerRow);
        withoutEmail.remove("email");
        withoutEmail.remove("phoneNumbers");
        withoutEmail.put("version", 1);
        replayRemotely(Customer.class, c.getId(), withoutEmail.toString());

        Map<String, Object> remoteCustomer = only(PostgresTestDatabase.rows(schema, "select * from customer where id = ?", c.getId()));
        assertThat(remoteCustomer.get("email")).isNull();
        assertThat(remoteCustomer.get("name")).isEqualTo("Evolving Eve");
        assertThat(((Number) remoteCustomer.get("version")).intValue()).isEqualTo(1);
        assertThat(PostgresTestDatabase.rows(schema, "select phone_number from customer_phone where customer_id = ?", c.getId()))
                .extracting(r -> r.get("phone_number")).containsExactly("+33 1");
    }

    @Test
    void a_payload_written_before_a_primitive_property_existed_decodes_it_to_its_default_and_still_replays() {
        Product p = persistProduct(product(unique("SKU-PRIM")));
        p.setActive(false);
        Map<String, Object> inserted = only(SqliteFiles.rows(localUrl,
                "select * from dbc_sync_log where entity_name = 'Product' and entity_id = ?", String.valueOf(p.getId())));
        // as if the payload had been written before Product.active (a primitive boolean, not null) was added
        ObjectNode old = (ObjectNode) payload(inserted);
        old.remove("active");
        EntityPersister persister = remotePersister(Product.class);
        int active = Arrays.asList(persister.getPropertyNames()).indexOf("active");

        try (StatelessSession s = emf.remoteFactory().openStatelessSession()) {
            Object[] state = SnapshotCodec.decode(persister, p.getId(), old.toString(), (SharedSessionContractImplementor) s);
            assertThat(state[active]).as("a missing primitive boolean decodes to its default, false").isEqualTo(false);
        }
        replayRemotely(Product.class, p.getId(), old.toString());

        assertThat(remoteCount("product", "id = ? and active = false and sku = ?", p.getId(), p.getSku())).isEqualTo(1);
    }
}
