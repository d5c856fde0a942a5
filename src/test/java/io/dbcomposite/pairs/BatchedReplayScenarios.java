package io.dbcomposite.pairs;

import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.RemoteStatements;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of versioned rows that own collections, inserted and then updated, reaches each remote in a few JDBC batches
 * at the default batch size: on MariaDB, whose Hibernate upsert of a {@code @Version} entity is an update and then an
 * insert sent one at a time, the replay inserts the rows it read as missing and updates those it read as there; on
 * every remote the collection rows follow the batch's entity rows. Run per pair.
 */
public abstract class BatchedReplayScenarios extends CompositeTestBase {

    private static final int ROWS = 60;

    /**
     * @return how many statements the remote may prepare for a batch of {@code rows} inserts of an entity with an IDENTITY
     *     id, a {@code @Version} and two collections: the upserts in one JDBC batch, each collection's deletes and inserts
     *     in one each, the read of the rows and the identity sequence's catch-up (a few). On Hibernate ORM 7.2, whose
     *     upsert the replay does not use, a row read as missing is written by the entity's own insert, which Hibernate
     *     never batches for an IDENTITY id: one statement a row (a lookup and the insert before)
     */
    protected long insertStatements(int rows) {
        return io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4) ? 10 : rows + 10;
    }


    private void syncAll(int expected) {
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(expected);
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.applied()).isEqualTo(expected);
        assertThat(r.remaining()).isZero();
    }

    @Test
    void versioned_rows_with_collections_inserted_then_updated_replay_in_a_few_jdbc_batches() {
        String prefix = unique("VB");
        Tag tag = new Tag(prefix + "-tag");
        inTransaction(em -> em.persist(tag));
        emf.sync();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            int n = i;
            Product p = new Product(prefix + "-" + n, "Versioned " + n, new BigDecimal("4.20"), Category.BOOKS).addLabel("l" + n);
            inTransaction(em -> {
                if (n % 2 == 0) {
                    p.addTag(em.find(Tag.class, tag.getId()));
                }
                em.persist(p);
            });
            ids.add(p.getId());
        }
        long inserts = RemoteStatements.preparedDuring(emf, () -> syncAll(ROWS));
        assertThat(inserts).as("statements prepared on the remote for %d inserts", ROWS).isLessThanOrEqualTo(insertStatements(ROWS));
        for (Long id : ids) {
            inTransaction(em -> {
                Product p = em.find(Product.class, id);
                p.setName(p.getName() + " renamed");
                p.addLabel("second");
            });
        }
        long updates = RemoteStatements.preparedDuring(emf, () -> syncAll(ROWS));
        assertThat(updates).as("statements prepared on the remote for %d updates", ROWS).isLessThanOrEqualTo(10);
        assertThat(remoteCount("product", "sku like ? and version = 1 and name like ?", prefix + "-%", "% renamed"))
                .isEqualTo(ROWS);
        assertThat(remoteCount("product_label", "label = ?", "second")).isEqualTo(ROWS);
        assertThat(SyncScenarios.entities(emf.remoteFactory())).containsExactlyEntriesOf(SyncScenarios.entities(emf.localFactory()));
        for (String table : SyncScenarios.CAPTURED_TABLES) {
            assertThat(remoteCount(table, "1 = 1")).as("rows of " + table + " on the remote").isEqualTo(localCount(table, "1 = 1"));
        }
    }

    /**
     * Inserts of rows without a {@code @Version} take the same JDBC batches: on MariaDB, Hibernate's upsert of such a row
     * is an {@code insert ... on duplicate key update} sent on its own (61 statements for 60 inserts, before the replay
     * inserted the rows it read as missing). Their updates keep Hibernate's upsert there, a statement a row (an update
     * that changes nothing matches no row where the driver counts affected rows); they land all the same.
     */
    @Test
    void unversioned_rows_inserted_replay_in_a_few_jdbc_batches_and_their_updates_land() {
        String prefix = unique("UB");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Tag tag = new Tag(prefix + "-" + i);
            inTransaction(em -> em.persist(tag));
            ids.add(tag.getId());
        }
        long inserts = RemoteStatements.preparedDuring(emf, () -> syncAll(ROWS));
        assertThat(inserts).as("statements prepared on the remote for %d inserts", ROWS).isLessThanOrEqualTo(insertStatements(ROWS));
        for (Long id : ids) {
            inTransaction(em -> {
                Tag tag = em.find(Tag.class, id);
                tag.setName(tag.getName() + " renamed");
            });
        }
        syncAll(ROWS);
        assertThat(remoteCount("tag", "name like ?", prefix + "-% renamed")).isEqualTo(ROWS);
        assertThat(SyncScenarios.entities(emf.remoteFactory())).containsExactlyEntriesOf(SyncScenarios.entities(emf.localFactory()));
        assertThat(remoteCount("tag", "1 = 1")).as("rows of tag on the remote").isEqualTo(localCount("tag", "1 = 1"));
    }
}
