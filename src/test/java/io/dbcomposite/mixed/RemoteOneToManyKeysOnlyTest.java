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
 * A transaction whose only remote change is to the keys of a remote-only entity's unidirectional one-to-many (no entity
 * row of it changed) commits them on the remote: before, the commit took it for a transaction that only read the remote
 * and rolled the key update back, silently. With remote-only elements, and with a local element new in the
 * transaction (taken along before its key is written). From a helper session's probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteOneToManyKeysOnlyTest {

    @Entity(name = "F2Crate") @Table(name = "f2_crate")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Crate {
        @Id Long id;
        protected Crate() {}
        Crate(long id) { this.id = id; }
    }

    @Entity(name = "F2Box") @Table(name = "f2_box")
    public static class Box {
        @Id Long id;
        protected Box() {}
        Box(long id) { this.id = id; }
    }

    @Entity(name = "F2Rack") @Table(name = "f2_rack")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Rack {
        @Id Long id;
        @OneToMany @JoinColumn(name = "rack_id") List<Crate> crates = new ArrayList<>();
        @OneToMany @JoinColumn(name = "rack_id") List<Box> boxes = new ArrayList<>();
        protected Rack() {}
        Rack(long id) { this.id = id; }
    }

    StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("F2", Crate.class, Box.class, Rack.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) unit.close();
    }

    @Test
    void remote_only_elements() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> { em.persist(new Rack(1)); em.persist(new Crate(1)); });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Rack.class, 1L).crates.add(em.find(Crate.class, 1L)));
        assertThat(unit.remote("select count(*) from f2_crate where id = 1 and rack_id = 1")).isEqualTo(1);
    }

    @Test
    void local_element_new_in_the_transaction() {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(new Rack(2)));
        Box box = new Box(2);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> { em.persist(box); em.find(Rack.class, 2L).boxes.add(box); });
        unit.emf.sync();
        assertThat(unit.remote("select count(*) from f2_box where id = 2 and rack_id = 2")).isEqualTo(1);
    }
}
