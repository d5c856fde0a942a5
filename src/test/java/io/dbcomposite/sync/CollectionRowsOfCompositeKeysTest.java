package io.dbcomposite.sync;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay writes a batch's collection rows after its entity rows, keeping only an owner's latest collection when
 * the batch upserts it more than once. An owner whose {@code @EmbeddedId} holds a to-one is decoded with a new
 * reference at every change, and its id class compares that reference as Java does (the entity has no equals): the
 * replay must still see one owner, else it writes the collection's rows once per change (a bag has no key to refuse
 * the second copy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectionRowsOfCompositeKeysTest {

    @Entity(name = "KShelf")
    @Table(name = "k_shelf")
    public static class Shelf {
        @Id
        public Long id;
        public String name;
    }

    @Embeddable
    public static class SlotKey implements Serializable {
        @ManyToOne
        @JoinColumn(name = "shelf_id")
        public Shelf shelf;
        public Integer slot;

        @Override
        public boolean equals(Object o) {
            return o instanceof SlotKey k && Objects.equals(shelf, k.shelf) && Objects.equals(slot, k.slot);
        }

        @Override
        public int hashCode() {
            return Objects.hash(shelf, slot);
        }
    }

    @Entity(name = "KSlot")
    @Table(name = "k_slot")
    public static class Slot {
        @EmbeddedId
        public SlotKey key;
        public String note;
        @ElementCollection
        @CollectionTable(name = "k_slot_item")
        @Column(name = "item")
        public List<String> items = new ArrayList<>();
    }

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("CompositeKeyRows", Shelf.class, Slot.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private Slot slot(jakarta.persistence.EntityManager em) {
        SlotKey key = new SlotKey();
        key.shelf = em.find(Shelf.class, 1L);
        key.slot = 7;
        return em.find(Slot.class, key);
    }

    @Test
    void an_owner_with_a_reference_in_its_embedded_id_changed_twice_in_one_batch_keeps_one_copy_of_its_rows() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Shelf shelf = new Shelf();
            shelf.id = 1L;
            shelf.name = "top";
            em.persist(shelf);
            Slot slot = new Slot();
            slot.key = new SlotKey();
            slot.key.shelf = shelf;
            slot.key.slot = 7;
            slot.items.add("a");
            em.persist(slot);
        });
        assertThat(unit.emf.sync().failed()).isZero();
        // two local transactions, one batch: the owner's upsert and its collection twice
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> slot(em).items.add("b"));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Slot slot = slot(em);
            slot.items.add("c");
            slot.note = "filled";
        });
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();

        assertThat(PostgresTestDatabase.rows(unit.schema, "select item from k_slot_item order by item"))
                .extracting(row -> row.get("item")).containsExactly("a", "b", "c");
        assertThat(unit.remote("select count(*) from k_slot_item")).isEqualTo(unit.local("select count(*) from k_slot_item"));
        assertThat(unit.remote("select count(*) from k_slot where note = 'filled'")).isEqualTo(1);
    }
}
