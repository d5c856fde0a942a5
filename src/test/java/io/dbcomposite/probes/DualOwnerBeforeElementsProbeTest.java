package io.dbcomposite.probes;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DUAL entity persisted before the entities its join table refers to, in one transaction: plain Hibernate writes
 * every entity row first and the join rows after them, so the transaction commits. Written to the remote in the same
 * call, the owner's join rows were written with the owner's row, before the elements' rows, and the remote's foreign key
 * refused the commit (rolled back on both sides): a valid transaction failed on DUAL only.
 */
class DualOwnerBeforeElementsProbeTest {

    @Entity(name = "PbDualTarget")
    @Table(name = "pb_dual_target")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Target {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "PbDualOwner")
    @Table(name = "pb_dual_owner")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Owner {
        @Id
        public Long id;
        @ManyToMany
        @JoinTable(name = "pb_dual_owner_targets", joinColumns = @JoinColumn(name = "owner_id"),
                inverseJoinColumns = @JoinColumn(name = "target_id"))
        public List<Target> targets = new ArrayList<>();
    }

    @Entity(name = "PbRemoteTarget")
    @Table(name = "pb_remote_target")
    @CompositeRouting(write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class RemoteTarget {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "PbRemoteOwner")
    @Table(name = "pb_remote_owner")
    @CompositeRouting(write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class RemoteOwner {
        @Id
        public Long id;
        @ManyToMany
        @JoinTable(name = "pb_remote_owner_targets", joinColumns = @JoinColumn(name = "owner_id"),
                inverseJoinColumns = @JoinColumn(name = "target_id"))
        public List<RemoteTarget> targets = new ArrayList<>();
    }

    /** Written to the remote, then to the local side as its cache: the same order holds there. */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_remote_written_owner_persisted_before_its_elements_reaches_the_local_cache(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbRemoteOwnerFirst", null, Map.of(),
                RemoteTarget.class, RemoteOwner.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                RemoteOwner o = new RemoteOwner();
                o.id = 1L;
                em.persist(o);
                for (long i = 1; i <= 2; i++) {
                    RemoteTarget t = new RemoteTarget();
                    t.id = i;
                    t.name = "t" + i;
                    em.persist(t);
                    o.targets.add(t);
                }
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                RemoteOwner o = em.find(RemoteOwner.class, 1L);
                o.targets.remove(0);
                RemoteTarget t = new RemoteTarget();
                t.id = 3L;
                t.name = "t3";
                o.targets.add(t);
                em.persist(t);
            });
            for (String table : new String[] {"pb_remote_owner", "pb_remote_target", "pb_remote_owner_targets"}) {
                ProbeRows.assertSameRows(unit, table, 1);
            }
            assertThat(ProbeRows.localRows(unit, "pb_remote_owner_targets")).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void an_owner_persisted_before_its_elements_commits_on_both_sides(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbDualOwnerFirst", null, Map.of(), Target.class, Owner.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Owner o = new Owner();
                o.id = 1L;
                em.persist(o);
                for (long i = 1; i <= 2; i++) {
                    Target t = new Target();
                    t.id = i;
                    t.name = "t" + i;
                    em.persist(t);
                    o.targets.add(t);
                }
            });
            // and an existing owner given a new element in the same transaction as the element's persist
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Owner o = em.find(Owner.class, 1L);
                o.targets.remove(0);
                Target t = new Target();
                t.id = 3L;
                t.name = "t3";
                o.targets.add(t);
                em.persist(t);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            for (String table : new String[] {"pb_dual_owner", "pb_dual_target", "pb_dual_owner_targets"}) {
                ProbeRows.assertSameRows(unit, table, 1);
            }
            assertThat(ProbeRows.localRows(unit, "pb_dual_owner_targets")).hasSize(2);
        }
    }
}
