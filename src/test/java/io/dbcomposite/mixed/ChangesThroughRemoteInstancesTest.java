package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.*;
import org.junit.jupiter.api.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A locally written entity reached through a remote-only one (a {@code Dog}'s {@code home}) is an instance the remote
 * session loaded, from a remote row that may lag the local one by changes still pending in the sync log. A change made
 * through it reaches the local row as a change of what it changed: the local row's other columns, and its unsynced
 * changes, stay; a row that moved on or went away meanwhile fails the commit as plain Hibernate's update would. Before,
 * the instance's whole state was written to the local row, silently undoing the unsynced change of another column.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangesThroughRemoteInstancesTest {

    @Entity(name = "G1Home") @Table(name = "g1_home")
    public static class Home {
        @Id Long id;
        String name;
        String address;
        @ElementCollection @CollectionTable(name = "g1_home_tag", joinColumns = @JoinColumn(name = "home_id")) @Column(name = "tag") Set<String> tags = new HashSet<>();
        @ElementCollection @CollectionTable(name = "g1_home_note", joinColumns = @JoinColumn(name = "home_id"))
        @OrderColumn(name = "pos") @Column(name = "note") List<String> notes = new ArrayList<>();
        @Embedded Contact contact = new Contact();
        protected Home() {}
        Home(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Embeddable
    public static class Contact {
        String phone;
        String email;
    }

    @Entity(name = "G1VHome") @Table(name = "g1_vhome")
    public static class VersionedHome {
        @Id Long id;
        String name;
        String address;
        @Version int version;
        protected VersionedHome() {}
        VersionedHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "G1Dog") @Table(name = "g1_dog")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dog {
        @Id Long id;
        @ManyToOne Home home;
        @ManyToOne VersionedHome vhome;
        protected Dog() {}
        Dog(long id) { this.id = id; }
    }

    /** A remote-only owner of local rows that refer back to it: the local side holds no row of it. */
    @Entity(name = "G1Pack") @Table(name = "g1_pack")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Pack {
        @Id Long id;
        @OneToMany(mappedBy = "pack") List<Toy> toys = new ArrayList<>();
        protected Pack() {}
        Pack(long id) { this.id = id; }
    }

    @Entity(name = "G1Toy") @Table(name = "g1_toy")
    public static class Toy {
        @Id Long id;
        String name;
        @ManyToOne Pack pack;
        @ManyToOne Pack spare;
        protected Toy() {}
        Toy(long id, String name, Pack pack) { this.id = id; this.name = name; this.pack = pack; }
    }

    @Entity(name = "G1Shed") @Table(name = "g1_shed")
    public static class Shed {
        @Id Long id;
        protected Shed() {}
        Shed(long id) { this.id = id; }
    }

    @Entity(name = "G1Yard") @Table(name = "g1_yard")
    public static class Yard {
        @Id Long id;
        @OneToMany @JoinColumn(name = "yard_id") Set<Shed> sheds = new HashSet<>();
        protected Yard() {}
        Yard(long id) { this.id = id; }
    }

    @Entity(name = "G1Cat") @Table(name = "g1_cat")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Cat {
        @Id Long id;
        @ManyToOne Yard yard;
        protected Cat() {}
        Cat(long id, Yard yard) { this.id = id; this.yard = yard; }
    }

    StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("G1", Home.class, VersionedHome.class, Dog.class, Pack.class, Toy.class, Shed.class, Yard.class, Cat.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) unit.close();
    }

    /** Home #id with a dog on the remote, then a local change of its address, tags, notes and phone left unsynced. */
    private void homeWithUnsyncedAddress(long id) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Home home = new Home(id, "first", "old street");
            home.tags.add("kept");
            home.notes.add("first note");
            home.contact.phone = "111";
            home.contact.email = "a@example.org";
            em.persist(home);
            em.persist(new VersionedHome(id, "first", "old street"));
        });
        unit.emf.sync();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Dog dog = new Dog(id);
            dog.home = em.find(Home.class, id);
            dog.vhome = em.find(VersionedHome.class, id);
            em.persist(dog);
        });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Home home = em.find(Home.class, id);
            home.address = "new street";
            home.tags.add("local");
            home.notes.add("local note");
            home.contact.phone = "222";
            em.find(VersionedHome.class, id).address = "new street";
        });
        assertThat(unit.remote("select count(*) from g1_home where id = ? and address = 'old street'", id))
                .as("the address change is still pending").isEqualTo(1);
    }

    @Test
    void a_change_through_the_remote_instance_keeps_the_unsynced_change_of_another_column() {
        homeWithUnsyncedAddress(1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Dog.class, 1L).home.name = "renamed");
        assertThat(unit.local("select count(*) from g1_home where id = 1 and name = 'renamed' and address = 'new street'"))
                .as("Home#1 locally: the rename and the earlier address change").isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home where id = 1 and name = 'renamed' and address = 'new street'"))
                .as("Home#1 on the remote after the sync").isEqualTo(1);
        assertThat(unit.local("select count(*) from g1_home_tag where home_id = 1 and tag in ('kept', 'local')"))
                .as("Home#1's tags locally").isEqualTo(2);
        assertThat(unit.remote("select count(*) from g1_home_tag where home_id = 1 and tag in ('kept', 'local')"))
                .isEqualTo(2);
    }

    @Test
    void a_collection_change_through_the_remote_instance_keeps_the_unsynced_change_of_a_column() {
        homeWithUnsyncedAddress(2);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Dog.class, 2L).home.tags.add("added"));
        assertThat(unit.local("select count(*) from g1_home where id = 2 and name = 'first' and address = 'new street'"))
                .as("Home#2 locally keeps its address change").isEqualTo(1);
        assertThat(unit.local("select count(*) from g1_home_tag where home_id = 2")).isEqualTo(3);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home where id = 2 and name = 'first' and address = 'new street'"))
                .isEqualTo(1);
        assertThat(unit.remote("select count(*) from g1_home_tag where home_id = 2 and tag in ('kept', 'added')"))
                .isEqualTo(2);
    }

    @Test
    void a_change_of_a_column_the_local_row_changed_too_takes_the_later_value() {
        homeWithUnsyncedAddress(3);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Dog.class, 3L).home.address = "third street");
        assertThat(unit.local("select count(*) from g1_home where id = 3 and name = 'first' and address = 'third street'"))
                .isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home where id = 3 and name = 'first' and address = 'third street'"))
                .isEqualTo(1);
    }

    @Test
    void a_versioned_row_that_moved_on_locally_fails_the_commit_and_nothing_is_written() {
        homeWithUnsyncedAddress(4);
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(),
                em -> em.find(Dog.class, 4L).vhome.name = "renamed"))
                .hasStackTraceContaining("G1VHome");
        assertThat(unit.local("select count(*) from g1_vhome where id = 4 and name = 'first' and address = 'new street'"))
                .isEqualTo(1);
    }

    @Test
    void a_row_deleted_locally_is_not_written_again_by_a_change_through_the_remote_instance() {
        homeWithUnsyncedAddress(5);
        // the local row goes away (unsynced); the remote dog still refers to the remote one
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.remove(em.find(Home.class, 5L)));
        assertThat(unit.local("select count(*) from g1_home where id = 5")).isZero();
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(),
                em -> em.find(Dog.class, 5L).home.name = "renamed"))
                .hasStackTraceContaining("G1Home").hasStackTraceContaining("5");
        assertThat(unit.local("select count(*) from g1_home where id = 5")).as("not written again").isZero();
    }

    @Test
    void a_set_element_removed_through_the_remote_instance_keeps_the_element_added_locally() {
        homeWithUnsyncedAddress(6);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Dog.class, 6L).home.tags.remove("kept"));
        assertThat(unit.local("select count(*) from g1_home_tag where home_id = 6")).isEqualTo(1);
        assertThat(unit.local("select count(*) from g1_home_tag where home_id = 6 and tag = 'local'")).isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home_tag where home_id = 6")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from g1_home_tag where home_id = 6 and tag = 'local'")).isEqualTo(1);
    }

    @Test
    void a_part_of_an_embeddable_changed_through_the_remote_instance_keeps_the_other_part_changed_locally() {
        homeWithUnsyncedAddress(7);
        Transactions.inTransaction(unit.emf.createEntityManager(),
                em -> em.find(Dog.class, 7L).home.contact.email = "b@example.org");
        assertThat(unit.local("select count(*) from g1_home where id = 7 and phone = '222' and email = 'b@example.org'"))
                .isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home where id = 7 and phone = '222' and email = 'b@example.org'"))
                .isEqualTo(1);
    }

    @Test
    void a_list_changed_on_both_sides_is_refused_naming_it_and_nothing_is_written() {
        homeWithUnsyncedAddress(8);
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Dog dog = em.find(Dog.class, 8L);
            dog.home.notes.add("remote note");
            dog.home.name = "renamed";
        })).hasStackTraceContaining("G1Home").hasStackTraceContaining("'notes'").hasStackTraceContaining("8");
        assertThat(unit.local("select count(*) from g1_home where id = 8 and name = 'first' and address = 'new street'"))
                .isEqualTo(1);
        assertThat(unit.local("select count(*) from g1_home_note where home_id = 8")).isEqualTo(2);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home where id = 8 and name = 'first' and address = 'new street'"))
                .isEqualTo(1);
        assertThat(unit.remote("select count(*) from g1_home_note where home_id = 8")).as("nothing of it on the remote")
                .isEqualTo(2);
    }

    @Test
    void a_list_changed_through_the_remote_instance_alone_is_written_whole() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Home home = new Home(9, "first", "old street");
            home.notes.add("first note");
            em.persist(home);
        });
        unit.emf.sync();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Dog dog = new Dog(9);
            dog.home = em.find(Home.class, 9L);
            em.persist(dog);
        });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Home.class, 9L).address = "new street");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Dog.class, 9L).home.notes.add(0, "remote note"));
        assertThat(unit.local("select count(*) from g1_home_note where home_id = 9 and (pos, note) in"
                + " (values (0, 'remote note'), (1, 'first note'))")).isEqualTo(2);
        assertThat(unit.local("select count(*) from g1_home where id = 9 and address = 'new street'")).isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_home_note where home_id = 9 and (pos, note) in"
                + " (values (0, 'remote note'), (1, 'first note'))")).isEqualTo(2);
    }

    /**
     * The local row's to-one to a remote-only entity, which the local side cannot load (it holds no row of it), keeps its
     * key when the row is changed through an instance the remote session loaded, and when it is changed locally: both
     * wrote it back as null, silently, and the change then reached the remote so. A key changed locally and not yet
     * synced (the spare pack) is kept as the local row holds it. From a helper session's probe.
     */
    @Test
    void a_to_one_to_a_remote_only_entity_keeps_its_key() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> { em.persist(new Pack(20)); em.persist(new Pack(21)); });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Toy(20, "ball", em.find(Pack.class, 20L))));
        unit.emf.sync();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Toy.class, 20L).spare = em.find(Pack.class, 21L));
        assertThat(unit.local("select count(*) from g1_toy where id = 20 and pack_id = 20 and spare_id = 21"))
                .as("a local change keeps the key it could not load").isEqualTo(1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Pack.class, 20L).toys.get(0).name = "renamed");
        assertThat(unit.local("select count(*) from g1_toy where id = 20 and name = 'renamed' and pack_id = 20 and spare_id = 21"))
                .isEqualTo(1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Toy.class, 20L).name = "renamed again");
        long logged = unit.local("select count(*) from dbc_sync_log where entity_name = 'G1Toy'");
        jakarta.persistence.EntityManager same = unit.emf.createEntityManager();
        try {
            same.getTransaction().begin();
            Toy toy = same.find(Toy.class, 20L);
            toy.name = "flushed twice";
            same.flush();
            same.getTransaction().commit();
            same.getTransaction().begin(); // the same instance, unchanged: nothing is written
            same.getTransaction().commit();
        } finally {
            same.close();
        }
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'G1Toy'"))
                .as("one change logged, no write of an unchanged row").isEqualTo(logged + 1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Toy.class, 20L).name = "renamed again");
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_toy where id = 20 and name = 'renamed again' and pack_id = 20"
                + " and spare_id = 21")).isEqualTo(1);
        assertThat(unit.local("select count(*) from g1_toy where id = 20 and pack_id = 20 and spare_id = 21")).isEqualTo(1);
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }

    /**
     * The key a unidirectional one-to-many keeps in its elements' rows, changed through an instance the remote session
     * loaded: set locally for the elements added and removed, logged with the owner, and so on the remote after the
     * sync. It never reached the remote (the remote session's own write of it ended with a transaction that only read
     * there), silently. From a helper session's review.
     */
    @Test
    void a_one_to_many_key_changed_through_the_remote_instance_reaches_the_remote() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Yard yard = new Yard(30);
            Shed a = new Shed(31);
            Shed b = new Shed(32);
            em.persist(a);
            em.persist(b);
            yard.sheds.add(a);
            yard.sheds.add(b);
            em.persist(yard);
        });
        unit.emf.sync();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Cat(30, em.find(Yard.class, 30L))));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Shed(33)));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Yard.class, 30L).sheds.add(em.find(Shed.class, 33L)));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Cat.class, 30L).yard.sheds.removeIf(s -> s.id == 31L));
        assertThat(unit.local("select count(*) from g1_shed where yard_id = 30 and id in (32, 33)")).isEqualTo(2);
        assertThat(unit.local("select count(*) from g1_shed where id = 31 and yard_id is null")).isEqualTo(1);
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from g1_shed where yard_id = 30 and id in (32, 33)")).isEqualTo(2);
        assertThat(unit.remote("select count(*) from g1_shed where id = 31 and yard_id is null")).isEqualTo(1);
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }
}
