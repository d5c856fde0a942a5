package io.dbcomposite.local;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code dbcomposite.local.checkpoint}: by default the local SQLite file's WAL checkpoints run on a thread of the unit's
 * (the commits leave SQLite's own checkpoint, which starts the log over, to 16,000 frames); {@code inline}
 * keeps SQLite's own at 1,000 frames. Checked on the real file: the pooled connections' threshold, the database file
 * taking the pages of commits that no commit could have checkpointed, the thread's end with the unit, and that every
 * row and every log row is there.
 */
class BackgroundCheckpointTest {

    @Entity(name = "CkNote") @Table(name = "ck_note")
    public static class Note {
        @Id Long id;
        String text;
        protected Note() {}
        Note(long id, String text) { this.id = id; this.text = text; }
    }

    private static long autocheckpointOf(StandaloneUnit unit) {
        long[] value = new long[1];
        try (EntityManager em = unit.emf.createEntityManager()) {
            Transactions.inTransaction(em, e -> ((io.dbcomposite.CompositeEntityManager) e).local().unwrap(Session.class).doWork(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("pragma wal_autocheckpoint")) {
                    rs.next();
                    value[0] = rs.getLong(1);
                }
            }));
        }
        return value[0];
    }

    private static Path fileOf(StandaloneUnit unit) {
        return Path.of(unit.localUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", ""));
    }

    private static List<Thread> checkpointThreads(String unitName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("dbcomposite-" + unitName + "-checkpoint")).toList();
    }

    private static void commitNotes(StandaloneUnit unit, int from, int count) {
        for (int i = from; i < from + count; i++) {
            long id = i;
            try (EntityManager em = unit.emf.createEntityManager()) {
                Transactions.inTransaction(em, e -> e.persist(new Note(id, "note " + id)));
            }
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for " + what).isLessThan(end);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a poll, leaving the core to the thread awaited
        }
    }

    @Test
    void by_default_the_checkpoints_run_on_the_units_thread_and_not_in_the_commits() throws Exception {
        try (StandaloneUnit unit = StandaloneUnit.start("ck_background", Note.class)) {
            assertThat(autocheckpointOf(unit)).as("SQLite's own checkpoint, only if the thread falls behind").isEqualTo(16_000);
            assertThat(checkpointThreads("ck_background")).hasSize(1);
            Path file = fileOf(unit);
            long before = Files.size(file);
            // 600 commits of two or three frames each: far below the commits' own threshold of 16,000 frames, so only the
            // unit's thread can copy them over (it is asked after 500)
            commitNotes(unit, 1, 600);
            await("a checkpoint to copy the commits' pages into the database file", () -> {
                try {
                    return Files.size(file) > before + 20 * 4096;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            commitNotes(unit, 601, 2_400);
            assertThat(unit.local("select count(*) from ck_note")).isEqualTo(3_000);
            assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'CkNote'")).isEqualTo(3_000);
        }
        await("the checkpoint thread to end with the unit", () -> checkpointThreads("ck_background").isEmpty());
    }

    @Test
    void inline_keeps_sqlites_own_checkpoint_and_starts_no_thread() {
        try (StandaloneUnit unit = StandaloneUnit.start("ck_inline", null,
                Map.of(CompositeSettings.LOCAL_CHECKPOINT, "inline"), Note.class)) {
            assertThat(autocheckpointOf(unit)).isEqualTo(1_000);
            assertThat(checkpointThreads("ck_inline")).isEmpty();
            commitNotes(unit, 1, 50);
            assertThat(unit.local("select count(*) from ck_note")).isEqualTo(50);
        }
    }

    @Test
    void with_the_applications_own_local_coordinator_no_thread_starts_and_sqlite_keeps_its_own_checkpoint() {
        // that coordinator counts no commit for the thread
        try (StandaloneUnit unit = StandaloneUnit.start("ck_own", null,
                Map.of(CompositeSettings.LOCAL_HIBERNATE_PREFIX + "transaction.coordinator_class", "jdbc"), Note.class)) {
            assertThat(checkpointThreads("ck_own")).isEmpty();
            assertThat(autocheckpointOf(unit)).as("SQLite's own threshold").isEqualTo(1_000);
        }
    }

    @Test
    void a_bad_value_is_refused_naming_the_setting_and_the_valid_values() {
        assertThatThrownBy(() -> StandaloneUnit.start("ck_bad", null, Map.of(CompositeSettings.LOCAL_CHECKPOINT, "sometimes"), Note.class))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("dbcomposite.local.checkpoint").hasMessageContaining("sometimes")
                .hasMessageContaining("background").hasMessageContaining("inline");
    }
}
