package io.dbcomposite;

import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** The first replay: local changes reach PostgreSQL through sync(), with their ids, versions and collections. */
class SyncEngineSmokeTest extends CompositeTestBase {

    @Test
    void sync_replays_local_inserts_updates_and_deletes_to_the_remote() {
        Tag tag = new Tag("sale");
        Product p = new Product("SYNC-1", "Synced kettle", new BigDecimal("19.90"), Category.ELECTRONICS);
        Customer c = new Customer("Ada", "ada@example.com");
        long mark = logMark();
        inTransaction(em -> {
            em.persist(tag);
            p.addTag(tag).addLabel("new");
            em.persist(p);
            em.persist(c);
            PurchaseOrder o = new PurchaseOrder(c);
            o.addLine(p, 2, new BigDecimal("19.90"));
            em.persist(o);
        });
        // one change per entity; the tag link and the label travel in the product's own change
        assertThat(logRowsSince(mark)).extracting(row -> row.get("entity_name") + " " + row.get("operation"))
                .containsExactlyInAnyOrder("Tag INSERT", "Product INSERT", "Customer INSERT", "PurchaseOrder INSERT",
                        "OrderLine INSERT");
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(5);

        SyncResult r = emf.sync();

        assertThat(r.applied()).isEqualTo(5);
        assertThat(r.failed()).isZero();
        assertThat(r.deadLettered()).isZero();
        assertThat(r.remaining()).isZero();
        assertThat(remoteCount("product", "sku = 'SYNC-1' and version = 0")).isEqualTo(1);
        assertThat(remoteCount("product_tag", "product_id = ?", p.getId())).isEqualTo(1);
        assertThat(remoteCount("product_label", "product_id = ? and label = 'new'", p.getId())).isEqualTo(1);
        assertThat(remoteCount("order_line", "quantity = 2")).isEqualTo(1);

        inTransaction(em -> em.find(Product.class, p.getId()).setName("Renamed kettle"));
        SyncResult update = emf.sync();
        assertThat(update.applied()).isEqualTo(1);
        assertThat(update.remaining()).isZero();
        assertThat(remoteCount("product", "sku = 'SYNC-1' and version = 1 and name = 'Renamed kettle'")).isEqualTo(1);

        SyncStatus status = emf.getSyncStatus();
        assertThat(status.pendingChanges()).isZero();
        assertThat(status.lastSyncedAt()).isNotNull();
        assertThat(status.lastError()).isNull();
    }
}
