package io.dbcomposite.pairs;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sync semantics 1 (atomic capture) on every {@link io.dbcomposite.testing.DatabasePair}: a change and its sync-log
 * row commit together or not at all, one {@code txId} per local transaction, merged per row; and how log ids relate
 * to commit order when two writers overlap, which depends on the local database.
 */
public abstract class CaptureScenarios extends CompositeTestBase {

    @Test
    void inserts_updates_and_deletes_are_logged_in_the_same_local_transaction() {
        String sku = unique("CAP");
        Product p = new Product(sku, "Captured", new BigDecimal("4.50"), Category.BOOKS);
        Customer c = new Customer("Grace", null);
        long mark = logMark();
        inTransaction(em -> {
            em.persist(p.addLabel("one"));
            em.persist(c);
        });
        inTransaction(em -> em.find(Product.class, p.getId()).setName("Captured again"));
        inTransaction(em -> em.remove(em.find(Customer.class, c.getId())));

        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(row -> row.get("entity_name") + " " + row.get("operation"))
                .containsExactly("Product INSERT", "Customer INSERT", "Product UPDATE", "Customer DELETE");
        assertThat(rows.get(0).get("tx_id")).isEqualTo(rows.get(1).get("tx_id")).isNotEqualTo(rows.get(2).get("tx_id"));
        assertThat(rows).extracting(row -> row.get("status")).containsOnly("PENDING");
        assertThat(payload(rows.get(2)).get("name").asText()).isEqualTo("Captured again");
        assertThat(payload(rows.get(0)).get("labels").get(0).asText()).isEqualTo("one");
    }

    @Test
    void a_rollback_leaves_neither_the_change_nor_its_log_row_and_merged_changes_log_once() {
        String sku = unique("RB");
        long mark = logMark();
        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Product(sku, "Rolled back", BigDecimal.ONE, Category.TOYS));
            em.flush();
            em.getTransaction().rollback();
        }
        assertThat(localCount("product", "sku = ?", sku)).isZero();
        assertThat(logRowsSince(mark)).isEmpty();

        Product p = new Product(sku, "Merged", BigDecimal.ONE, Category.TOYS);
        inTransaction(em -> {
            em.persist(p);
            em.flush();
            p.setName("Merged twice");
        });
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(payload(row).get("name").asText()).isEqualTo("Merged twice");
    }

    /**
     * Two writers overlap: the first has written its log row and waits just before its commit while the second
     * commits. What the second writer can do then depends on the local database; see
     * {@link #assertOverlappingWriters}.
     */
    @Test
    void overlapping_writers_and_the_order_of_log_ids() throws Exception {
        emf.sync(); // the earlier tests' changes: out of the way
        String first = unique("W1");
        String second = unique("W2");
        CountDownLatch logged = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> firstWriter = CompletableFuture.runAsync(() -> {
            try (CompositeEntityManager em = emf.createEntityManager()) {
                em.getTransaction().begin();
                em.persist(new Product(first, "First writer", BigDecimal.ONE, Category.TOYS));
                // runs after the capture wrote the log rows, just before the local commit
                em.local().unwrap(Session.class).getTransaction().registerSynchronization(new jakarta.transaction.Synchronization() {
                    @Override
                    public void beforeCompletion() {
                        logged.countDown();
                        try {
                            if (!release.await(60, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("not released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public void afterCompletion(int status) {
                    }
                });
                em.getTransaction().commit();
            }
        });
        try {
            assertThat(logged.await(30, TimeUnit.SECONDS)).as("the first writer reached its commit").isTrue();
            CompletableFuture<Void> secondWriter = CompletableFuture.runAsync(() -> inTransaction(
                    em -> em.persist(new Product(second, "Second writer", BigDecimal.ONE, Category.TOYS))));
            assertOverlappingWriters(first, second, secondWriter, release);
        } finally {
            release.countDown();
        }
        firstWriter.get(60, TimeUnit.SECONDS);
        assertThat(logId(first)).isLessThan(logId(second));
        assertThat(emf.sync().failed()).isZero();
        assertThat(remoteCount("product", "sku in (?, ?)", first, second)).isEqualTo(2);
    }

    /**
     * What the second writer does while the first waits before its commit, and what a replay at that moment sees.
     *
     * @param release counted down to let the first writer commit
     */
    protected abstract void assertOverlappingWriters(String first, String second, CompletableFuture<Void> secondWriter,
                                                     CountDownLatch release) throws Exception;

    /**
     * SQLite: every writer takes the one write lock at BEGIN, so the second writer waits until the first has
     * committed, and log ids ascend in commit order.
     */
    protected void secondWriterWaitsForTheFirst(String first, String second, CompletableFuture<Void> secondWriter,
                                                CountDownLatch release) throws Exception {
        assertThatThrownBy(() -> secondWriter.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(localCount("product", "sku = ?", second)).isZero();
        release.countDown();
        secondWriter.get(60, TimeUnit.SECONDS);
    }

    /**
     * H2: writers do not take turns, so the second writer commits while the first writer's lower log id is still
     * uncommitted. A replay at that moment sends the second change first: log ids need not commit in id order, and
     * changes of different rows can reach the remote out of id order (changes of one row cannot: the first writer
     * holds its row lock).
     */
    protected void secondWriterCommitsFirst(String first, String second, CompletableFuture<Void> secondWriter,
                                            CountDownLatch release) throws Exception {
        secondWriter.get(30, TimeUnit.SECONDS);
        assertThat(localCount("product", "sku = ?", second)).isEqualTo(1);
        assertThat(emf.sync().applied()).isEqualTo(1);
        assertThat(remoteCount("product", "sku = ?", second)).isEqualTo(1);
        assertThat(remoteCount("product", "sku = ?", first)).isZero();
        release.countDown();
    }

    private long logId(String sku) {
        await(Duration.ofSeconds(10), () -> localCount("product", "sku = ?", sku) == 1);
        Object id = pair.localRows(local, "select id from product where sku = ?", sku).get(0).get("id");
        return id(only(logRows("Product", id)));
    }

    static void await(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
