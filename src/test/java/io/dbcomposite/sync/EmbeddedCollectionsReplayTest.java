package io.dbcomposite.sync;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.*;
import org.junit.jupiter.api.*;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code @ElementCollection} inside an {@code @Embeddable}: its rows reach the remote with the row (Hibernate's stateless
 * writes, which the replay uses, leave them alone, so they never did), and a change made in place is no conflict (the
 * change's base, read from the instance, holds the live collection: it was reported as one, and with
 * {@code onConflict=REMOTE_WINS} the local change was undone, silently). From a helper session's review and probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedCollectionsReplayTest {

    @Embeddable
    public static class Inner {
        @ElementCollection @CollectionTable(name = "k1_deep", joinColumns = @JoinColumn(name = "box_id"))
        @Column(name = "item") Set<String> deep = new HashSet<>();
    }

    @Embeddable
    public static class Details {
        String note;
        @ElementCollection @CollectionTable(name = "k1_tag", joinColumns = @JoinColumn(name = "box_id"))
        @Column(name = "tag") Set<String> tags = new HashSet<>();
        @Embedded Inner inner = new Inner();
    }

    @Entity(name = "K1Box") @Table(name = "k1_box")
    public static class Box {
        @Id Long id;
        String title;
        @Embedded Details details = new Details();
        protected Box() {}
        Box(long id) { this.id = id; }
    }

    @Embeddable
    public static class Labels {
        @ElementCollection @CollectionTable(name = "k1_label", joinColumns = @JoinColumn(name = "crate_id"))
        @Column(name = "label") Set<String> labels = new HashSet<>();
    }

    @Entity(name = "K1Crate") @Table(name = "k1_crate")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class Crate {
        @Id Long id;
        @Embedded Labels labels = new Labels();
        protected Crate() {}
        Crate(long id) { this.id = id; }
    }

    StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("K1", Box.class, Crate.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) unit.close();
    }

    private long remote(String table, long id) {
        return unit.remote("select count(*) from " + table + " where box_id = ?", id);
    }

    @Test
    void inserted_changed_in_place_and_cleared() {
        Box box = new Box(1);
        box.details.tags.add("a");
        box.details.inner.deep.add("d1");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(box));
        unit.emf.sync();
        assertThat(remote("k1_tag", 1)).isEqualTo(1);
        assertThat(remote("k1_deep", 1)).isEqualTo(1);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Box.class, 1L).details.tags.add("b"));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Box.class, 1L).details.inner.deep.add("d2"));
        unit.emf.sync();
        assertThat(unit.emf.getSyncStatus().conflictCount()).as("no conflict").isZero();
        assertThat(remote("k1_tag", 1)).isEqualTo(2);
        assertThat(remote("k1_deep", 1)).isEqualTo(2);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Box.class, 1L).title = "only the title");
        unit.emf.sync();
        assertThat(remote("k1_tag", 1)).as("kept by a change of another column").isEqualTo(2);

        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Box.class, 1L).details = null);
        unit.emf.sync();
        assertThat(unit.local("select count(*) from k1_tag where box_id = 1")).isZero();
        assertThat(remote("k1_tag", 1)).isZero();
        assertThat(remote("k1_deep", 1)).isZero();
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }

    @Test
    void a_dual_queue_entity_gets_its_embedded_collection_in_the_call() {
        Crate crate = new Crate(1);
        crate.labels.labels.add("fragile");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(crate));
        assertThat(unit.remote("select count(*) from k1_label where crate_id = 1")).isEqualTo(1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Crate.class, 1L).labels.labels.add("heavy"));
        assertThat(unit.remote("select count(*) from k1_label where crate_id = 1")).isEqualTo(2);
        unit.emf.sync();
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
    }
}
