package io.dbcomposite.sync;

import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.SqliteFiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 2 and 3 under a seeded random workload: after ~30 local transactions of inserts, updates and
 * deletes over the whole shop model (tags, products with tags and labels, customers with ordered phone numbers,
 * orders with lines, re-parented orders and lines), the remote holds exactly the local state, entity by entity
 * and collection by collection, versions included. Each test runs on stores of its own.
 */
class RandomWorkloadConvergenceTest extends SyncTestBase {

    private static List<Map<String, Object>> refused(String localUrl) {
        return SqliteFiles.rows(localUrl, "select id, tx_id, entity_name, entity_id, operation, status, last_error"
                + " from dbc_sync_log where status <> 'SYNCED' order by id");
    }

    @Test
    void one_sync_after_thirty_random_transactions_leaves_the_remote_equal_to_local() {
        try (FreshStores stores = new FreshStores("random_once", b -> b)) {
            ShopWorkload workload = new ShopWorkload(new Random(20301), "once");
            workload.seed(stores.unit);
            workload.run(stores.unit, 30);
            long logged = stores.unit.getSyncStatus().pendingChanges();

            SyncResult r = stores.unit.sync();

            assertThat(refused(stores.localUrl)).as("changes not replayed").isEmpty();
            assertThat(r.applied()).isEqualTo((int) logged);
            assertThat(r.failed()).isZero();
            assertThat(r.remaining()).isZero();
            stores.assertRemoteEqualsLocal();
        }
    }

    @Test
    void syncs_between_random_transactions_in_small_batches_leave_the_remote_equal_to_local() {
        try (FreshStores stores = new FreshStores("random_often", b -> b.property("dbcomposite.sync.batch-size", "4"))) {
            Random random = new Random(777);
            ShopWorkload workload = new ShopWorkload(random, "often");
            workload.seed(stores.unit);
            for (int round = 0; round < 6; round++) {
                workload.run(stores.unit, 1 + random.nextInt(8));
                SyncResult r = stores.unit.sync();
                assertThat(refused(stores.localUrl)).as("changes not replayed after round " + round).isEmpty();
                assertThat(r.failed()).isZero();
                stores.assertRemoteEqualsLocal();
            }
        }
    }

    @Test
    void a_second_seed_with_more_transactions_also_converges() {
        try (FreshStores stores = new FreshStores("random_seed2", b -> b.property("dbcomposite.sync.batch-size", "7"))) {
            ShopWorkload workload = new ShopWorkload(new Random(4242), "seed2");
            workload.seed(stores.unit);
            workload.run(stores.unit, 40);

            SyncResult r = stores.unit.sync();

            assertThat(refused(stores.localUrl)).as("changes not replayed").isEmpty();
            assertThat(r.failed()).isZero();
            stores.assertRemoteEqualsLocal();
        }
    }
}
