package io.dbcomposite.conflict;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.Entity;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.NotFound;
import org.hibernate.annotations.NotFoundAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @ManyToOne @NotFound(IGNORE)} whose row was deleted loads as null while its key stays in the column. Updating
 * the referring row afterwards was a false CONFLICT on PostgreSQL ({@code parent: null -> 1}: the change was based on
 * the null Hibernate loaded, the remote row held the key), and the row's transaction waited for a manual retry; found
 * by a probe. It replays, and both sides end up with the same row.
 */
class DanglingReferenceConflictTest {

    @Entity(name = "DrParent")
    @Table(name = "dr_parent")
    public static class Parent {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "DrChild")
    @Table(name = "dr_child")
    public static class Child {
        @Id
        public Long id;
        public String name;
        @ManyToOne
        @NotFound(action = NotFoundAction.IGNORE)
        @JoinColumn(name = "parent_id", foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
        public Parent parent;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void an_update_of_a_row_whose_ignored_reference_is_gone_replays_without_a_conflict(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "DanglingReference", null, Map.of(), Parent.class, Child.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Parent p = new Parent();
                p.id = 1L;
                p.name = "p";
                em.persist(p);
                Child c = new Child();
                c.id = 1L;
                c.name = "c";
                c.parent = p;
                em.persist(c);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.remove(em.find(Parent.class, 1L)));
            assertThat(unit.emf.sync().failed()).isZero();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Child.class, 1L).name = "c2");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.emf.getSyncStatus().conflictCount()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
            String sql = "select id, name, parent_id from dr_child order by id";
            List<String> local = io.dbcomposite.testing.SqliteFiles.rows(unit.localUrl, sql).stream()
                    .map(r -> r.get("id") + "|" + r.get("name") + "|" + r.get("parent_id")).toList();
            List<String> remote = unit.pair.remoteRows(unit.schema, sql).stream()
                    .map(r -> r.get("id") + "|" + r.get("name") + "|" + r.get("parent_id")).toList();
            assertThat(remote).containsExactlyElementsOf(local).hasSize(1);
            assertThat(local.get(0)).startsWith("1|c2|");
        }
    }
}
