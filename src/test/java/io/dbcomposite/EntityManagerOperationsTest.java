package io.dbcomposite;

import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import jakarta.persistence.LockModeType;
import jakarta.persistence.RollbackException;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every {@code EntityManager} operation of the composite entity manager, for an entity read from the local
 * SQLite file ({@link Product}) and for entities read from PostgreSQL ({@link AuditEvent}, {@link Notification}),
 * plus the composite transaction's semantics. Where a row landed is always checked with plain SQL.
 */
class EntityManagerOperationsTest extends CompositeTestBase {

    private Product persistProduct(String sku) {
        Product p = new Product(sku, "Name of " + sku, new BigDecimal("10.00"), Category.BOOKS);
        inTransaction(em -> em.persist(p));
        return p;
    }

    private AuditEvent persistAuditEvent(String type) {
        AuditEvent e = new AuditEvent(type, "detail of " + type);
        inTransaction(em -> em.persist(e));
        return e;
    }

    private Notification persistNotification(String recipient) {
        Notification n = new Notification(recipient, "hello " + recipient);
        inTransaction(em -> em.persist(n));
        return n;
    }

    private Payment newPayment(String amount) {
        return new Payment(UUID.randomUUID(), new BigDecimal(amount), "EUR", PaymentMethod.CARD);
    }

    private String localProductName(long id) {
        return (String) SqliteFiles.rows(localUrl, "select name from product where id = ?", id).get(0).get("name");
    }

    // ---- find ----------------------------------------------------------------------------------------

    @Test
    void find_reads_a_local_entity_from_the_sqlite_file() {
        Product p = persistProduct(unique("FIND"));
        SqliteFiles.update(localUrl, "update product set name = 'changed in sqlite' where id = ?", p.getId());

        Product found = read(em -> em.find(Product.class, p.getId()));

        assertThat(found.getName()).isEqualTo("changed in sqlite");
        assertThat(remoteCount("product", "id = ?", p.getId())).isZero();
    }

    @Test
    void find_reads_a_remote_entity_from_postgresql() {
        UUID id = UUID.randomUUID();
        PostgresTestDatabase.update(schema,
                "insert into audit_event (id, event_type, detail, occurred_at) values (?, 'only-in-pg', 'remote row', now())", id);

        AuditEvent found = read(em -> em.find(AuditEvent.class, id));

        assertThat(found).isNotNull();
        assertThat(found.getDetail()).isEqualTo("remote row");
        assertThat(localCount("audit_event", "id = ?", uuidBytes(id))).isZero();
    }

    @Test
    void find_with_a_lock_mode_locks_on_the_read_side_and_get_lock_mode_reports_it() {
        Product p = persistProduct(unique("LOCK"));
        AuditEvent e = persistAuditEvent(unique("lock"));

        inTransaction(em -> {
            Product local = em.find(Product.class, p.getId(), LockModeType.OPTIMISTIC);
            AuditEvent remote = em.find(AuditEvent.class, e.getId(), LockModeType.PESSIMISTIC_WRITE);

            assertThat(local.getSku()).isEqualTo(p.getSku());
            assertThat(remote.getType()).isEqualTo(e.getType());
            assertThat(em.getLockMode(local)).isEqualTo(LockModeType.OPTIMISTIC);
            assertThat(em.getLockMode(remote)).isEqualTo(LockModeType.PESSIMISTIC_WRITE);
            assertThat(em.unwrap(Session.class).contains(local)).isTrue();
            assertThat(((Session) em.remote()).contains(remote)).isTrue();
        });
    }

    @Test
    void find_with_a_properties_map_applies_the_hints_on_either_side() {
        Product p = persistProduct(unique("PROPS"));
        AuditEvent e = persistAuditEvent(unique("props"));
        Map<String, Object> readOnly = Map.of("org.hibernate.readOnly", true);

        inTransaction(em -> {
            Product local = em.find(Product.class, p.getId(), readOnly);
            AuditEvent remote = em.find(AuditEvent.class, e.getId(), readOnly);

            assertThat(local.getName()).isEqualTo(p.getName());
            assertThat(remote.getDetail()).isEqualTo(e.getDetail());
            assertThat(em.unwrap(Session.class).isReadOnly(local)).isTrue();
            assertThat(((Session) em.remote()).isReadOnly(remote)).isTrue();

            // read-only: these changes must not be flushed anywhere
            local.setName("not written");
            remote.setDetail("not written");
        });

        assertThat(localProductName(p.getId())).isEqualTo(p.getName());
        assertThat(remoteCount("audit_event", "id = ? and detail = ?", e.getId(), e.getDetail())).isEqualTo(1);
    }

    @Test
    void find_of_a_missing_id_returns_null_on_either_side() {
        assertThat(this.<Product>read(em -> em.find(Product.class, Long.MAX_VALUE))).isNull();
        assertThat(this.<AuditEvent>read(em -> em.find(AuditEvent.class, UUID.randomUUID()))).isNull();
    }

    // ---- getReference ---------------------------------------------------------------------------------

    @Test
    void get_reference_is_lazy_and_initializes_from_the_read_side() {
        Product p = persistProduct(unique("REF"));
        UUID auditId = UUID.randomUUID();
        PostgresTestDatabase.update(schema,
                "insert into audit_event (id, event_type, detail, occurred_at) values (?, 'ref-type', 'ref detail', now())", auditId);
        SqliteFiles.update(localUrl, "update product set name = 'ref name in sqlite' where id = ?", p.getId());

        read(em -> {
            Product localRef = em.getReference(Product.class, p.getId());
            AuditEvent remoteRef = em.getReference(AuditEvent.class, auditId);

            assertThat(Hibernate.isInitialized(localRef)).isFalse();
            assertThat(Hibernate.isInitialized(remoteRef)).isFalse();
            assertThat(em.contains(localRef)).isTrue();
            assertThat(em.contains(remoteRef)).isTrue();

            assertThat(localRef.getName()).isEqualTo("ref name in sqlite");
            assertThat(remoteRef.getDetail()).isEqualTo("ref detail");
            assertThat(Hibernate.isInitialized(localRef)).isTrue();
            assertThat(Hibernate.isInitialized(remoteRef)).isTrue();
            return null;
        });
    }

    // ---- persist ------------------------------------------------------------------------------------------

    @Test
    void persist_writes_a_local_entity_to_sqlite_and_a_remote_entity_to_postgresql_only() {
        Product p = new Product(unique("PERSIST"), "persisted", new BigDecimal("3.50"), Category.TOYS);
        Notification n = new Notification(unique("persist") + "@example.com", "persisted");

        inTransaction(em -> {
            em.persist(p);
            em.persist(n);
            assertThat(em.contains(p)).isTrue();
            assertThat(em.contains(n)).isTrue();
        });

        assertThat(localCount("product", "id = ? and sku = ? and price = 3.5 and version = 0", p.getId(), p.getSku())).isEqualTo(1);
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(remoteCount("notification", "id = ? and recipient = ? and sent = false", n.getId(), n.getRecipient())).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
    }

    @Test
    void persist_of_a_product_with_tags_and_labels_round_trips_locally() {
        Tag red = new Tag(unique("red"));
        Tag sale = new Tag(unique("sale"));
        Product p = new Product(unique("TAGGED"), "tagged", new BigDecimal("7.25"), Category.CLOTHING)
                .addTag(red).addTag(sale).addLabel("cotton").addLabel("summer");

        inTransaction(em -> {
            em.persist(red);
            em.persist(sale);
            em.persist(p);
        });

        assertThat(localCount("product_tag", "product_id = ?", p.getId())).isEqualTo(2);
        assertThat(SqliteFiles.rows(localUrl, "select t.name from product_tag pt join tag t on t.id = pt.tag_id where pt.product_id = ?"
                + " order by t.name", p.getId()))
                .extracting(r -> r.get("name")).containsExactly(red.getName(), sale.getName());
        assertThat(SqliteFiles.rows(localUrl, "select label from product_label where product_id = ? order by label", p.getId()))
                .extracting(r -> r.get("label")).containsExactly("cotton", "summer");
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isZero();

        read(em -> {
            Product loaded = em.find(Product.class, p.getId());
            assertThat(loaded.getTags()).extracting(Tag::getName).containsExactlyInAnyOrder(red.getName(), sale.getName());
            assertThat(loaded.getLabels()).containsExactlyInAnyOrder("cotton", "summer");
            assertThat(loaded.getPrice()).isEqualByComparingTo("7.25");
            assertThat(loaded.getCategory()).isEqualTo(Category.CLOTHING);
            assertThat(loaded.getCreatedAt()).isEqualTo(p.getCreatedAt());
            return null;
        });
    }

    @Test
    void persist_of_an_order_cascades_its_lines_and_round_trips_locally() {
        Customer c = new Customer("Ada Lovelace", unique("ada") + "@example.com");
        Product book = new Product(unique("BOOK"), "book", new BigDecimal("12.00"), Category.BOOKS);
        PurchaseOrder order = new PurchaseOrder(c);
        order.addLine(book, 2, new BigDecimal("12.00"));
        order.addLine(null, 1, new BigDecimal("0.50"));

        inTransaction(em -> {
            em.persist(c);
            em.persist(book);
            em.persist(order);
        });

        assertThat(localCount("purchase_order", "id = ? and total = 24.5", uuidBytes(order.getId()))).isEqualTo(1);
        assertThat(localCount("order_line", "order_id = ?", uuidBytes(order.getId()))).isEqualTo(2);
        assertThat(localCount("order_line", "order_id = ? and product_id = ? and quantity = 2", uuidBytes(order.getId()), book.getId()))
                .isEqualTo(1);
        assertThat(remoteCount("purchase_order", "id = ?", order.getId())).isZero();

        read(em -> {
            PurchaseOrder loaded = em.find(PurchaseOrder.class, order.getId());
            assertThat(loaded.getTotal()).isEqualByComparingTo("24.50");
            assertThat(loaded.getCustomer().getName()).isEqualTo("Ada Lovelace");
            assertThat(loaded.getLines()).hasSize(2);
            assertThat(loaded.getLines()).extracting(OrderLine::getQuantity).containsExactlyInAnyOrder(2, 1);
            assertThat(loaded.getLines()).filteredOn(l -> l.getProduct() != null)
                    .singleElement().extracting(l -> l.getProduct().getSku()).isEqualTo(book.getSku());
            return null;
        });
    }

    // ---- merge --------------------------------------------------------------------------------------------

    @Test
    void merge_of_a_detached_local_entity_updates_sqlite() {
        Product p = persistProduct(unique("MERGE"));
        Product detached = read(em -> em.find(Product.class, p.getId()));
        detached.setName("merged name");

        Product merged = read(em -> {
            em.getTransaction().begin();
            Product m = em.merge(detached);
            assertThat(m).isNotSameAs(detached);
            assertThat(em.contains(m)).isTrue();
            assertThat(em.contains(detached)).isFalse();
            em.getTransaction().commit();
            return m;
        });

        assertThat(merged.getVersion()).isEqualTo(1);
        assertThat(localCount("product", "id = ? and name = 'merged name' and version = 1", p.getId())).isEqualTo(1);
        assertThat(remoteCount("product", "id = ?", p.getId())).isZero();
    }

    @Test
    void merge_of_a_detached_remote_entity_updates_postgresql() {
        AuditEvent e = persistAuditEvent(unique("merge"));
        AuditEvent detached = read(em -> em.find(AuditEvent.class, e.getId()));
        detached.setDetail("merged detail");

        inTransaction(em -> em.merge(detached));

        assertThat(remoteCount("audit_event", "id = ? and detail = 'merged detail'", e.getId())).isEqualTo(1);
        assertThat(localCount("audit_event", "id = ?", uuidBytes(e.getId()))).isZero();
    }

    @Test
    void merge_of_a_detached_dual_payment_reaches_both_sides_with_equal_versions() {
        Payment pay = newPayment("40.00");
        inTransaction(em -> em.persist(pay));
        Payment detached = read(em -> em.find(Payment.class, pay.getId()));
        detached.setAmount(new BigDecimal("41.00"));

        inTransaction(em -> em.merge(detached));

        assertThat(localCount("payment", "id = ? and amount = 41 and version = 1", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 41.00 and version = 1", pay.getId())).isEqualTo(1);
    }

    // ---- DUAL update and remove, REMOTE dirty checking ------------------------------------------------------

    @Test
    void an_update_and_a_remove_of_a_dual_payment_reach_both_sides() {
        Payment pay = newPayment("50.00");
        inTransaction(em -> em.persist(pay));

        inTransaction(em -> {
            Payment p = em.find(Payment.class, pay.getId());
            p.setCurrency("USD");
            p.setReceipt(new byte[]{1, 2, 3});
        });
        assertThat(localCount("payment", "id = ? and currency = 'USD' and version = 1 and receipt = ?",
                uuidBytes(pay.getId()), new byte[]{1, 2, 3})).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and currency = 'USD' and version = 1 and receipt = ?",
                pay.getId(), new byte[]{1, 2, 3})).isEqualTo(1);

        inTransaction(em -> em.remove(em.find(Payment.class, pay.getId())));
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
    }

    @Test
    void a_remote_entity_changed_after_find_is_updated_in_postgresql_at_commit() {
        Notification n = persistNotification(unique("sent") + "@example.com");
        assertThat(remoteCount("notification", "id = ? and sent = false", n.getId())).isEqualTo(1);

        inTransaction(em -> em.find(Notification.class, n.getId()).setSent(true));

        assertThat(remoteCount("notification", "id = ? and sent = true", n.getId())).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
    }

    // ---- remove -------------------------------------------------------------------------------------------

    @Test
    void remove_deletes_a_local_entity_from_sqlite_and_a_remote_entity_from_postgresql() {
        Product p = persistProduct(unique("REMOVE"));
        AuditEvent e = persistAuditEvent(unique("remove"));
        assertThat(localCount("product", "id = ?", p.getId())).isEqualTo(1);
        assertThat(remoteCount("audit_event", "id = ?", e.getId())).isEqualTo(1);

        inTransaction(em -> {
            Product local = em.find(Product.class, p.getId());
            AuditEvent remote = em.find(AuditEvent.class, e.getId());
            em.remove(local);
            em.remove(remote);
            assertThat(em.contains(local)).isFalse();
            assertThat(em.contains(remote)).isFalse();
        });

        assertThat(localCount("product", "id = ?", p.getId())).isZero();
        assertThat(remoteCount("audit_event", "id = ?", e.getId())).isZero();
    }

    // ---- refresh ------------------------------------------------------------------------------------------

    @Test
    void refresh_rereads_a_local_entity_changed_directly_in_sqlite() {
        Product p = persistProduct(unique("REFRESH"));

        read(em -> {
            Product managed = em.find(Product.class, p.getId());
            assertThat(managed.getName()).isEqualTo(p.getName());
            SqliteFiles.update(localUrl, "update product set name = 'refreshed locally', version = version + 1 where id = ?", p.getId());

            em.refresh(managed);

            assertThat(managed.getName()).isEqualTo("refreshed locally");
            assertThat(managed.getVersion()).isEqualTo(1);
            return null;
        });
    }

    @Test
    void refresh_rereads_a_remote_entity_changed_directly_in_postgresql() {
        AuditEvent e = persistAuditEvent(unique("refresh"));

        read(em -> {
            AuditEvent managed = em.find(AuditEvent.class, e.getId());
            assertThat(managed.getDetail()).isEqualTo(e.getDetail());
            PostgresTestDatabase.update(schema, "update audit_event set detail = 'refreshed remotely' where id = ?", e.getId());

            em.refresh(managed);

            assertThat(managed.getDetail()).isEqualTo("refreshed remotely");
            return null;
        });
    }

    // ---- lock ---------------------------------------------------------------------------------------------

    @Test
    void lock_with_optimistic_force_increment_bumps_the_version_of_a_local_entity() {
        Product p = persistProduct(unique("FORCE"));

        inTransaction(em -> {
            Product managed = em.find(Product.class, p.getId());
            em.lock(managed, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
            assertThat(em.getLockMode(managed)).isEqualTo(LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        });

        assertThat(localCount("product", "id = ? and version = 1 and name = ?", p.getId(), p.getName())).isEqualTo(1);
    }

    @Test
    void lock_with_optimistic_force_increment_of_a_dual_payment_bumps_the_version_on_both_sides() {
        Payment pay = newPayment("60.00");
        inTransaction(em -> em.persist(pay));

        inTransaction(em -> em.lock(em.find(Payment.class, pay.getId()), LockModeType.OPTIMISTIC_FORCE_INCREMENT));

        assertThat(localCount("payment", "id = ? and version = 1", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and version = 1", pay.getId())).isEqualTo(1);
    }

    @Test
    void a_dual_payment_updated_after_a_forced_version_increment_still_reaches_both_sides() {
        Payment pay = newPayment("65.00");
        inTransaction(em -> em.persist(pay));
        inTransaction(em -> em.lock(em.find(Payment.class, pay.getId()), LockModeType.OPTIMISTIC_FORCE_INCREMENT));

        inTransaction(em -> em.find(Payment.class, pay.getId()).setAmount(new BigDecimal("66.00")));

        assertThat(localCount("payment", "id = ? and amount = 66 and version = 2", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 66.00 and version = 2", pay.getId())).isEqualTo(1);
    }

    @Test
    void lock_with_pessimistic_write_on_a_remote_entity_is_reported_by_get_lock_mode() {
        AuditEvent e = persistAuditEvent(unique("pessimistic"));

        inTransaction(em -> {
            AuditEvent managed = em.find(AuditEvent.class, e.getId());
            assertThat(em.getLockMode(managed)).isNotEqualTo(LockModeType.PESSIMISTIC_WRITE);
            em.lock(managed, LockModeType.PESSIMISTIC_WRITE);
            assertThat(em.getLockMode(managed)).isEqualTo(LockModeType.PESSIMISTIC_WRITE);

            // the row lock is really held in PostgreSQL: another connection cannot take it
            assertThatThrownBy(() -> PostgresTestDatabase.rows(schema, "select id from audit_event where id = ? for update nowait", e.getId()))
                    .rootCause().hasMessageContaining("could not obtain lock");
        });
        // released at commit
        assertThat(PostgresTestDatabase.rows(schema, "select id from audit_event where id = ? for update nowait", e.getId())).hasSize(1);
    }

    // ---- detach, contains, clear --------------------------------------------------------------------------

    @Test
    void contains_is_true_for_managed_instances_of_both_sides_and_false_after_detach() {
        Product p = persistProduct(unique("DETACH"));
        AuditEvent e = persistAuditEvent(unique("detach"));

        inTransaction(em -> {
            Product local = em.find(Product.class, p.getId());
            AuditEvent remote = em.find(AuditEvent.class, e.getId());
            assertThat(em.contains(local)).isTrue();
            assertThat(em.contains(remote)).isTrue();

            em.detach(local);
            em.detach(remote);

            assertThat(em.contains(local)).isFalse();
            assertThat(em.contains(remote)).isFalse();
            // changes to detached instances are not written at commit
            local.setName("detached change");
            remote.setDetail("detached change");
        });

        assertThat(localProductName(p.getId())).isEqualTo(p.getName());
        assertThat(remoteCount("audit_event", "id = ? and detail = ?", e.getId(), e.getDetail())).isEqualTo(1);
    }

    @Test
    void clear_detaches_the_instances_of_both_sides_and_drops_their_unflushed_changes() {
        Product p = persistProduct(unique("CLEAR"));
        Notification n = persistNotification(unique("clear") + "@example.com");

        inTransaction(em -> {
            Product local = em.find(Product.class, p.getId());
            Notification remote = em.find(Notification.class, n.getId());
            local.setName("cleared change");
            remote.setSent(true);

            em.clear();

            assertThat(em.contains(local)).isFalse();
            assertThat(em.contains(remote)).isFalse();
        });

        assertThat(localProductName(p.getId())).isEqualTo(p.getName());
        assertThat(remoteCount("notification", "id = ? and sent = false", n.getId())).isEqualTo(1);
    }

    // ---- flush ----------------------------------------------------------------------------------------------

    @Test
    void flush_inside_a_transaction_makes_a_dual_row_visible_to_native_queries_on_both_sides_before_commit() {
        Payment pay = newPayment("70.00");

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(pay);
            em.flush();

            Number local = (Number) em.createNativeQuery("select count(*) from payment where id = ?")
                    .setParameter(1, uuidBytes(pay.getId())).getSingleResult();
            Number remote = (Number) em.remote().createNativeQuery("select count(*) from payment where id = ?")
                    .setParameter(1, pay.getId()).getSingleResult();
            assertThat(local.longValue()).isEqualTo(1);
            assertThat(remote.longValue()).isEqualTo(1);
            // not committed yet: other connections do not see it
            assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
            assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();

            em.getTransaction().commit();
        }

        assertThat(localCount("payment", "id = ? and version = 0", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and version = 0", pay.getId())).isEqualTo(1);
    }

    // ---- the sides ---------------------------------------------------------------------------------------------

    @Test
    void local_and_remote_give_sessions_that_see_their_own_database() {
        String type = unique("native");
        PostgresTestDatabase.update(schema,
                "insert into audit_event (id, event_type, detail, occurred_at) values (?, ?, 'x', now())", UUID.randomUUID(), type);
        long remoteRows = PostgresTestDatabase.count(schema, "audit_event");
        long localRows = SqliteFiles.count(localUrl, "audit_event");

        read(em -> {
            Number onRemote = (Number) em.remote().createNativeQuery("select count(*) from audit_event").getSingleResult();
            Number onLocal = (Number) em.local().createNativeQuery("select count(*) from audit_event").getSingleResult();
            Number typedOnRemote = (Number) em.remote().createNativeQuery("select count(*) from audit_event where event_type = ?")
                    .setParameter(1, type).getSingleResult();
            Number typedOnLocal = (Number) em.local().createNativeQuery("select count(*) from audit_event where event_type = ?")
                    .setParameter(1, type).getSingleResult();

            assertThat(onRemote.longValue()).isEqualTo(remoteRows).isPositive();
            assertThat(onLocal.longValue()).isEqualTo(localRows);
            assertThat(typedOnRemote.longValue()).isEqualTo(1);
            assertThat(typedOnLocal.longValue()).isZero();
            return null;
        });
    }

    @Test
    void unwrap_gives_the_routed_session_and_the_factory_gives_both_session_factories() {
        SessionFactory localFactory = emf.localFactory();
        SessionFactory remoteFactory = emf.remoteFactory();

        assertThat(localFactory).isNotNull().isNotSameAs(remoteFactory);
        assertThat(((SessionFactoryImplementor) localFactory).getJdbcServices().getDialect()).isInstanceOf(SQLiteDialect.class);
        assertThat(((SessionFactoryImplementor) remoteFactory).getJdbcServices().getDialect()).isInstanceOf(PostgreSQLDialect.class);
        assertThat(emf.unwrap(SessionFactory.class)).isSameAs(localFactory);
        assertThat(emf.unwrap(CompositeEntityManagerFactory.class)).isSameAs(emf);

        read(em -> {
            Session session = em.unwrap(Session.class);
            assertThat(session).as("routed, not one side's (issue 10, item 8)").isNotSameAs(em.local());
            assertThat(session.getSessionFactory()).isSameAs(localFactory);
            assertThat(((Session) em.remote()).getSessionFactory()).isSameAs(remoteFactory);
            assertThat(em.unwrap(CompositeEntityManager.class)).isSameAs(em);
            assertThat(em.getEntityManagerFactory()).isSameAs(emf);
            return null;
        });
    }

    // ---- transactions ------------------------------------------------------------------------------------------

    @Test
    void rollback_leaves_nothing_on_either_side_for_a_dual_entity_even_after_a_flush() {
        Payment pay = newPayment("80.00");

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(pay);
            em.flush();
            em.getTransaction().rollback();
            assertThat(em.getTransaction().isActive()).isFalse();
        }

        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
    }

    @Test
    void set_rollback_only_then_commit_throws_rollback_exception_and_writes_nothing() {
        Payment pay = newPayment("90.00");
        Product p = new Product(unique("RBONLY"), "rollback only", BigDecimal.ONE, Category.GROCERY);
        AuditEvent e = new AuditEvent(unique("rbonly"), "rollback only");

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(pay);
            em.persist(p);
            em.persist(e);
            em.getTransaction().setRollbackOnly();
            assertThat(em.getTransaction().getRollbackOnly()).isTrue();

            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(RollbackException.class);
            assertThat(em.getTransaction().isActive()).isFalse();
        }

        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(remoteCount("audit_event", "id = ?", e.getId())).isZero();
    }

    @Test
    void commit_without_begin_throws_illegal_state_exception() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            assertThat(em.getTransaction().isActive()).isFalse();
            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> em.getTransaction().rollback()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_local_unique_violation_at_commit_fails_the_commit_and_writes_no_dual_row_remotely() {
        Product first = persistProduct(unique("UNIQ-A"));
        Product second = persistProduct(unique("UNIQ-B"));
        Payment pay = newPayment("100.00");

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(pay);
            em.find(Product.class, second.getId()).setSku(first.getSku());

            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(jakarta.persistence.PersistenceException.class);
            assertThat(em.getTransaction().isActive()).isFalse();
        }

        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(localCount("product", "id = ? and sku = ?", second.getId(), second.getSku())).isEqualTo(1);
    }

    @Test
    void a_duplicate_sku_persisted_beside_a_dual_payment_makes_commit_fail_with_nothing_written_remotely() {
        Product first = persistProduct(unique("DUP"));
        Product duplicate = new Product(first.getSku(), "duplicate", BigDecimal.TEN, Category.TOYS);
        Payment pay = newPayment("110.00");

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(pay);
            // IDENTITY ids insert at once, so the unique violation surfaces here; JPA marks the transaction for rollback
            assertThatThrownBy(() -> em.persist(duplicate)).isInstanceOf(jakarta.persistence.PersistenceException.class);

            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(RollbackException.class);
            assertThat(em.getTransaction().isActive()).isFalse();
        }

        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(localCount("product", "sku = ?", first.getSku())).isEqualTo(1);
    }
}
