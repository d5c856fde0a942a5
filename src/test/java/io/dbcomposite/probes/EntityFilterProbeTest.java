package io.dbcomposite.probes;

import io.dbcomposite.CompositeException;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
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
import org.hibernate.Session;
import org.hibernate.annotations.Filter;
import org.hibernate.annotations.FilterDef;
import org.hibernate.annotations.ParamDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A session filter on the target entity of a many-to-many (a soft-delete style "active" filter): the owner's join rows
 * to filtered-out targets stay on the remote when the owner changes under the filter, and a change of the collection
 * under the filter is refused rather than replayed without them.
 */
class EntityFilterProbeTest {

    @Entity(name = "PbMember")
    @Table(name = "pb_member")
    @FilterDef(name = "pbActiveOnly", parameters = @ParamDef(name = "flag", type = Integer.class))
    @Filter(name = "pbActiveOnly", condition = "active_flag = :flag")
    public static class Member {
        @Id
        public Long id;
        @jakarta.persistence.Column(name = "active_flag")
        public Integer activeFlag;
    }

    @Entity(name = "PbClub")
    @Table(name = "pb_club")
    public static class Club {
        @Id
        public Long id;
        public String name;
        @ManyToMany
        @JoinTable(name = "pb_club_members", joinColumns = @JoinColumn(name = "club_id"),
                inverseJoinColumns = @JoinColumn(name = "member_id"))
        @Filter(name = "pbActiveOnly", condition = "active_flag = :flag")
        public Set<Member> members = new HashSet<>();
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void join_rows_to_filtered_out_targets_stay(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbEntityFilter", null, Map.of(), Member.class, Club.class)) {
            work(unit);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void join_rows_to_filtered_out_targets_stay_written_to_both_sides(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbEntityFilterDual", dual, Map.of(), Member.class, Club.class)) {
            work(unit);
        }
    }

    private static void work(StandaloneUnit unit) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Club c = new Club();
            c.id = 1L;
            c.name = "c";
            for (long i = 1; i <= 3; i++) {
                Member m = new Member();
                m.id = i;
                m.activeFlag = i == 2 ? 0 : 1;
                em.persist(m);
                c.members.add(m);
            }
            em.persist(c);
        });
        sync(unit);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.local().unwrap(Session.class).enableFilter("pbActiveOnly").setParameter("flag", 1);
            Club c = em.find(Club.class, 1L);
            assertThat(c.members).extracting(m -> m.id).containsOnly(1L, 3L);
            c.name = "renamed";
        });
        sync(unit);
        assertThat(unit.local("select count(*) from pb_club_members")).isEqualTo(3);
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.local().unwrap(Session.class).enableFilter("pbActiveOnly").setParameter("flag", 1);
            Club c = em.find(Club.class, 1L);
            c.members.removeIf(m -> m.id == 3L);
        })).hasStackTraceContaining(CompositeException.class.getName()).hasStackTraceContaining("'members'")
                .hasStackTraceContaining("pbActiveOnly");
        assertThat(unit.local("select count(*) from pb_club_members")).isEqualTo(3);
        sync(unit);
    }

    private static void sync(StandaloneUnit unit) {
        ProbeRows.syncAll(unit);
        for (String table : new String[] {"pb_member", "pb_club", "pb_club_members"}) {
            ProbeRows.assertSameRows(unit, table, 1);
        }
    }
}
