package io.dbcomposite.sync;

import io.dbcomposite.CompositeException;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.RemoteStatements;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replay sends each batch's upserts in JDBC batches (default batch size, 500). What a batch must not
 * change: a delete still follows the upserts of its row that came before it, and a row whose remote version
 * differs (an edit straight on the remote) is a conflict that holds only its own transaction, the other changes of the
 * batch going through.
 */
class BatchedReplayTest extends SyncTestBase {

    private static Product product(String sku) {
        return new Product(sku, "Batched " + sku, new BigDecimal("3.10"), Category.TOYS);
    }

    private SyncResult syncEverything(long expected) {
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(expected);
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.deadLettered()).isZero();
        assertThat(r.applied()).isEqualTo((int) expected);
        assertThat(r.remaining()).isZero();
        return r;
    }

    @Test
    void rows_inserted_updated_and_deleted_in_one_batch_end_as_they_are_locally() {
        String prefix = unique("BR-");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Product p = product(prefix + i).addLabel("l" + i);
            inTransaction(em -> em.persist(p));
            ids.add(p.getId());
        }
        // every third row updated, every fifth deleted, in later local transactions of the same batch
        for (int i = 0; i < ids.size(); i += 3) {
            long id = ids.get(i);
            inTransaction(em -> em.find(Product.class, id).setName("renamed"));
        }
        for (int i = 0; i < ids.size(); i += 5) {
            long id = ids.get(i);
            inTransaction(em -> em.remove(em.find(Product.class, id)));
        }
        // a deleted sku comes back as a new row, after its delete, still in the same batch
        inTransaction(em -> em.persist(product(prefix + 0)));

        syncEverything(40 + 14 + 8 + 1);

        assertThat(remoteCount("product", "sku like ?", prefix + "%")).isEqualTo(40 - 8 + 1);
        for (int i = 0; i < ids.size(); i += 5) {
            assertThat(remoteCount("product", "id = ?", ids.get(i))).as("deleted row %s", ids.get(i)).isZero();
        }
        assertRemoteEqualsLocal();
    }

    @Test
    void consecutive_upserts_of_an_entity_without_collections_reach_the_remote_in_one_jdbc_batch() {
        // Tag owns no collection (a Product: the next test)
        String prefix = unique("BB-");
        for (int i = 0; i < 60; i++) {
            Tag t = new Tag(prefix + i);
            inTransaction(em -> em.persist(t));
        }
        long statements = RemoteStatements.preparedDuring(emf, () -> syncEverything(60));
        // one statement prepared for the batch of 60 MERGEs (one a change would be 60). Not on Hibernate ORM 7.2,
        // whose upsert the replay does not use: the entity's own insert, one a row for an IDENTITY id (RowApplier)
        if (io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4)) {
            assertThat(statements).as("statements prepared on the remote").isLessThanOrEqualTo(3);
        }
        assertThat(remoteCount("tag", "name like ?", prefix + "%")).isEqualTo(60);
        assertRemoteEqualsLocal();
    }

    @Test
    void upserts_of_entities_that_own_collections_and_their_collection_rows_reach_the_remote_in_a_few_jdbc_batches() {
        // Product owns a many-to-many (product_tag) and an element collection (product_label): 60 of them cost 180
        // statements when each upsert rewrote its collections right after its row
        String prefix = unique("BC-");
        Tag shared = new Tag(prefix + "shared");
        inTransaction(em -> em.persist(shared));
        emf.sync();
        for (int i = 0; i < 60; i++) {
            int n = i;
            inTransaction(em -> {
                Product p = product(prefix + n).addLabel(prefix + "a" + n).addLabel(prefix + "b" + n);
                if (n % 2 == 0) {
                    p.addTag(em.find(Tag.class, shared.getId()));
                }
                em.persist(p);
            });
        }
        long statements = RemoteStatements.preparedDuring(emf, () -> syncEverything(60));
        if (io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4)) {
            // the upserts, then per collection its deletes and its inserts, and the identity sequence's catch-up
            assertThat(statements).as("statements prepared on the remote").isLessThanOrEqualTo(8);
        }
        assertThat(remoteCount("product_label", "label like ?", prefix + "%")).isEqualTo(120);
        assertThat(remoteCount("product_tag", "tag_id = ?", shared.getId())).isEqualTo(30);
        assertRemoteEqualsLocal();
    }

    @Test
    void collection_rows_kept_for_the_end_of_a_batch_stay_in_order_with_its_deletes_and_repeated_upserts() {
        String prefix = unique("BD-");
        Tag kept = new Tag(prefix + "kept");
        Tag doomed = new Tag(prefix + "doomed");
        Product owner = product(prefix + "owner").addLabel("first");
        Product goner = product(prefix + "goner").addLabel("gone");
        inTransaction(em -> {
            em.persist(kept);
            em.persist(doomed);
            owner.addTag(kept).addTag(doomed);
            goner.addTag(doomed);
            em.persist(owner);
            em.persist(goner);
        });
        emf.sync();
        // one batch: the owner's collections change three times, a tag leaves every collection and is deleted, an owner
        // with collections is updated and then deleted, and a new owner refers to a tag inserted after it
        inTransaction(em -> {
            Product o = em.find(Product.class, owner.getId());
            o.addLabel("second");
            o.setName("twice");
        });
        inTransaction(em -> {
            Product o = em.find(Product.class, owner.getId());
            Tag d = em.find(Tag.class, doomed.getId());
            o.getTags().remove(d);
            em.find(Product.class, goner.getId()).getTags().remove(d);
            em.remove(d);
        });
        inTransaction(em -> em.find(Product.class, goner.getId()).addLabel("updated before its delete"));
        inTransaction(em -> em.remove(em.find(Product.class, goner.getId())));
        inTransaction(em -> {
            Product o = em.find(Product.class, owner.getId());
            o.getLabels().remove("first");
            o.addLabel("third");
        });
        inTransaction(em -> {
            Product late = product(prefix + "late").addLabel("late");
            Tag fresh = new Tag(prefix + "fresh");
            em.persist(late);
            em.persist(fresh);
            late.addTag(fresh);
            em.find(Product.class, owner.getId()).addTag(fresh);
        });
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.remaining()).isZero();
        assertThat(remoteCount("product_label", "product_id = ?", owner.getId())).isEqualTo(2); // second, third
        // (the deleted owner's id may be the late one's now: SQLite gives the highest id again once its row is gone)
        assertThat(remoteCount("product_label", "label in (?, ?)", "gone", "updated before its delete")).isZero();
        assertThat(remoteCount("product_tag", "product_id = ?", owner.getId())).isEqualTo(2); // kept, fresh
        assertThat(remoteCount("tag", "name = ?", prefix + "doomed")).isZero();
        assertRemoteEqualsLocal();
    }

    @Test
    void a_row_whose_remote_version_moved_on_is_a_conflict_and_the_rest_of_the_batch_applies() {
        String prefix = unique("BV-");
        Product edited = product(prefix + "edited");
        inTransaction(em -> em.persist(edited));
        syncEverything(1);
        // someone edits the remote copy behind the library's back: its version is now ahead of the local one
        assertThat(PostgresTestDatabase.update(schema,
                "update product set name = 'edited on the remote', version = version + 7 where id = ?", edited.getId()))
                .isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            Product p = product(prefix + i);
            inTransaction(em -> em.persist(p));
        }
        inTransaction(em -> em.find(Product.class, edited.getId()).setName("edited locally"));
        for (int i = 20; i < 40; i++) {
            Product p = product(prefix + i);
            inTransaction(em -> em.persist(p));
        }

        SyncResult r = emf.sync();

        assertThat(r.applied()).isEqualTo(40);
        assertThat(r.failed()).isZero();
        Map<String, Object> remoteRow = PostgresTestDatabase.rows(schema,
                "select name, version from product where id = ?", edited.getId()).get(0);
        assertThat(remoteRow.get("name")).as("the remote edit is not overwritten").isEqualTo("edited on the remote");
        assertThat(((Number) remoteRow.get("version")).longValue()).isEqualTo(7L);
        assertThat(emf.getSyncStatus().conflictCount()).isEqualTo(1);
        assertThat(remoteCount("product", "sku like ?", prefix + "%")).isEqualTo(41);

        // settled by giving the local row the remote's state: both sides agree again, and nothing is left to replay
        long conflict = read(em -> em.createQuery("select c.id from SyncLogEntity c where c.status = io.dbcomposite.ChangeStatus.CONFLICT",
                Long.class).getSingleResult());
        assertThat(emf.discard(conflict)).isEqualTo(1);
        assertThat(emf.getSyncStatus().conflictCount()).isZero();
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
        assertRemoteEqualsLocal();
    }

    @Test
    void applied_changes_that_cannot_be_marked_synced_stay_pending_without_an_attempt_and_replay_once_marks_work() {
        // sync semantics 3, 4 and 7: a local failure after the remote commit is not a failure of the changes
        String prefix = unique("BM-");
        for (int i = 0; i < 5; i++) {
            Tag t = new Tag(prefix + i);
            inTransaction(em -> em.persist(t));
        }
        SqliteFiles.update(localUrl, "create trigger dbc_test_no_marks before update of status on dbc_sync_log"
                + " when new.status = 'SYNCED' begin select raise(abort, 'marks refused by a test trigger'); end");
        try {
            assertThatThrownBy(emf::sync)
                    .isInstanceOf(CompositeException.class)
                    .hasMessageContaining("SYNCED")
                    .hasStackTraceContaining("marks refused by a test trigger");
            assertThat(remoteCount("tag", "name like ?", prefix + "%")).as("applied on the remote").isEqualTo(5);
            assertThat(logRows(localUrl)).filteredOn(row -> !"SYNCED".equals(row.get("status"))
                            && !"DISCARDED".equals(row.get("status"))) // an earlier test's conflict, settled
                    .hasSize(5)
                    .allSatisfy(row -> {
                        assertThat(row.get("status")).isEqualTo("PENDING");
                        assertThat(((Number) row.get("attempts")).intValue()).isZero();
                        assertThat(row.get("last_error")).isNull();
                    });
            SyncStatus status = emf.getSyncStatus();
            assertThat(status.pendingChanges()).isEqualTo(5);
            assertThat(status.failedCount()).isZero();
            assertThat(status.lastError()).contains("SYNCED");
        } finally {
            SqliteFiles.update(localUrl, "drop trigger dbc_test_no_marks");
        }

        SyncResult again = syncEverything(5);

        assertThat(again.applied()).isEqualTo(5);
        assertThat(emf.getSyncStatus().lastError()).isNull();
        assertThat(remoteCount("tag", "name like ?", prefix + "%")).as("replayed without a duplicate").isEqualTo(5);
        assertRemoteEqualsLocal();
    }
}
