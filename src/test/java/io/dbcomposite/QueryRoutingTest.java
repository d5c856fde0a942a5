package io.dbcomposite;

import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Tag;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.ParameterExpression;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the composite entity manager routes JPQL, Criteria, named and native queries and bulk statements: each
 * test puts rows straight into SQLite or PostgreSQL (or different rows under the same key into both), so the
 * result shows which database answered.
 */
class QueryRoutingTest extends CompositeTestBase {

    /** A product row written straight into the SQLite file. */
    private void insertLocalProduct(String sku, String name) {
        SqliteFiles.update(localUrl, "insert into product (active, category, created_at, name, price, sku, version)"
                + " values (1, 'BOOKS', '2024-01-01 00:00:00.000', ?, 1.00, ?, 0)", name, sku);
    }

    /** A product row written straight into PostgreSQL. */
    private void insertRemoteProduct(String sku, String name) {
        PostgresTestDatabase.update(schema, "insert into product (active, category, created_at, name, price, sku, version)"
                + " values (true, 'BOOKS', now(), ?, 1.00, ?, 0)", name, sku);
    }

    /** An audit event row written straight into PostgreSQL. */
    private UUID insertRemoteAuditEvent(String type, String detail) {
        UUID id = UUID.randomUUID();
        PostgresTestDatabase.update(schema,
                "insert into audit_event (id, event_type, detail, occurred_at) values (?, ?, ?, now())", id, type, detail);
        return id;
    }

    /** An audit event row written straight into the SQLite file (where AuditEvent is never read from). */
    private void insertLocalAuditEvent(String type, String detail) {
        SqliteFiles.update(localUrl, "insert into audit_event (id, event_type, detail, occurred_at)"
                + " values (?, ?, ?, '2024-01-01 00:00:00.000')", uuidBytes(UUID.randomUUID()), type, detail);
    }

    private Payment persistPayment(String amount) {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal(amount), "EUR", PaymentMethod.BANK_TRANSFER);
        inTransaction(em -> em.persist(pay));
        return pay;
    }

    // ---- JPQL selects -------------------------------------------------------------------------------

    @Test
    void a_jpql_select_on_a_local_root_reads_the_sqlite_file() {
        String sku = unique("JPQL");
        insertLocalProduct(sku, "local name");
        insertRemoteProduct(sku, "remote name");

        List<Object> names = read(em -> em.createQuery("select p.name from Product p where p.sku = :sku")
                .setParameter("sku", sku).getResultList());

        assertThat(names).containsExactly((Object) "local name");
    }

    @Test
    void a_jpql_select_on_a_remote_root_reads_postgresql() {
        String type = unique("jpql");
        insertRemoteAuditEvent(type, "remote detail");
        insertLocalAuditEvent(type, "local detail");

        List<Object> details = read(em -> em.createQuery("select a.detail from AuditEvent a where a.type = :type")
                .setParameter("type", type).getResultList());

        assertThat(details).containsExactly((Object) "remote detail");
    }

    @Test
    void a_typed_query_goes_to_the_read_side_of_its_root() {
        String sku = unique("TYPED");
        insertLocalProduct(sku, "typed local");
        insertRemoteProduct(sku, "typed remote");
        String type = unique("typed");
        UUID auditId = insertRemoteAuditEvent(type, "typed remote detail");
        insertLocalAuditEvent(type, "typed local detail");

        read(em -> {
            Product p = em.createQuery("select p from Product p where p.sku = :sku", Product.class)
                    .setParameter("sku", sku).getSingleResult();
            AuditEvent a = em.createQuery("select a from AuditEvent a where a.type = :type", AuditEvent.class)
                    .setParameter("type", type).getSingleResult();
            long remoteCount = em.createQuery("select count(a) from AuditEvent a where a.type = :type", Long.class)
                    .setParameter("type", type).getSingleResult();

            assertThat(p.getName()).isEqualTo("typed local");
            assertThat(a.getId()).isEqualTo(auditId);
            assertThat(a.getDetail()).isEqualTo("typed remote detail");
            assertThat(remoteCount).isEqualTo(1);
            assertThat(em.contains(p)).isTrue();
            assertThat(em.contains(a)).isTrue();
            return null;
        });
    }

    // ---- Criteria selects ----------------------------------------------------------------------------

    @Test
    void a_criteria_query_on_a_local_root_with_a_literal_reads_the_sqlite_file() {
        String sku = unique("CRIT");
        insertLocalProduct(sku, "criteria local");
        insertRemoteProduct(sku, "criteria remote");

        List<Product> found = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<Product> q = cb.createQuery(Product.class);
            Root<Product> p = q.from(Product.class);
            q.select(p).where(cb.equal(p.get("sku"), sku));
            return em.createQuery(q).getResultList();
        });

        assertThat(found).extracting(Product::getName).containsExactly("criteria local");
    }

    @Test
    void a_criteria_query_on_a_local_root_with_a_parameter_reads_the_sqlite_file() {
        String sku = unique("CRITP");
        insertLocalProduct(sku, "criteria param local");
        insertRemoteProduct(sku, "criteria param remote");

        List<String> found = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<Product> p = q.from(Product.class);
            ParameterExpression<String> skuParam = cb.parameter(String.class, "sku");
            q.select(p.get("name")).where(cb.equal(p.get("sku"), skuParam));
            return em.createQuery(q).setParameter(skuParam, sku).getResultList();
        });

        assertThat(found).containsExactly("criteria param local");
    }

    @Test
    void a_criteria_query_on_a_remote_root_with_a_literal_is_reissued_on_postgresql() {
        String type = unique("crit");
        UUID id = insertRemoteAuditEvent(type, "criteria remote detail");
        insertLocalAuditEvent(type, "criteria local detail");

        List<AuditEvent> found = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<AuditEvent> q = cb.createQuery(AuditEvent.class);
            Root<AuditEvent> a = q.from(AuditEvent.class);
            q.select(a).where(cb.equal(a.get("type"), type));
            return em.createQuery(q).getResultList();
        });

        assertThat(found).extracting(AuditEvent::getId).containsExactly(id);
        assertThat(found).extracting(AuditEvent::getDetail).containsExactly("criteria remote detail");
    }

    @Test
    void a_criteria_query_on_a_remote_root_with_a_named_parameter_is_reissued_on_postgresql() {
        String type = unique("critn");
        insertRemoteAuditEvent(type, "named remote detail");
        insertLocalAuditEvent(type, "named local detail");

        List<String> found = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<AuditEvent> a = q.from(AuditEvent.class);
            q.select(a.get("detail")).where(cb.equal(a.get("type"), cb.parameter(String.class, "type")));
            return em.createQuery(q).setParameter("type", type).getResultList();
        });

        assertThat(found).containsExactly("named remote detail");
    }

    @Test
    void a_criteria_query_on_a_remote_root_binds_its_parameter_expression_on_postgresql() {
        String type = unique("critp");
        insertRemoteAuditEvent(type, "bound remote detail");
        insertLocalAuditEvent(type, "bound local detail");

        List<String> found = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<AuditEvent> a = q.from(AuditEvent.class);
            ParameterExpression<String> typeParam = cb.parameter(String.class);
            q.select(a.get("detail")).where(cb.equal(a.get("type"), typeParam));
            return em.createQuery(q).setParameter(typeParam, type).getResultList();
        });

        assertThat(found).containsExactly("bound remote detail");
    }

    @Test
    void a_criteria_count_on_a_remote_root_counts_the_postgresql_rows() {
        String type = unique("critc");
        insertRemoteAuditEvent(type, "one");
        insertRemoteAuditEvent(type, "two");
        insertLocalAuditEvent(type, "local only");

        long count = read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<Long> q = cb.createQuery(Long.class);
            Root<AuditEvent> a = q.from(AuditEvent.class);
            q.select(cb.count(a)).where(cb.equal(a.get("type"), cb.parameter(String.class, "type")));
            return em.createQuery(q).setParameter("type", type).getSingleResult();
        });

        assertThat(count).isEqualTo(2);
    }

    // ---- named and native queries -------------------------------------------------------------------

    @Test
    void the_named_query_product_by_sku_reads_the_sqlite_file() {
        String sku = unique("NAMED");
        insertLocalProduct(sku, "named local");
        insertRemoteProduct(sku, "named remote");

        read(em -> {
            Product typed = em.createNamedQuery("Product.bySku", Product.class).setParameter("sku", sku).getSingleResult();
            Object untyped = em.createNamedQuery("Product.bySku").setParameter("sku", sku).getSingleResult();

            assertThat(typed.getName()).isEqualTo("named local");
            assertThat(untyped).isSameAs(typed);
            return null;
        });
    }

    @Test
    void a_native_query_goes_to_the_local_database() {
        String sku = unique("NATIVE");
        insertLocalProduct(sku, "native local");
        insertRemoteProduct(sku, "native remote");
        String type = unique("native");
        insertRemoteAuditEvent(type, "only in postgresql");

        read(em -> {
            Object name = em.createNativeQuery("select name from product where sku = ?").setParameter(1, sku).getSingleResult();
            Number remoteOnly = (Number) em.createNativeQuery("select count(*) from audit_event where event_type = ?")
                    .setParameter(1, type).getSingleResult();
            Product entity = (Product) em.createNativeQuery("select * from product where sku = ?", Product.class)
                    .setParameter(1, sku).getSingleResult();

            assertThat(name).isEqualTo("native local");
            assertThat(remoteOnly.longValue()).isZero();
            assertThat(entity.getName()).isEqualTo("native local");
            return null;
        });
    }

    // ---- queries over both sides are refused -----------------------------------------------------------

    @Test
    void a_query_with_roots_on_both_sides_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p, a from Product p, AuditEvent a").getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_query_naming_a_remote_entity_only_in_a_subquery_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p from Product p where exists (select a from AuditEvent a)",
                Product.class).getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_query_naming_a_remote_entity_only_in_a_correlated_subquery_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> em.createQuery(
                "select p from Product p where p.name in (select a.type from AuditEvent a where a.detail = p.sku)",
                Product.class).getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_query_joining_a_remote_entity_explicitly_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p from Product p join AuditEvent a on a.type = p.name",
                Product.class).getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_criteria_query_with_a_remote_subquery_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<Product> q = cb.createQuery(Product.class);
            Root<Product> p = q.from(Product.class);
            Subquery<String> sub = q.subquery(String.class);
            Root<AuditEvent> a = sub.from(AuditEvent.class);
            sub.select(a.get("type"));
            q.select(p).where(p.get("name").in(sub));
            return em.createQuery(q).getResultList();
        }))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_union_over_a_local_and_a_remote_entity_is_refused_naming_both_entities() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p.name from Product p union select a.type from AuditEvent a",
                String.class).getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_union_of_two_local_entities_is_allowed_and_reads_the_sqlite_file() {
        String sku = unique("UNION");
        insertLocalProduct(sku, "union product " + sku);
        insertRemoteProduct(sku, "remote union product " + sku);
        Tag tag = new Tag("union tag " + sku);
        inTransaction(em -> em.persist(tag));

        List<String> names = read(em -> em.createQuery(
                        "select p.name from Product p where p.sku = :sku union select t.name from Tag t where t.name = :tag",
                        String.class)
                .setParameter("sku", sku)
                .setParameter("tag", tag.getName())
                .getResultList());

        assertThat(names).containsExactlyInAnyOrder("union product " + sku, "union tag " + sku);
    }

    // ---- bulk update and delete -------------------------------------------------------------------------

    @Test
    void a_bulk_update_and_delete_of_a_local_only_entity_runs_on_the_sqlite_file() {
        String title = unique("bulk-draft");
        Draft d1 = new Draft(title, "one");
        Draft d2 = new Draft(title, "two");
        Draft other = new Draft(unique("other-draft"), "untouched");
        inTransaction(em -> {
            em.persist(d1);
            em.persist(d2);
            em.persist(other);
        });

        int updated = this.<Integer>readInTransaction(em -> em.createQuery("update Draft d set d.body = 'bulk' where d.title = :title")
                .setParameter("title", title).executeUpdate());

        assertThat(updated).isEqualTo(2);
        assertThat(localCount("draft", "title = ? and body = 'bulk'", title)).isEqualTo(2);
        assertThat(localCount("draft", "id = ? and body = 'untouched'", other.getId())).isEqualTo(1);
        assertThat(remoteCount("draft", "title = ?", title)).isZero();

        int deleted = this.<Integer>readInTransaction(em -> em.createQuery("delete from Draft d where d.title = :title")
                .setParameter("title", title).executeUpdate());

        assertThat(deleted).isEqualTo(2);
        assertThat(localCount("draft", "title = ?", title)).isZero();
        assertThat(localCount("draft", "id = ?", other.getId())).isEqualTo(1);
    }

    @Test
    void a_bulk_update_and_delete_of_a_remote_only_entity_runs_on_postgresql() {
        String type = unique("bulk-audit");
        UUID a1 = insertRemoteAuditEvent(type, "one");
        UUID a2 = insertRemoteAuditEvent(type, "two");
        String otherType = unique("other-audit");
        UUID untouched = insertRemoteAuditEvent(otherType, "untouched");
        insertLocalAuditEvent(type, "local copy");

        int updated = this.<Integer>readInTransaction(em -> em.createQuery(
                        "update AuditEvent a set a.detail = 'bulk' where a.type = :type")
                .setParameter("type", type).executeUpdate());

        assertThat(updated).isEqualTo(2);
        assertThat(remoteCount("audit_event", "id in (?, ?) and detail = 'bulk'", a1, a2)).isEqualTo(2);
        assertThat(remoteCount("audit_event", "id = ? and detail = 'untouched'", untouched)).isEqualTo(1);
        assertThat(localCount("audit_event", "event_type = ? and detail = 'local copy'", type)).isEqualTo(1);

        int deleted = this.<Integer>readInTransaction(em -> em.createQuery("delete from AuditEvent a where a.type = :type")
                .setParameter("type", type).executeUpdate());

        assertThat(deleted).isEqualTo(2);
        assertThat(remoteCount("audit_event", "event_type = ?", type)).isZero();
        assertThat(remoteCount("audit_event", "id = ?", untouched)).isEqualTo(1);
        assertThat(localCount("audit_event", "event_type = ?", type)).isEqualTo(1);
    }

    @Test
    void a_bulk_update_or_delete_of_a_background_synced_local_entity_is_refused_naming_it() {
        String sku = unique("BULKP");
        insertLocalProduct(sku, "bulk product");

        assertThatThrownBy(() -> inTransaction(em -> em.createQuery("update Product p set p.name = 'bulk' where p.sku = :sku")
                .setParameter("sku", sku).executeUpdate()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("sync log");
        assertThatThrownBy(() -> inTransaction(em -> em.createQuery("delete from Product p where p.sku = :sku")
                .setParameter("sku", sku).executeUpdate()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("sync log");

        assertThat(localCount("product", "sku = ? and name = 'bulk product'", sku)).isEqualTo(1);
    }

    @Test
    void a_bulk_update_or_delete_of_a_dual_entity_is_refused_naming_it() {
        Payment pay = persistPayment("15.00");

        assertThatThrownBy(() -> inTransaction(em -> em.createQuery("update Payment p set p.amount = 1 where p.id = :id")
                .setParameter("id", pay.getId()).executeUpdate()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Payment");
        assertThatThrownBy(() -> inTransaction(em -> em.createQuery("delete from Payment p where p.id = :id")
                .setParameter("id", pay.getId()).executeUpdate()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Payment");

        assertThat(localCount("payment", "id = ? and amount = 15", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 15.00", pay.getId())).isEqualTo(1);
    }

    @Test
    void a_criteria_update_and_delete_of_a_local_only_entity_runs_on_the_sqlite_file() {
        String title = unique("crit-draft");
        Draft d = new Draft(title, "before");
        inTransaction(em -> em.persist(d));

        int updated = this.<Integer>readInTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaUpdate<Draft> u = cb.createCriteriaUpdate(Draft.class);
            Root<Draft> root = u.from(Draft.class);
            u.set(root.<String>get("body"), "after").where(cb.equal(root.get("title"), title));
            return em.createQuery(u).executeUpdate();
        });
        assertThat(updated).isEqualTo(1);
        assertThat(localCount("draft", "id = ? and body = 'after'", d.getId())).isEqualTo(1);

        int deleted = this.<Integer>readInTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaDelete<Draft> del = cb.createCriteriaDelete(Draft.class);
            Root<Draft> root = del.from(Draft.class);
            del.where(cb.equal(root.get("title"), title));
            return em.createQuery(del).executeUpdate();
        });
        assertThat(deleted).isEqualTo(1);
        assertThat(localCount("draft", "id = ?", d.getId())).isZero();
    }

    @Test
    void a_criteria_update_and_delete_of_a_remote_only_entity_is_reissued_on_postgresql() {
        String type = unique("crit-bulk-audit");
        UUID id = insertRemoteAuditEvent(type, "before");
        insertLocalAuditEvent(type, "local copy");

        int updated = this.<Integer>readInTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaUpdate<AuditEvent> u = cb.createCriteriaUpdate(AuditEvent.class);
            Root<AuditEvent> root = u.from(AuditEvent.class);
            u.set(root.<String>get("detail"), "after").where(cb.equal(root.get("type"), type));
            return em.createQuery(u).executeUpdate();
        });
        assertThat(updated).isEqualTo(1);
        assertThat(remoteCount("audit_event", "id = ? and detail = 'after'", id)).isEqualTo(1);
        assertThat(localCount("audit_event", "event_type = ? and detail = 'local copy'", type)).isEqualTo(1);

        int deleted = this.<Integer>readInTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaDelete<AuditEvent> del = cb.createCriteriaDelete(AuditEvent.class);
            Root<AuditEvent> root = del.from(AuditEvent.class);
            del.where(cb.equal(root.get("type"), type));
            return em.createQuery(del).executeUpdate();
        });
        assertThat(deleted).isEqualTo(1);
        assertThat(remoteCount("audit_event", "id = ?", id)).isZero();
        assertThat(localCount("audit_event", "event_type = ?", type)).isEqualTo(1);
    }

    @Test
    void a_criteria_update_or_delete_of_a_background_synced_local_entity_is_refused_naming_it() {
        String sku = unique("CRITBULKP");
        insertLocalProduct(sku, "criteria bulk product");

        assertThatThrownBy(() -> inTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaUpdate<Product> u = cb.createCriteriaUpdate(Product.class);
            Root<Product> root = u.from(Product.class);
            u.set(root.<String>get("name"), "bulk").where(cb.equal(root.get("sku"), sku));
            em.createQuery(u).executeUpdate();
        }))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("sync log");
        assertThatThrownBy(() -> inTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaDelete<Product> del = cb.createCriteriaDelete(Product.class);
            Root<Product> root = del.from(Product.class);
            del.where(cb.equal(root.get("sku"), sku));
            em.createQuery(del).executeUpdate();
        }))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("sync log");

        assertThat(localCount("product", "sku = ? and name = 'criteria bulk product'", sku)).isEqualTo(1);
    }

    @Test
    void a_criteria_update_or_delete_of_a_dual_entity_is_refused_naming_it() {
        Payment pay = persistPayment("25.00");

        assertThatThrownBy(() -> inTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaUpdate<Payment> u = cb.createCriteriaUpdate(Payment.class);
            Root<Payment> root = u.from(Payment.class);
            u.set(root.<BigDecimal>get("amount"), BigDecimal.ONE).where(cb.equal(root.get("id"), pay.getId()));
            em.createQuery(u).executeUpdate();
        }))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Payment");
        assertThatThrownBy(() -> inTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaDelete<Payment> del = cb.createCriteriaDelete(Payment.class);
            Root<Payment> root = del.from(Payment.class);
            del.where(cb.equal(root.get("id"), pay.getId()));
            em.createQuery(del).executeUpdate();
        }))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Payment");

        assertThat(localCount("payment", "id = ? and amount = 25", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 25.00", pay.getId())).isEqualTo(1);
    }

    /** Runs work in a committed transaction and returns its result. */
    private <R> R readInTransaction(java.util.function.Function<CompositeEntityManager, R> work) {
        Object[] result = new Object[1];
        inTransaction(em -> result[0] = work.apply(em));
        @SuppressWarnings("unchecked")
        R r = (R) result[0];
        return r;
    }
}
