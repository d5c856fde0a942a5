package io.dbcomposite.probes;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.StaleStateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers, each with its own entity manager, insert, update and delete rows of their own and update the same
 * versioned rows (losing some of those races to optimistic locking) for a few hundred transactions, while a third thread
 * replays over and over; then the backlog is replayed to its end: the remote holds exactly the local rows, versions and
 * collections included, nothing missing, nothing twice.
 */
class ConcurrentWritersProbeTest {

    @Entity(name = "PbTally")
    @Table(name = "pb_tally")
    public static class Tally {
        @Id
        public Long id;
        @Version
        public Long version;
        public String owner;
        public Integer total;
        @ElementCollection
        @CollectionTable(name = "pb_tally_marks", joinColumns = @JoinColumn(name = "tally_id"))
        @OrderColumn(name = "pos")
        public List<String> marks = new ArrayList<>();
    }

    private static final int SHARED = 5;
    private static final int TRANSACTIONS_PER_WRITER = 150;
    private static final int WRITERS = 2;

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void concurrent_writers_and_replays_leave_the_remote_equal_to_local(DatabasePair pair) throws Exception {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbConcurrent", null, Map.of(), Tally.class)) {
            run(unit, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void concurrent_dual_writers_leave_the_remote_equal_to_local(DatabasePair pair) throws Exception {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbConcurrentDual", dual, Map.of(), Tally.class)) {
            run(unit, false);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void concurrent_dual_queue_writers_beside_replays_leave_the_remote_equal_to_local(DatabasePair pair) throws Exception {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbConcurrentQueue", dual, Map.of(), Tally.class)) {
            run(unit, true);
        }
    }

    private static void run(StandaloneUnit unit, boolean replayMeanwhile) throws Exception {
        CompositeEntityManagerFactory emf = unit.emf;
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            for (long i = 1; i <= SHARED; i++) {
                Tally t = new Tally();
                t.id = i;
                t.owner = "shared";
                t.total = 0;
                em.persist(t);
            }
        });
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger lostRaces = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await();
                    write(emf, writer, unexpected, lostRaces);
                    return null;
                }));
            }
            Future<Integer> replays = pool.submit(() -> {
                start.await();
                int runs = 0;
                while (replayMeanwhile && writing.get()) {
                    try {
                        emf.sync();
                        runs++;
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                        return runs;
                    }
                }
                return runs;
            });
            start.countDown();
            for (Future<?> f : writers) {
                f.get(3, TimeUnit.MINUTES);
            }
            writing.set(false);
            int runs = replays.get(1, TimeUnit.MINUTES);
            if (replayMeanwhile) {
                assertThat(runs).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (emf.getSyncStatus().pendingChanges() > 0 && System.nanoTime() < deadline) {
            assertThat(emf.sync().failed()).as(String.valueOf(emf.getSyncStatus())).isZero();
        }
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
        assertThat(emf.getSyncStatus().deadLetterCount()).isZero();
        assertThat(emf.getSyncStatus().conflictCount()).isZero();
        ProbeRows.assertSameRows(unit, "pb_tally", SHARED);
        ProbeRows.assertSameRows(unit, "pb_tally_marks", 1);
        // every transaction adds one to a shared row: each one that committed counted once, none that lost its race
        long committedShared = unit.local("select sum(total) from pb_tally where owner = 'shared'");
        assertThat(committedShared).isEqualTo(unit.local("select sum(version) from pb_tally where owner = 'shared'"));
        assertThat(committedShared).as("shared increments: every transaction but the %d that lost a race", lostRaces.get())
                .isEqualTo((long) WRITERS * TRANSACTIONS_PER_WRITER - lostRaces.get());
    }

    private static void write(CompositeEntityManagerFactory emf, int writer, ConcurrentLinkedQueue<Throwable> unexpected,
                              AtomicInteger lostRaces) {
        Random random = new Random(writer);
        long base = 1000L * (writer + 1);
        for (int n = 0; n < TRANSACTIONS_PER_WRITER; n++) {
            int step = n;
            try {
                Transactions.inTransaction(emf.createEntityManager(), em -> {
                    // a row of its own: inserted, then updated, then every third one deleted
                    long own = base + step / 3;
                    switch (step % 3) {
                        case 0 -> {
                            Tally t = new Tally();
                            t.id = own;
                            t.owner = "w" + writer;
                            t.total = step;
                            t.marks.add("m" + step);
                            em.persist(t);
                        }
                        case 1 -> {
                            Tally t = em.find(Tally.class, own);
                            t.total += 1;
                            t.marks.add(0, "head" + step);
                        }
                        default -> {
                            if (own % 2 == 0) {
                                em.remove(em.find(Tally.class, own));
                            } else {
                                em.find(Tally.class, own).marks.remove(0);
                            }
                        }
                    }
                    // and a shared row, raced for by the other writer
                    Tally shared = em.find(Tally.class, 1L + random.nextInt(SHARED));
                    shared.total += 1;
                    shared.marks.add("w" + writer + "-" + step);
                    if (shared.marks.size() > 4) {
                        shared.marks.remove(0);
                    }
                });
            } catch (RuntimeException e) {
                if (lostRace(e)) {
                    lostRaces.incrementAndGet();
                    if (step % 3 == 0) {
                        // the own row was not inserted either: insert it alone so the next steps find it
                        Transactions.inTransaction(emf.createEntityManager(), em -> {
                            Tally t = new Tally();
                            t.id = base + step / 3;
                            t.owner = "w" + writer;
                            t.total = step;
                            em.persist(t);
                        });
                    }
                } else {
                    unexpected.add(e);
                    return;
                }
            }
        }
    }

    private static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
