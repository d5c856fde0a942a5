package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.*;
import org.junit.jupiter.api.*;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remote-only entity whose to-one cascades {@code persist} to a new locally written entity (a {@code Dog} and its
 * new {@code Kennel}): the kennel is written on its own side, locally and logged, and reaches the remote before the dog
 * that refers to it, in the same remote transaction, as the contract's "Mixed routing and foreign keys" promises for
 * rows new in the transaction. Before, the commit failed on the remote's foreign key (the cascaded kennel was applied
 * locally after the remote flush), and with the kennel persisted first on the composite entity manager the cascade
 * failed with "detached entity passed to persist". A remove cascaded the same way deletes the local row and logs it.
 * Without a foreign key on the remote to make the first case fail, the cascaded kennel was written locally and never
 * logged, and the cascaded delete too: the remote never got either, silently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCascadesToLocalTest {

    @Entity(name = "H1Kennel") @Table(name = "h1_kennel")
    public static class Kennel {
        @Id Long id;
        String name;
        protected Kennel() {}
        Kennel(long id, String name) { this.id = id; this.name = name; }
    }

    @Entity(name = "H1Dog") @Table(name = "h1_dog")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dog {
        @Id Long id;
        @ManyToOne(cascade = {CascadeType.PERSIST, CascadeType.REMOVE}) Kennel kennel;
        protected Dog() {}
        Dog(long id, Kennel kennel) { this.id = id; this.kennel = kennel; }
    }

    StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("H1", Kennel.class, Dog.class, Crate.class, Cat.class, Bowl.class, Puppy.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) unit.close();
    }

    private void bothSidesHold(long id) {
        assertThat(unit.local("select count(*) from h1_kennel where id = ? and name = 'new'", id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from h1_kennel where id = ? and name = 'new'", id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from h1_dog where id = ? and kennel_id = ?", id, id)).isEqualTo(1);
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'H1Kennel' and entity_id = '" + id
                + "' and status = 'SYNCED'")).as("the kennel's change went along with the dog").isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from h1_kennel where id = ?", id)).isEqualTo(1);
    }

    @Test
    void a_persist_cascaded_from_a_remote_only_entity_to_a_new_local_one() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Dog(1, new Kennel(1, "new"))));
        bothSidesHold(1);
    }

    @Test
    void the_local_entity_persisted_first_then_the_remote_only_one_that_cascades_to_it() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Kennel kennel = new Kennel(2, "new");
            em.persist(kennel);
            em.persist(new Dog(2, kennel));
        });
        bothSidesHold(2);
    }

    @Test
    void a_cascade_reaching_the_kennel_at_flush() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Dog dog = new Dog(3, null);
            em.persist(dog);
            dog.kennel = new Kennel(3, "new"); // persisted by the cascade of the flush
        });
        bothSidesHold(3);
    }

    @Test
    void a_remove_cascaded_from_a_remote_only_entity_to_a_local_one_reaches_the_remote() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Kennel(4, "synced")));
        unit.emf.sync();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Dog(4, em.find(Kennel.class, 4L))));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.remove(em.find(Dog.class, 4L)));
        assertThat(unit.local("select count(*) from h1_kennel where id = 4")).isZero();
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'H1Kennel' and entity_id = '4'"
                + " and operation = 'DELETE'")).as("the cascaded delete is logged").isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from h1_dog where id = 4")).isZero();
        assertThat(unit.remote("select count(*) from h1_kennel where id = 4")).isZero();
    }

    /** The silent case: no foreign key on the remote to fail the commit, the cascaded kennel must still get there. */
    @Entity(name = "H1Crate") @Table(name = "h1_crate")
    public static class Crate {
        @Id Long id;
        @ElementCollection @CollectionTable(name = "h1_crate_label", joinColumns = @JoinColumn(name = "crate_id"))
        @Column(name = "label") java.util.Set<String> labels = new java.util.HashSet<>();
        protected Crate() {}
        Crate(long id) { this.id = id; }
    }

    @Entity(name = "H1Cat") @Table(name = "h1_cat")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Cat {
        @Id Long id;
        @ManyToOne(cascade = CascadeType.PERSIST) @JoinColumn(foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT)) Crate crate;
        protected Cat() {}
        Cat(long id, Crate crate) { this.id = id; this.crate = crate; }
    }

    @Test
    void without_a_remote_foreign_key_the_cascaded_local_row_is_logged_and_synced() {
        Crate crate = new Crate(1);
        crate.labels.add("fragile");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Cat(1, crate)));
        assertThat(unit.local("select count(*) from h1_crate where id = 1")).isEqualTo(1);
        assertThat(unit.local("select count(*) from h1_crate_label where crate_id = 1 and label = 'fragile'")).isEqualTo(1);
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'H1Crate'")).isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from h1_crate where id = 1")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from h1_crate_label where crate_id = 1 and label = 'fragile'")).isEqualTo(1);
    }

    /** A locally written entity with an IDENTITY id, reached by the cascade: the local session gives it its id. */
    @Entity(name = "H1Bowl") @Table(name = "h1_bowl")
    public static class Bowl {
        @Id @GeneratedValue(strategy = GenerationType.IDENTITY) Long id;
        String colour;
        protected Bowl() {}
        Bowl(String colour) { this.colour = colour; }
    }

    @Entity(name = "H1Puppy") @Table(name = "h1_puppy")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Puppy {
        @Id Long id;
        @ManyToOne(cascade = CascadeType.PERSIST) Bowl bowl;
        protected Puppy() {}
        Puppy(long id, Bowl bowl) { this.id = id; this.bowl = bowl; }
    }

    @Test
    void a_cascaded_local_row_with_an_identity_id() {
        Bowl bowl = new Bowl("red");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Puppy(1, bowl)));
        assertThat(bowl.id).isNotNull();
        assertThat(unit.local("select count(*) from h1_bowl where id = ? and colour = 'red'", bowl.id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from h1_bowl where id = ? and colour = 'red'", bowl.id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from h1_puppy where id = 1 and bowl_id = ?", bowl.id)).isEqualTo(1);
    }

    /**
     * Contract, "Mixed routing and foreign keys": if the remote fails, the FAIL rule of the entities written applies to
     * all of them. A remote refusal of the dog (its id is taken there) leaves nothing of the cascaded kennel anywhere:
     * no local row, no log row, no remote row.
     */
    @Test
    void a_remote_refusal_leaves_nothing_of_the_cascaded_local_row() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Dog(9, new Kennel(9, "new"))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(),
                em -> em.persist(new Dog(9, new Kennel(10, "second")))))
                .isInstanceOf(jakarta.persistence.PersistenceException.class);
        assertThat(unit.local("select count(*) from h1_kennel where id = 10")).isZero();
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'H1Kennel' and entity_id = '10'")).isZero();
        assertThat(unit.remote("select count(*) from h1_kennel where id = 10")).isZero();
        assertThat(unit.remote("select count(*) from h1_dog where id = 9 and kennel_id = 9")).isEqualTo(1);
    }
}
