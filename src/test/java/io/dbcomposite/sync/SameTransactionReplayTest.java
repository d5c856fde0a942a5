package io.dbcomposite.sync;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 2 and 3 for one local transaction that flushes more than once: its changes of one row are
 * merged into one logged change, and that change must still replay on PostgreSQL, whose foreign and unique keys
 * are checked at every statement, and leave the remote with exactly the local state. Every test works on rows
 * of its own and compares only those, so one failure does not spill into the others.
 */
class SameTransactionReplayTest extends SyncTestBase {

    /** Syncs and asserts that no change logged after {@code mark} was refused by the remote. */
    private void syncWithoutFailuresAfter(long mark) {
        emf.sync();
        List<Map<String, Object>> failures = SqliteFiles.rows(localUrl, "select id, entity_name, entity_id, operation, status,"
                + " last_error from dbc_sync_log where id > ? and status <> 'SYNCED' order by id", mark);
        assertThat(failures).as("changes of this test the remote refused or that are still waiting").isEmpty();
    }

    /** The given entities (keys {@code Entity#id}) are the same on both sides. */
    private void assertSameOnBothSides(String... keys) {
        SortedMap<String, String> local = entities(emf.localFactory());
        SortedMap<String, String> remote = entities(emf.remoteFactory());
        for (String key : keys) {
            assertThat(remote.get(key)).as("remote " + key).isEqualTo(local.get(key));
        }
    }

    @Test
    void an_order_line_changed_before_its_new_order_was_created_in_the_same_transaction_replays() {
        Customer c = new Customer("Flush twice", null);
        PurchaseOrder first = new PurchaseOrder(c);
        OrderLine[] line = new OrderLine[1];
        inTransaction(em -> {
            em.persist(c);
            line[0] = first.addLine(null, 1, new BigDecimal("2.00"));
            em.persist(first);
        });
        emf.sync();
        long mark = logMark();
        PurchaseOrder second = new PurchaseOrder(c);
        inTransaction(em -> {
            OrderLine l = em.find(OrderLine.class, line[0].getId());
            l.setQuantity(5);
            em.flush(); // or any query that auto-flushes: the line's change is captured first
            second.setCustomer(em.getReference(Customer.class, c.getId()));
            em.persist(second);
            em.flush();
            l.setOrder(second); // the line now points at an order captured after it
        });

        syncWithoutFailuresAfter(mark);

        assertThat(remoteCount("order_line", "id = ? and order_id = ? and quantity = 5", line[0].getId(), second.getId()))
                .isEqualTo(1);
        assertSameOnBothSides("OrderLine#" + line[0].getId(), "PurchaseOrder#" + second.getId());
    }

    @Test
    void a_customer_deleted_and_persisted_again_with_the_same_id_in_one_transaction_replays_as_the_new_row() {
        UUID id = UUID.randomUUID();
        Customer original = new Customer("Before", "before@example.com").addPhoneNumber("1").addPhoneNumber("2");
        original.setId(id);
        inTransaction(em -> em.persist(original));
        emf.sync();
        assertThat(remoteCount("customer", "id = ? and name = 'Before'", id)).isEqualTo(1);
        long mark = logMark();
        Customer again = new Customer("After", null).addPhoneNumber("9");
        again.setId(id);
        inTransaction(em -> {
            em.remove(em.find(Customer.class, id));
            em.flush();
            em.persist(again);
        });
        assertThat(localCount("customer", "id = ? and name = 'After'", (Object) uuidBytes(id))).isEqualTo(1);

        syncWithoutFailuresAfter(mark);

        assertThat(PostgresTestDatabase.rows(schema, "select name, email, version from customer where id = ?", id))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("name")).isEqualTo("After");
                    assertThat(row.get("email")).isNull();
                });
        assertThat(PostgresTestDatabase.rows(schema, "select phone_number from customer_phone where customer_id = ?", id))
                .extracting(row -> row.get("phone_number")).containsExactly("9");
        assertSameOnBothSides("Customer#" + id);
    }

    @Test
    void an_order_deleted_and_a_new_one_created_in_one_transaction_replays_although_sqlite_reuses_the_line_id() {
        // SQLite hands out max(rowid) + 1: once the only line is deleted, the next line gets its id again
        try (FreshStores stores = new FreshStores("rowid_reuse", b -> b)) {
            Customer c = new Customer("Reuse", null);
            PurchaseOrder old = new PurchaseOrder(c);
            inTransaction(stores.unit, em -> {
                em.persist(c);
                old.addLine(null, 1, new BigDecimal("1.00"));
                em.persist(old);
            });
            stores.unit.sync();
            long oldLineId = old.getLines().get(0).getId();
            PurchaseOrder replacement = new PurchaseOrder(c);
            inTransaction(stores.unit, em -> {
                em.remove(em.find(PurchaseOrder.class, old.getId())); // and its line
                em.flush();
                replacement.setCustomer(em.getReference(Customer.class, c.getId()));
                replacement.addLine(null, 2, new BigDecimal("2.00"));
                em.persist(replacement);
            });
            assertThat(replacement.getLines().get(0).getId()).as("the new line's id").isEqualTo(oldLineId);

            stores.unit.sync();

            assertThat(SqliteFiles.rows(stores.localUrl, "select entity_name, entity_id, operation, status, last_error"
                    + " from dbc_sync_log where status <> 'SYNCED' order by id")).as("changes not replayed").isEmpty();
            assertThat(PostgresTestDatabase.count(stores.schema, "purchase_order")).isEqualTo(1);
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void two_products_swapping_their_unique_skus_through_a_temporary_value_in_one_transaction_replay() {
        Product a = new Product("SWAP-A", "A", new BigDecimal("1.00"), Category.TOYS);
        Product b = new Product("SWAP-B", "B", new BigDecimal("2.00"), Category.TOYS);
        inTransaction(em -> {
            em.persist(a);
            em.persist(b);
        });
        emf.sync();
        long mark = logMark();
        inTransaction(em -> {
            Product ma = em.find(Product.class, a.getId());
            Product mb = em.find(Product.class, b.getId());
            ma.setSku("SWAP-TMP");
            em.flush();
            mb.setSku("SWAP-A");
            em.flush();
            ma.setSku("SWAP-B");
        });

        syncWithoutFailuresAfter(mark);

        assertThat(remoteCount("product", "id = ? and sku = 'SWAP-B'", a.getId())).isEqualTo(1);
        assertThat(remoteCount("product", "id = ? and sku = 'SWAP-A'", b.getId())).isEqualTo(1);
        assertSameOnBothSides("Product#" + a.getId(), "Product#" + b.getId());
    }
}
