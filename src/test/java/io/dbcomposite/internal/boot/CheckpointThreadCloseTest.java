package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.testing.CapturedLogs;
import io.dbcomposite.testing.StandaloneUnit;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit's checkpoint thread ({@link LocalCheckpoints}) against a closing unit: a close does not wait out the pool's
 * connection timeout while the thread waits for a connection the application holds, and logs no failure for it. (In
 * this package for the coordinator's commit counter, which the test drives while no commit can run.)
 */
class CheckpointThreadCloseTest {

    @Entity(name = "CtNote") @Table(name = "ct_note")
    public static class Note {
        @Id Long id;
        String text;
        protected Note() {}
        Note(long id, String text) { this.id = id; this.text = text; }
    }

    private static List<Thread> thread(String unit) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("dbcomposite-" + unit + "-checkpoint")).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for " + what).isLessThan(end);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a poll, leaving the core to the thread awaited
        }
    }

    private static SqliteTransactionCoordinatorBuilder coordinatorOf(StandaloneUnit unit) {
        try (EntityManager em = unit.emf.createEntityManager()) {
            return SqliteTransactionCoordinatorBuilder.of((SessionFactoryImplementor)
                    ((CompositeEntityManager) em).local().unwrap(Session.class).getSessionFactory());
        }
    }

    @Test
    void a_close_while_the_thread_waits_for_a_pooled_connection_ends_at_once_and_logs_no_failure() throws Exception {
        StandaloneUnit unit = StandaloneUnit.start("ct_close", Note.class);
        CountDownLatch holding = new CountDownLatch(8);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService holders = Executors.newFixedThreadPool(8);
        List<Future<?>> held = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.of("io.dbcomposite")) {
            // the application holds all eight pooled local connections
            for (int i = 0; i < 8; i++) {
                held.add(holders.submit(() -> {
                    try (EntityManager em = unit.emf.createEntityManager()) {
                        ((CompositeEntityManager) em).local().unwrap(Session.class).doWork(c -> {
                            holding.countDown();
                            try {
                                release.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                    return null;
                }));
            }
            assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
            // commits as the coordinator counts them (none can run now): the thread is asked for a checkpoint
            Runnable counted = coordinatorOf(unit) == null ? null : afterCommitOf(coordinatorOf(unit));
            assertThat(counted).as("the coordinator counts the commits for the thread").isNotNull();
            for (int i = 0; i < 2_000; i++) {
                counted.run();
            }
            Thread checkpoints = thread("ct_close").get(0);
            await("the thread to wait for a pooled connection", () -> Arrays.stream(checkpoints.getStackTrace())
                    .anyMatch(e -> e.getMethodName().equals("getConnection")));
            long started = System.nanoTime();
            unit.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the close").isLessThan(Duration.ofSeconds(5));
            await("the thread to end", () -> thread("ct_close").isEmpty());
            assertThat(logs.records()).noneMatch(r -> r.getMessage() != null && r.getMessage().contains("checkpoint"));
        } finally {
            release.countDown();
            for (Future<?> f : held) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the unit closed under the holders: their end is not what this test checks
                }
            }
            holders.shutdown();
        }
    }

    private static Runnable afterCommitOf(SqliteTransactionCoordinatorBuilder coordinator) throws ReflectiveOperationException {
        java.lang.reflect.Field f = SqliteTransactionCoordinatorBuilder.class.getDeclaredField("afterCommit");
        f.setAccessible(true);
        return (Runnable) f.get(coordinator);
    }
}
