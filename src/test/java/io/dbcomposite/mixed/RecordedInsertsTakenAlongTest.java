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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remote-only write that refers to rows recorded for the remote in the same transaction takes along only the inserts
 * it needs: the other writes recorded for the remote (updates, deletes, the keys of a one-to-many) wait for the commit,
 * behind the remote session's own writes as in flush order. Sending them all at once lost a one-to-many key written
 * before its element existed, silently, and failed commits on the remote's foreign keys. From a helper session's probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordedInsertsTakenAlongTest {

    @Entity(name = "F1Shed") @Table(name = "f1_shed")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Shed {
        @Id Long id; String name;
        @ManyToOne Room room;
        protected Shed() {}
        Shed(long id, String name) { this.id = id; this.name = name; }
    }

    @Entity(name = "F1Dog") @Table(name = "f1_dog")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dog {
        @Id Long id;
        @ManyToOne Shed shed;
        protected Dog() {}
        Dog(long id, Shed shed) { this.id = id; this.shed = shed; }
    }

    @Entity(name = "F1Room") @Table(name = "f1_room")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Room {
        @Id Long id;
        protected Room() {}
        Room(long id) { this.id = id; }
    }

    @Entity(name = "F1House") @Table(name = "f1_house")
    public static class House {
        @Id Long id;
        @OneToMany @JoinColumn(name = "house_id") List<Room> rooms = new ArrayList<>();
        protected House() {}
        House(long id) { this.id = id; }
    }

    StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("F1", Shed.class, Dog.class, Room.class, House.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) unit.close();
    }

    @Test
    void silent_loss_of_a_local_owner_s_one_to_many_key() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Shed(1, "stored")));
        Room room = new Room(1);
        House house = new House(1);
        house.rooms.add(room);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Shed shed = em.find(Shed.class, 1L);
            shed.name = "renamed";            // a write recorded for the remote
            em.persist(new Dog(1, shed));     // remote insert referring to it: the recorded writes are sent now
            em.persist(room);                 // inserted by the remote flush after that
            em.persist(house);                // its key write went before the room existed
        });
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from f1_room where id = 1 and house_id = 1"))
                .as("House#1.rooms = [Room#1] committed, the remote must hold it").isEqualTo(1);
    }

    @Test
    void failed_commit_of_a_dual_row_referring_to_a_later_remote_insert() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Shed(2, "stored")));
        Room room = new Room(2);
        Shed other = new Shed(3, "new");
        other.room = room;
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Shed shed = em.find(Shed.class, 2L);
            shed.name = "renamed";
            em.persist(new Dog(2, shed));
            em.persist(room);
            em.persist(other);
        });
        assertThat(unit.remote("select count(*) from f1_shed where id = 3 and room_id = 2")).isEqualTo(1);
    }

    /** A DUAL delete recorded earlier in the flush goes out before the remote update that stops referring to it. */
    @Test
    void failed_commit_of_a_repoint_and_delete() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> { em.persist(new Shed(50, "old")); em.persist(new Shed(51, "other")); });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Dog(50, em.find(Shed.class, 50L))));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Shed other = em.find(Shed.class, 51L);
            other.name = "touched";
            em.find(Dog.class, 50L).shed = other;
            em.remove(em.find(Shed.class, 50L));
        });
        assertThat(unit.remote("select count(*) from f1_dog where id = 50 and shed_id = 51")).isEqualTo(1);
    }
}
