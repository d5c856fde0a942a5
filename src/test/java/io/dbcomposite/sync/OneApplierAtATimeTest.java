package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sync semantics 6: two sync runs never apply the same change. Two threads calling {@code sync()} on one unit,
 * and two units (as two JVMs would) sharing one local SQLite file and one remote schema, race over the same
 * backlog; the changes they applied add up to exactly the backlog, every time.
 */
class OneApplierAtATimeTest extends SyncTestBase {

    private CompositeEntityManagerFactory second;

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.property("dbcomposite.sync.batch-size", "5");
    }

    @BeforeAll
    void secondUnitOnTheSameStores() {
        second = openUnit("OneApplierAtATimeTest_second", localUrl, schema, "none",
                b -> b.property("dbcomposite.sync.batch-size", "5"));
    }

    @AfterAll
    void closeSecondUnit() {
        if (second != null) {
            second.close();
        }
    }

    /** Writes a backlog of single-change and multi-change transactions; returns the number of changes. */
    private int backlog(String prefix, int transactions) {
        int changes = 0;
        for (int i = 0; i < transactions; i++) {
            String sku = prefix + "-" + i;
            if (i % 10 == 0) {
                Customer c = new Customer("Racer " + sku, null).addPhoneNumber(sku);
                inTransaction(em -> {
                    em.persist(new Product(sku, "Race", new BigDecimal("1.00"), Category.TOYS).addLabel("race"));
                    em.persist(c);
                });
                changes += 2;
            } else {
                inTransaction(em -> em.persist(new Product(sku, "Race", new BigDecimal("1.00"), Category.TOYS)));
                changes += 1;
            }
        }
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(changes);
        return changes;
    }

    /** Starts every sync at the same moment and returns their results. */
    @SafeVarargs
    private static List<SyncResult> race(Supplier<SyncResult>... syncs) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(syncs.length);
        List<CompletableFuture<SyncResult>> runs = new ArrayList<>();
        for (Supplier<SyncResult> sync : syncs) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return sync.get();
            }));
        }
        List<SyncResult> results = new ArrayList<>();
        for (CompletableFuture<SyncResult> run : runs) {
            results.add(run.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    private void assertAppliedExactlyOnce(List<SyncResult> results, int changes) {
        assertThat(results).allSatisfy(r -> {
            assertThat(r.failed()).isZero();
            assertThat(r.deadLettered()).isZero();
        });
        assertThat(results.stream().mapToInt(SyncResult::applied).sum())
                .as("changes applied by all the racing runs together, " + results).isEqualTo(changes);
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
        assertThat(logCount("SYNCED")).isEqualTo(localCount("dbc_sync_log", "1 = 1"));
        assertRemoteEqualsLocal();
    }

    @Test
    void two_threads_calling_sync_on_one_unit_at_once_apply_every_change_exactly_once() throws Exception {
        int changes = backlog("T-" + UUID.randomUUID().toString().substring(0, 6), 150);

        List<SyncResult> results = race(emf::sync, emf::sync);

        assertAppliedExactlyOnce(results, changes);
    }

    @Test
    void two_units_sharing_one_local_store_and_one_remote_never_apply_a_change_twice() throws Exception {
        for (int round = 0; round < 3; round++) {
            int changes = backlog("U" + round + "-" + UUID.randomUUID().toString().substring(0, 6), 120);

            List<SyncResult> results = race(emf::sync, second::sync);

            assertAppliedExactlyOnce(results, changes);
        }
    }

    @Test
    void a_second_unit_never_replays_a_batch_whose_marks_have_not_landed_yet() throws Exception {
        emf.sync(); // the log's housekeeping (a local write) is done for a while: the run below only applies and marks
        second.sync();
        int changes = backlog("M-" + UUID.randomUUID().toString().substring(0, 6), 3);
        // another writer of the local store holds its write lock: the first run's marks cannot land for a while
        try (java.sql.Connection writer = java.sql.DriverManager.getConnection(localUrl);
             java.sql.Statement st = writer.createStatement()) {
            st.execute("begin immediate");
            CompletableFuture<SyncResult> first = CompletableFuture.supplyAsync(emf::sync);
            await("the first run's batch on the remote", Duration.ofSeconds(30),
                    () -> remoteCount("product", "sku like 'M-%'") == 3);
            CompletableFuture<SyncResult> second = CompletableFuture.supplyAsync(this.second::sync);

            // neither run can end while the store is locked; the second must not take the batch the first applied
            assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            st.execute("rollback");

            assertAppliedExactlyOnce(List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS)), changes);
        }
    }

    @Test
    void a_unit_naming_the_same_sqlite_file_by_another_path_never_applies_a_change_twice() throws Exception {
        // another JVM started elsewhere may well spell the path of the shared file differently
        String otherSpelling = localUrl.replace("/local.db", "/./local.db");
        assertThat(otherSpelling).isNotEqualTo(localUrl);
        try (CompositeEntityManagerFactory elsewhere = openUnit("OneApplierAtATimeTest_elsewhere", otherSpelling, schema, "none",
                b -> b.property("dbcomposite.sync.batch-size", "5"))) {
            int changes = backlog("E-" + UUID.randomUUID().toString().substring(0, 6), 150);

            List<SyncResult> results = race(emf::sync, elsewhere::sync);

            assertAppliedExactlyOnce(results, changes);
        }
    }

    @Test
    void four_runs_on_two_units_racing_over_one_backlog_apply_every_change_exactly_once() throws Exception {
        int changes = backlog("F-" + UUID.randomUUID().toString().substring(0, 6), 200);

        List<SyncResult> results = race(emf::sync, second::sync, emf::sync, second::sync);

        assertAppliedExactlyOnce(results, changes);
    }
}
