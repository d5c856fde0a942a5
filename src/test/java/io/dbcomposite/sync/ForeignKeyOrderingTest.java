package io.dbcomposite.sync;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Address;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 2: changes reach PostgreSQL in local commit order, one local transaction per remote
 * transaction at most, and the foreign keys PostgreSQL enforces (SQLite has none) hold at every remote commit:
 * parents before children in one transaction and across transactions, re-parented children, a row deleted and
 * inserted again with the same id, children deleted before their parents. The batch size is 3, so most
 * backlogs and some transactions span several batches.
 */
class ForeignKeyOrderingTest extends SyncTestBase {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.clock(clock).property("dbcomposite.sync.batch-size", "3");
    }

    private static Product product(String sku) {
        return new Product(sku, "Product " + sku, new BigDecimal("12.50"), Category.BOOKS);
    }

    /** One sync() that must replay the whole backlog with no failure. */
    private SyncResult syncAll(long expectedChanges) {
        assertThat(emf.getSyncStatus().pendingChanges()).as("changes waiting before the sync").isEqualTo(expectedChanges);
        SyncResult r = emf.sync();
        assertThat(logCount("FAILED") + logCount("DEAD")).as("failed or dead changes, see " + failures()).isZero();
        assertThat(r.failed()).isZero();
        assertThat(r.deadLettered()).isZero();
        assertThat(r.applied()).isEqualTo((int) expectedChanges);
        assertThat(r.remaining()).isZero();
        return r;
    }

    private List<Map<String, Object>> failures() {
        return localRows("select id, entity_name, entity_id, operation, status, last_error from dbc_sync_log"
                + " where status in ('FAILED', 'DEAD') order by id");
    }

    private List<Map<String, Object>> localRows(String sql) {
        return SqliteFiles.rows(localUrl, sql);
    }

    @Test
    void the_remote_enforces_the_foreign_keys_that_the_local_sqlite_schema_lacks() {
        assertThat(PostgresTestDatabase.rows(schema, "select tc.table_name as t from information_schema.table_constraints tc"
                        + " where tc.constraint_schema = ? and tc.constraint_type = 'FOREIGN KEY'", schema))
                .extracting(row -> row.get("t"))
                .contains("purchase_order", "order_line", "product_tag", "product_label", "customer_phone");
    }

    @Test
    void parents_and_children_written_in_one_transaction_replay_with_the_remote_foreign_keys_holding() {
        Tag tag = new Tag("fk-one-tx");
        Product p = product("FK-ONE-1").addLabel("boxed");
        Customer c = new Customer("Grace", "grace@example.com").addPhoneNumber("+1-555-0100").addPhoneNumber("+1-555-0101");
        c.setAddress(new Address("1 Loop Rd", "Arlington", "22201", "US"));
        PurchaseOrder o = new PurchaseOrder(c);
        inTransaction(em -> {
            em.persist(tag);
            em.persist(p.addTag(tag));
            em.persist(c);
            o.addLine(p, 2, new BigDecimal("12.50"));
            o.addLine(null, 1, new BigDecimal("3.00"));
            em.persist(o);
        });

        syncAll(6); // tag, product, customer, order, 2 lines

        assertThat(remoteCount("order_line", "order_id = ?", o.getId())).isEqualTo(2);
        assertThat(remoteCount("purchase_order", "id = ? and customer_id = ?", o.getId(), c.getId())).isEqualTo(1);
        assertThat(remoteCount("product_tag", "product_id = ? and tag_id = ?", p.getId(), tag.getId())).isEqualTo(1);
        assertThat(remoteCount("customer_phone", "customer_id = ?", c.getId())).isEqualTo(2);
        assertRemoteEqualsLocal();
    }

    @Test
    void parents_and_children_written_in_separate_transactions_replay_in_commit_order() {
        Customer c = new Customer("Linus", null);
        Tag t1 = new Tag("fk-sep-1");
        Tag t2 = new Tag("fk-sep-2");
        Product p = product("FK-SEP-1");
        PurchaseOrder o = new PurchaseOrder(c);
        inTransaction(em -> em.persist(c));
        inTransaction(em -> em.persist(t1));
        inTransaction(em -> em.persist(p.addTag(t1)));
        inTransaction(em -> em.persist(o));
        inTransaction(em -> {
            PurchaseOrder managed = em.find(PurchaseOrder.class, o.getId());
            managed.addLine(em.find(Product.class, p.getId()), 4, new BigDecimal("12.50"));
            managed.addLine(null, 1, new BigDecimal("0.99"));
        });
        inTransaction(em -> {
            em.persist(t2);
            em.find(Product.class, p.getId()).addTag(t2).addLabel("late");
        });
        inTransaction(em -> em.find(Customer.class, c.getId()).addPhoneNumber("+49-30-1"));

        // customer, tag, product, order, (order, line, line), (tag, product), customer
        syncAll(10);

        assertThat(remoteCount("order_line", "order_id = ?", o.getId())).isEqualTo(2);
        assertThat(remoteCount("product_tag", "product_id = ?", p.getId())).isEqualTo(2);
        assertThat(remoteCount("purchase_order", "id = ? and version = 1", o.getId())).isEqualTo(1);
        assertRemoteEqualsLocal();
    }

    @Test
    void a_re_parented_order_line_and_a_re_parented_order_replay_to_their_new_parents() {
        Customer first = new Customer("First", null);
        Customer second = new Customer("Second", null);
        PurchaseOrder a = new PurchaseOrder(first);
        PurchaseOrder b = new PurchaseOrder(first);
        OrderLine[] line = new OrderLine[1];
        inTransaction(em -> {
            em.persist(first);
            line[0] = a.addLine(null, 1, new BigDecimal("5.00"));
            em.persist(a);
        });
        emf.sync();
        // the new parents come in later transactions than the children that move to them
        inTransaction(em -> em.persist(second));
        inTransaction(em -> em.persist(b));
        inTransaction(em -> em.find(OrderLine.class, line[0].getId()).setOrder(em.getReference(PurchaseOrder.class, b.getId())));
        inTransaction(em -> em.find(PurchaseOrder.class, a.getId()).setCustomer(em.getReference(Customer.class, second.getId())));
        inTransaction(em -> em.find(PurchaseOrder.class, b.getId()).setCustomer(em.getReference(Customer.class, second.getId())));
        // the old parent goes once nothing points at it any more
        inTransaction(em -> em.remove(em.find(Customer.class, first.getId())));

        syncAll(6);

        assertThat(remoteCount("order_line", "id = ? and order_id = ?", line[0].getId(), b.getId())).isEqualTo(1);
        assertThat(remoteCount("purchase_order", "customer_id = ?", second.getId())).isEqualTo(2);
        assertThat(remoteCount("customer", "id = ?", first.getId())).isZero();
        assertRemoteEqualsLocal();
    }

    @Test
    void a_customer_deleted_and_persisted_again_with_the_same_id_in_later_transactions_ends_as_the_new_row() {
        UUID id = UUID.randomUUID();
        Customer original = new Customer("Original", "original@example.com").addPhoneNumber("111").addPhoneNumber("222");
        original.setId(id);
        inTransaction(em -> em.persist(original));
        inTransaction(em -> em.find(Customer.class, id).setName("Original, renamed"));
        inTransaction(em -> em.find(Customer.class, id).addPhoneNumber("333"));
        inTransaction(em -> em.remove(em.find(Customer.class, id)));
        Customer again = new Customer("Again", null).addPhoneNumber("999");
        again.setId(id);
        inTransaction(em -> em.persist(again));
        inTransaction(em -> em.persist(new PurchaseOrder(em.getReference(Customer.class, id))));

        syncAll(6); // the whole history in one backlog

        assertThat(PostgresTestDatabase.rows(schema, "select name, email, version from customer where id = ?", id))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("name")).isEqualTo("Again");
                    assertThat(row.get("email")).isNull();
                    assertThat(((Number) row.get("version")).intValue()).isZero();
                });
        assertThat(PostgresTestDatabase.rows(schema, "select phone_number from customer_phone where customer_id = ?", id))
                .extracting(row -> row.get("phone_number")).containsExactly("999");

        // and once more with the first incarnation already on the remote
        inTransaction(em -> em.createQuery("select o from PurchaseOrder o where o.customer.id = :id", PurchaseOrder.class)
                .setParameter("id", id).getResultList().forEach(em::remove));
        emf.sync();
        inTransaction(em -> em.remove(em.find(Customer.class, id)));
        Customer third = new Customer("Third", "third@example.com").addPhoneNumber("777").addPhoneNumber("888");
        third.setId(id);
        inTransaction(em -> em.persist(third));

        syncAll(2);

        assertThat(PostgresTestDatabase.rows(schema, "select name from customer where id = ?", id))
                .extracting(row -> row.get("name")).containsExactly("Third");
        assertRemoteEqualsLocal();
    }

    @Test
    void children_deleted_before_their_parents_replay_with_the_remote_foreign_keys_holding() {
        Tag tag = new Tag("fk-del");
        Product p = product("FK-DEL-1").addLabel("a").addLabel("b");
        Customer c = new Customer("Gone", null).addPhoneNumber("1");
        PurchaseOrder o = new PurchaseOrder(c);
        inTransaction(em -> {
            em.persist(tag);
            em.persist(p.addTag(tag));
            em.persist(c);
            o.addLine(p, 1, new BigDecimal("12.50"));
            o.addLine(p, 2, new BigDecimal("12.50"));
            em.persist(o);
        });
        emf.sync();
        inTransaction(em -> em.remove(em.find(PurchaseOrder.class, o.getId()))); // 2 lines, then the order
        inTransaction(em -> {
            em.remove(em.find(Customer.class, c.getId()));
            Product managed = em.find(Product.class, p.getId());
            managed.getTags().clear();
            em.remove(em.find(Tag.class, tag.getId()));
        });
        inTransaction(em -> em.remove(em.find(Product.class, p.getId())));

        syncAll(7);

        assertThat(remoteCount("order_line", "order_id = ?", o.getId())).isZero();
        assertThat(remoteCount("product", "id = ?", p.getId())).isZero();
        assertThat(remoteCount("product_label", "product_id = ?", p.getId())).isZero();
        assertThat(remoteCount("product_tag", "product_id = ?", p.getId())).isZero();
        assertThat(remoteCount("customer_phone", "customer_id = ?", c.getId())).isZero();
        assertThat(remoteCount("tag", "id = ?", tag.getId())).isZero();
        assertRemoteEqualsLocal();
    }

    @Test
    void a_transaction_larger_than_a_batch_is_applied_whole_in_one_remote_transaction() {
        PostgresTestDatabase.update(schema, "alter table product add constraint no_poison check (sku not like 'POISON%')");
        List<Product> products = new ArrayList<>();
        try {
            inTransaction(em -> {
                for (int i = 0; i < 7; i++) {
                    Product p = product(i < 6 ? "FK-BIG-" + i : "POISON-BIG");
                    products.add(p);
                    em.persist(p);
                }
            });
            Product after = product("FK-AFTER-BIG");
            inTransaction(em -> em.persist(after));

            SyncResult r = emf.sync();

            // the seventh change fails, and it takes the six before it (two batches earlier) with it
            assertThat(r.applied()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(7);
            assertThat(remoteCount("product", "sku like 'FK-BIG-%' or sku = 'POISON-BIG'")).isZero();
            assertThat(remoteCount("product", "sku = 'FK-AFTER-BIG'")).isEqualTo(1);
            assertThat(logCount("FAILED")).isEqualTo(7);
        } finally {
            PostgresTestDatabase.update(schema, "alter table product drop constraint no_poison");
        }
        clock.advance(Duration.ofSeconds(1));

        SyncResult retried = emf.sync();

        assertThat(retried.applied()).isEqualTo(7);
        assertThat(retried.remaining()).isZero();
        assertThat(remoteCount("product", "sku like 'FK-BIG-%' or sku = 'POISON-BIG'")).isEqualTo(7);
        assertRemoteEqualsLocal();
    }

    @Test
    void a_backlog_of_many_small_transactions_crossing_batch_boundaries_replays_in_order() {
        Customer c = new Customer("Backlog", null);
        inTransaction(em -> em.persist(c));
        List<PurchaseOrder> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PurchaseOrder o = new PurchaseOrder(c);
            orders.add(o);
            inTransaction(em -> {
                o.setCustomer(em.getReference(Customer.class, c.getId()));
                o.addLine(null, 1, BigDecimal.ONE);
                em.persist(o);
            });
            inTransaction(em -> em.find(Customer.class, c.getId()).addPhoneNumber("p" + orders.size()));
        }

        syncAll(1 + 10 * (2 + 1));

        assertThat(remoteCount("purchase_order", "customer_id = ?", c.getId())).isEqualTo(10);
        assertThat(remoteCount("customer", "id = ? and version = 10", c.getId())).isEqualTo(1);
        assertRemoteEqualsLocal();
    }
}
