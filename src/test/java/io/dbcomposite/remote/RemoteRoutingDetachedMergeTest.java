package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.testing.PostgresTestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.RollbackException;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code merge} of a detached instance of a held, versioned entity ({@link HeldNote}: read and written REMOTE,
 * {@code onRemoteFail=QUEUE}). The local session finds no row of it and inserts it, which reaches the remote as an
 * upsert; that upsert must still check the version the instance was read at, as plain Hibernate's merge does: a row
 * changed meanwhile fails the commit (nothing written, nothing queued), and a change queued during an outage carries that
 * version so its replay sees the conflict. A row deleted meanwhile is inserted again, as plain Hibernate 7.4 does. Plain
 * Hibernate on the same schema is the reference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingDetachedMergeTest {

    private static final AtomicLong IDS = new AtomicLong(12000);

    private RemoteRoutingUnit unit;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingDetachedMerge", true, HeldNote.class);
    }

    @AfterEach
    void networkBack() {
        unit.restoreNetwork();
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private long note() {
        long id = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new HeldNote(id, "first"));
            em.getTransaction().commit();
        }
        // past the version's unsaved value (0), at which plain Hibernate takes a detached instance for a new one
        assertThat(unit.remote("update held_note set version = 1 where id = ? returning id", id)).hasSize(1);
        return id;
    }

    /** @return the note as read by a transaction that ended: detached, at the version the remote row has now */
    private HeldNote detached(EntityManagerFactory factory, long id) {
        try (EntityManager em = factory.createEntityManager()) {
            em.getTransaction().begin();
            HeldNote note = em.find(HeldNote.class, id);
            em.getTransaction().commit();
            return note;
        }
    }

    /** Another transaction moves the remote row on (version + 1). */
    private void changedMeanwhile(long id) {
        assertThat(unit.remote("update held_note set text = 'other', version = version + 1 where id = ? returning id",
                id)).hasSize(1);
    }

    /** @return what merging {@code entity} and committing throws, or null */
    private static Throwable mergeAndCommit(EntityManagerFactory factory, Object entity) {
        try (EntityManager em = factory.createEntityManager()) {
            em.getTransaction().begin();
            try {
                em.merge(entity);
                em.getTransaction().commit();
                return null;
            } catch (RuntimeException e) {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                return e;
            }
        }
    }

    private EntityManagerFactory plainHibernate() {
        return new HibernatePersistenceConfiguration("plain")
                .managedClass(HeldNote.class)
                .jdbcUrl(PostgresTestDatabase.urlFor(unit.schema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .createEntityManagerFactory();
    }

    @Test
    void a_fresh_detached_instance_is_merged_and_its_version_moves_by_one() {
        long id = note();
        HeldNote note = detached(unit.emf, id);
        note.setText("3.25");

        assertThat(mergeAndCommit(unit.emf, note)).isNull();

        assertThat(unit.remote("select text, version from held_note where id = ?", id).get(0))
                .containsEntry("text", "3.25").containsEntry("version", 2);
        assertThat(detached(unit.emf, id).getVersion()).isEqualTo(2);
    }

    @Test
    void a_stale_detached_instance_fails_the_commit_and_writes_nothing_anywhere() {
        long id = note();
        HeldNote note = detached(unit.emf, id); // version 1
        changedMeanwhile(id); // version 2
        note.setText("99.00");
        long pending = unit.emf.getSyncStatus().pendingChanges();

        Throwable thrown = mergeAndCommit(unit.emf, note);

        assertThat(thrown).isInstanceOf(RollbackException.class).cause().isInstanceOf(OptimisticLockException.class)
                .hasMessageContaining("HeldNote").hasMessageContaining(String.valueOf(id));
        assertThat(unit.remote("select text, version from held_note where id = ?", id).get(0))
                .containsEntry("text", "other").containsEntry("version", 2);
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isEqualTo(pending);
        HeldNote now = detached(unit.emf, id);
        assertThat(now.getText()).isEqualTo("other");
        assertThat(now.getVersion()).isEqualTo(2);
    }

    @Test
    void a_stale_detached_instance_fails_with_the_exception_plain_hibernate_throws() {
        try (EntityManagerFactory plain = plainHibernate()) {
            long first = note();
            HeldNote byPlain = detached(plain, first);
            changedMeanwhile(first);
            byPlain.setText("7.00");
            Throwable plainThrew = mergeAndCommit(plain, byPlain);

            long second = note();
            HeldNote byComposite = detached(unit.emf, second);
            changedMeanwhile(second);
            byComposite.setText("7.00");
            Throwable compositeThrew = mergeAndCommit(unit.emf, byComposite);

            assertThat(plainThrew).isNotNull();
            assertThat(compositeThrew).isNotNull();
            // plain Hibernate's merge loads the row and fails at once; the local session cannot load it, so the composite
            // fails the commit, with the same exception as its cause
            assertThat(plainThrew).isInstanceOf(OptimisticLockException.class);
            assertThat(compositeThrew).isInstanceOf(RollbackException.class).cause().isInstanceOf(OptimisticLockException.class);
        }
    }

    @Test
    void a_detached_instance_whose_row_was_deleted_is_inserted_again_as_plain_hibernate_does() {
        try (EntityManagerFactory plain = plainHibernate()) {
            long first = note();
            HeldNote byPlain = detached(plain, first);
            unit.remote("delete from held_note where id = ? returning id", first);
            byPlain.setText("8.00");
            Throwable plainThrew = mergeAndCommit(plain, byPlain);

            long second = note();
            HeldNote byComposite = detached(unit.emf, second);
            unit.remote("delete from held_note where id = ? returning id", second);
            byComposite.setText("8.00");
            Throwable compositeThrew = mergeAndCommit(unit.emf, byComposite);

            // Hibernate 7.4's merge finds no row and persists the instance again, at the version it was read at
            assertThat(plainThrew).isNull();
            assertThat(compositeThrew).isNull();
            assertThat(unit.remote("select text, version from held_note where id = ?", first).get(0))
                    .containsEntry("text", "8.00").containsEntry("version", 1);
            assertThat(unit.remote("select text, version from held_note where id = ?", second).get(0))
                    .containsEntry("text", "8.00").containsEntry("version", 1);
        }
    }

    @Test
    void a_merge_queued_during_an_outage_is_not_replayed_over_a_row_changed_meanwhile() {
        long id = note();
        HeldNote note = detached(unit.emf, id); // version 1
        note.setText("55.00");
        unit.proxy.cut();
        assertThat(mergeAndCommit(unit.emf, note)).isNull();
        unit.restoreNetwork();
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isEqualTo(1);
        changedMeanwhile(id); // version 2

        unit.emf.sync();

        assertThat(unit.remote("select text, version from held_note where id = ?", id).get(0))
                .containsEntry("text", "other").containsEntry("version", 2);
        // a conflict (onConflict=FAIL, the default): held for retry or discard, not retried until DEAD
        assertThat(unit.emf.getSyncStatus().conflictCount()).isEqualTo(1);
        assertThat(unit.emf.getSyncStatus().lastError()).contains("Conflict", "HeldNote", String.valueOf(id));
    }

    @Test
    void a_merge_queued_during_an_outage_of_a_row_nobody_changed_is_replayed_with_the_next_version() {
        long id = note();
        HeldNote note = detached(unit.emf, id);
        note.setText("5.50");
        unit.proxy.cut();
        assertThat(mergeAndCommit(unit.emf, note)).isNull();
        unit.restoreNetwork();

        unit.emf.sync();

        assertThat(unit.remote("select text, version from held_note where id = ?", id).get(0))
                .containsEntry("text", "5.50").containsEntry("version", 2);
    }

    @Test
    void an_unversioned_held_entity_is_still_merged_as_an_upsert() {
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Habitat("HM-1", "Marsh", 10));
            em.getTransaction().commit();
        }
        Habitat habitat;
        try (EntityManager em = unit.emf.createEntityManager()) {
            habitat = em.find(Habitat.class, "HM-1");
        }
        habitat.setName("Salt marsh");

        assertThat(mergeAndCommit(unit.emf, habitat)).isNull();

        assertThat(unit.remoteValue("select name from habitat where code = ?", "HM-1")).isEqualTo("Salt marsh");
    }

    @Test
    void a_merged_instance_changed_again_after_a_flush_counts_its_version_on_as_in_plain_hibernate() {
        try (EntityManagerFactory plain = plainHibernate()) {
            long first = note();
            HeldNote byPlain = detached(plain, first);
            long second = note();
            HeldNote byComposite = detached(unit.emf, second);
            byPlain.setText("merged");
            byComposite.setText("merged");
            for (EntityManagerFactory factory : java.util.List.of(plain, unit.emf)) {
                try (EntityManager em = factory.createEntityManager()) {
                    em.getTransaction().begin();
                    HeldNote managed = em.merge(factory == plain ? byPlain : byComposite);
                    em.flush();
                    managed.setText("again");
                    em.getTransaction().commit();
                }
            }

            assertThat(unit.remote("select text, version from held_note where id = ?", first).get(0))
                    .containsEntry("text", "again").containsEntry("version", 3);
            assertThat(unit.remote("select text, version from held_note where id = ?", second))
                    .isEqualTo(unit.remote("select text, version from held_note where id = ?", first));
        }
    }
}
