package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync semantics 3 and 6 across a real crash: a child JVM replays a backlog in a loop and is killed with SIGKILL
 * at a random moment (while the remote row count is rising); a fresh sync() in this JVM then converges the remote
 * to exactly the local state: nothing lost, nothing duplicated, versions and collections equal. Several trials,
 * each on a new backlog that also updates rows the previous trials replayed.
 */
class CrashSafetyTest extends SyncTestBase {

    private static final int BACKLOG = 300;
    /** @return how many times the applier JVM is killed; the soak variant kills it more often */
    protected int trials() {
        return 3;
    }

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.property("dbcomposite.sync.batch-size", "5");
    }

    /** One change of a simple mix per transaction: new and updated products, customers, orders. */
    private int writeBacklog(Random random, String prefix) {
        int newProducts = 0;
        for (int i = 0; i < BACKLOG; i++) {
            int op = random.nextInt(20);
            String sku = prefix + "-" + i;
            if (op < 8) {
                inTransaction(em -> em.persist(new Product(sku, "Crash " + sku, BigDecimal.valueOf(100 + random.nextInt(9000), 2),
                        Category.GROCERY).addLabel("l" + random.nextInt(4))));
                newProducts++;
            } else if (op < 14) {
                inTransaction(em -> {
                    Product p = anyOf(em, Product.class, random);
                    if (p != null) {
                        p.setPrice(BigDecimal.valueOf(100 + random.nextInt(9000), 2));
                        p.addLabel("l" + random.nextInt(8));
                    }
                });
            } else if (op < 17) {
                Customer c = new Customer("Crash " + sku, null).addPhoneNumber(sku);
                c.setId(new UUID(random.nextLong(), random.nextLong()));
                inTransaction(em -> em.persist(c));
            } else if (op < 19) {
                inTransaction(em -> {
                    Customer c = anyOf(em, Customer.class, random);
                    if (c != null) {
                        c.addPhoneNumber("+" + random.nextInt(100_000));
                        c.setName("Renamed " + sku);
                    }
                });
            } else {
                inTransaction(em -> {
                    Customer c = anyOf(em, Customer.class, random);
                    if (c != null) {
                        PurchaseOrder o = new PurchaseOrder(c);
                        o.setId(new UUID(random.nextLong(), random.nextLong()));
                        o.addLine(anyOf(em, Product.class, random), 1 + random.nextInt(5), new BigDecimal("1.25"));
                        em.persist(o);
                    }
                });
            }
        }
        return newProducts;
    }

    private static <T> T anyOf(CompositeEntityManager em, Class<T> type, Random random) {
        List<T> all = em.createQuery("select e from " + type.getSimpleName() + " e order by e.id", type).getResultList();
        return all.isEmpty() ? null : all.get(random.nextInt(all.size()));
    }

    private Process startChild(Path output) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SyncLoopChild.class.getName(),
                localUrl, PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password(), "5");
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        return pb.start();
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Test
    void a_sync_after_the_applier_jvm_was_killed_mid_backlog_converges_the_remote_to_exactly_the_local_state() throws Exception {
        Random random = new Random(1_234_567);
        int interrupted = 0;
        for (int trial = 0; trial < trials(); trial++) {
            int newProducts = writeBacklog(random, "K" + trial);
            long pendingBefore = emf.getSyncStatus().pendingChanges();
            long remoteBefore = PostgresTestDatabase.count(schema, "product");
            long target = remoteBefore + 1 + random.nextInt(Math.max(1, newProducts * 4 / 5));
            Path output = dir.resolve("child-" + trial + ".log");
            Process child = startChild(output);
            try {
                await("the child to replay up to " + target + " remote products (trial " + trial + ")", Duration.ofSeconds(60),
                        () -> {
                            if (!child.isAlive()) {
                                throw new AssertionError("the child JVM ended by itself:\n" + tail(output));
                            }
                            return PostgresTestDatabase.count(schema, "product") >= target;
                        });
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the killed child is gone").isTrue();
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            long pendingAfterKill = emf.getSyncStatus().pendingChanges();
            // (equal when the kill fell between the child's first remote commit and its local SYNCED mark)
            assertThat(pendingAfterKill).as("changes the child left").isLessThanOrEqualTo(pendingBefore);
            if (pendingAfterKill > 0) {
                interrupted++;
            }
            assertThat(logCount("FAILED") + logCount("DEAD")).as("changes failed by the child:\n" + tail(output)).isZero();

            SyncResult r = emf.sync();

            assertThat(r.failed()).as("failed changes in the sync after trial " + trial).isZero();
            assertThat(r.deadLettered()).isZero();
            assertThat(r.remaining()).isZero();
            assertThat(r.applied()).isEqualTo((int) pendingAfterKill);
            assertRemoteEqualsLocal();
        }
        assertThat(interrupted).as("trials killed the child before the end of its backlog").isPositive();
    }
}
