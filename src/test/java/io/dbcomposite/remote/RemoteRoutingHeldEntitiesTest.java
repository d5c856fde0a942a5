package io.dbcomposite.remote;

import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.differential.model.Jar;
import io.dbcomposite.differential.model.JarSize;
import io.dbcomposite.differential.model.Shelf;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's REMOTE routing (differential items 4 and 5): an entity held by the local session until commit
 * ({@code Habitat}, {@code Jar}: read and written REMOTE, {@code onRemoteFail=QUEUE}) behaves within its transaction as
 * plain Hibernate's: a find after its persist returns it, it may refer to an instance the remote session loaded, and
 * a query on the remote sees what the transaction did to it so far (items 5, 4 and 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRoutingHeldEntitiesTest {

    private static final AtomicLong IDS = new AtomicLong(13000);

    private RemoteRoutingUnit unit;

    @BeforeAll
    void start() {
        unit = new RemoteRoutingUnit("RemoteRoutingHeldEntities");
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void a_find_after_the_persist_of_a_held_entity_returns_the_persisted_instance() {
        String code = "H" + IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Habitat h = new Habitat(code, "Raised bog", 310);
            em.persist(h);

            assertThat(em.find(Habitat.class, code)).isSameAs(h);
            em.getTransaction().commit();
        }

        assertThat(unit.remoteValue("select name from habitat where code = ?", code)).isEqualTo("Raised bog");
    }

    @Test
    void a_held_entity_may_refer_to_an_instance_the_remote_session_loaded() {
        long shelf = IDS.incrementAndGet();
        long jar = IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Shelf(shelf, "North vault"));
            em.getTransaction().commit();
        }

        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Shelf s = em.find(Shelf.class, shelf);
            Jar j = new Jar(jar, "jar 0", LocalDateTime.parse("2026-02-11T17:45:10.250"), JarSize.SMALL);
            j.setShelf(s);
            em.persist(j);
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select shelf_id from jar where id = ?", jar).get(0)).containsEntry("shelf_id", shelf);
    }

    @Test
    void a_query_after_a_persist_a_flush_and_a_remove_of_a_held_entity_no_longer_sees_it() {
        String code = "T" + IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            long before = em.createQuery("select count(h) from Habitat h", Long.class).getSingleResult();
            Habitat h = new Habitat(code, "Temporary", 1);
            em.persist(h);
            em.flush();
            em.remove(h);

            assertThat(em.createQuery("select count(h) from Habitat h", Long.class).getSingleResult()).isEqualTo(before);
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select code from habitat where code = ?", code)).isEmpty();
    }

    @Test
    void a_query_after_the_remove_of_a_held_entity_a_remote_query_loaded_no_longer_sees_it() {
        String code = "R" + IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Habitat(code, "Scree", 1450));
            em.getTransaction().commit();
        }
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            long before = em.createQuery("select count(h) from Habitat h", Long.class).getSingleResult();
            // loaded by a query, so managed by the remote session: its removal is a held write only once flushed
            Habitat h = em.createQuery("select h from Habitat h where h.code = :c", Habitat.class).setParameter("c", code)
                    .getSingleResult();
            em.remove(h);

            assertThat(em.createQuery("select count(h) from Habitat h", Long.class).getSingleResult()).isEqualTo(before - 1);
            em.getTransaction().commit();
        }

        assertThat(unit.remote("select code from habitat where code = ?", code)).isEmpty();
    }

    @Test
    void a_query_after_the_persist_of_a_held_entity_sees_it() {
        String code = "Q" + IDS.incrementAndGet();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(new Habitat(code, "Wet meadow", 120));

            assertThat(em.createQuery("select h.name from Habitat h where h.code = :c", String.class).setParameter("c", code)
                    .getResultList()).containsExactly("Wet meadow");
            em.getTransaction().commit();
        }
    }
}
