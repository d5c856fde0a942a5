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
 * plain Hibernate's: a find after its persist returns it, and it may refer to an instance the remote session loaded.
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
}
