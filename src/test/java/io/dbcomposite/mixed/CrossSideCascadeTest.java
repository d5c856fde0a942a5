package io.dbcomposite.mixed;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cascades that cross sides (contract, "Mixed routing and foreign keys"): a pet kept locally saves its new visit,
 * which is read and written on the remote only; each cascaded entity lands on its own write side, with the rows it
 * refers to taken along. SQLite + PostgreSQL with the remote's foreign keys in place.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSideCascadeTest {

    private StandaloneUnit unit;
    private String schema;
    private String localUrl;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("CrossSideCascade", Pet.class, Visit.class, VetNote.class);
        schema = unit.schema;
        localUrl = unit.localUrl;
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }


    private long remote(String sql, Object... params) {
        return unit.remote(sql, params);
    }

    private long local(String sql, Object... params) {
        return unit.local(sql, params);
    }

    private static byte[] bytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    @Test
    void a_new_local_pet_persisted_with_a_new_remote_visit_puts_each_on_its_own_side() {
        Pet pet = new Pet("Leo");
        Visit visit = new Visit("rabies shot");
        pet.addVisit(visit);

        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(pet));

        assertThat(local("select count(*) from pet where id = ?", bytes(pet.getId()))).isEqualTo(1);
        assertThat(local("select count(*) from visit where id = ?", bytes(visit.getId()))).isZero();
        assertThat(remote("select count(*) from visit where id = ? and pet_id = ? and description = 'rabies shot'",
                visit.getId(), pet.getId())).isEqualTo(1);
        assertThat(remote("select count(*) from pet where id = ?", pet.getId())).as("the pet the visit refers to").isEqualTo(1);
    }

    @Test
    void a_visit_added_to_a_pet_loaded_earlier_and_saved_by_merge_lands_on_the_remote() {
        Pet pet = new Pet("Basil");
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(pet));
        Pet detached;
        try (CompositeEntityManager em = emf.createEntityManager()) {
            detached = em.find(Pet.class, pet.getId());
            detached.getVisits().size();
        }
        Visit visit = new Visit("checkup");
        detached.addVisit(visit);

        Transactions.inTransaction(emf.createEntityManager(), em -> em.merge(detached));

        assertThat(remote("select count(*) from visit where id = ? and pet_id = ?", visit.getId(), pet.getId())).isEqualTo(1);
        assertThat(local("select count(*) from visit where id = ?", bytes(visit.getId()))).isZero();
        try (CompositeEntityManager em = emf.createEntityManager()) {
            assertThat(em.find(Visit.class, visit.getId()).getDescription()).isEqualTo("checkup");
        }
    }

    @Test
    void a_cascaded_update_and_an_orphan_removal_in_the_same_transaction_reach_the_remote() {
        Pet pet = new Pet("Mia");
        Visit keep = new Visit("first");
        Visit drop = new Visit("second");
        pet.addVisit(keep);
        pet.addVisit(drop);

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(pet);
            em.flush();
            keep.setDescription("first, edited");
            pet.getVisits().remove(drop);
        });

        assertThat(remote("select count(*) from visit where id = ? and description = 'first, edited'", keep.getId())).isEqualTo(1);
        assertThat(remote("select count(*) from visit where id = ?", drop.getId())).isZero();
        assertThat(local("select count(*) from visit")).isZero();
    }

    @Test
    void a_unidirectional_one_to_many_sets_the_key_column_of_its_remote_rows() {
        Pet pet = new Pet("Rex");
        VetNote note = new VetNote("allergic to penicillin");
        pet.getNotes().add(note);

        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(pet));

        assertThat(remote("select count(*) from vetnote where id = ? and pet_id = ?", note.getId(), pet.getId())).isEqualTo(1);
        assertThat(local("select count(*) from vetnote where id = ?", bytes(note.getId()))).isZero();
    }
}
