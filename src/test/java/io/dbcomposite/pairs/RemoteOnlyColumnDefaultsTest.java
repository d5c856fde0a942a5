package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import org.hibernate.annotations.DynamicInsert;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.SoftDelete;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remote schema managed outside the mapping (a migration tool, a DBA) may give a column a default the mapping does not
 * declare. The replay's insert of a row whose id is IDENTITY binds the local id, and Hibernate then leaves null columns
 * out of its statement: such a column took the remote's default where the local row holds null, a silent divergence.
 * Every column must reach the remote as the local row holds it, for each kind of entity whose replayed insert takes that
 * path: every replayed one on Hibernate ORM 7.2, an immutable or a soft-deleted one on 7.4, every one written to both
 * sides in the application's transaction (DUAL); and of an entity under {@code @DynamicInsert}, whose inserts leave
 * null columns out whatever its id.
 */
class RemoteOnlyColumnDefaultsTest {

    @Entity(name = "RdPlain")
    @Table(name = "rd_plain")
    public static class Plain {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String title;
        public Integer rank;
    }

    @Entity(name = "RdFixed")
    @Table(name = "rd_fixed")
    @Immutable
    public static class Fixed {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String title;
        public Integer rank;
    }

    @Entity(name = "RdKept")
    @Table(name = "rd_kept")
    @SoftDelete
    public static class Kept {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String title;
        public Integer rank;
    }

    @Entity(name = "RdMirrored")
    @Table(name = "rd_mirrored")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Mirrored {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String title;
        public Integer rank;
    }

    @Entity(name = "RdSparse")
    @Table(name = "rd_sparse")
    @DynamicInsert
    public static class Sparse {
        @Id
        public Long id;
        public String title;
        public Integer rank;
    }

    @Entity(name = "RdSparseMirrored")
    @Table(name = "rd_sparse_mirrored")
    @DynamicInsert
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class SparseMirrored {
        @Id
        public Long id;
        public String title;
        public Integer rank;
    }

    private static final List<String> TABLES =
            List.of("rd_plain", "rd_fixed", "rd_kept", "rd_mirrored", "rd_sparse", "rd_sparse_mirrored");

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void nulls_reach_the_remote_as_nulls_where_only_the_remote_schema_has_a_default(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "RemoteDefaults", null, Map.of(),
                Plain.class, Fixed.class, Kept.class, Mirrored.class, Sparse.class, SparseMirrored.class)) {
            for (String table : TABLES) {
                unit.pair.remoteUpdate(unit.schema, "alter table " + table + " alter column title set default 'remote title'");
                unit.pair.remoteUpdate(unit.schema, "alter table " + table + " alter column rank set default 42");
            }
            for (int i = 0; i < 4; i++) {
                int bits = i;
                Plain p = new Plain();
                Fixed f = new Fixed();
                Kept k = new Kept();
                Mirrored m = new Mirrored();
                Sparse sp = new Sparse();
                SparseMirrored sm = new SparseMirrored();
                sp.id = sm.id = (long) i + 1;
                p.title = f.title = k.title = m.title = sp.title = sm.title = (bits & 1) == 0 ? null : "title " + i;
                p.rank = f.rank = k.rank = m.rank = sp.rank = sm.rank = (bits & 2) == 0 ? null : i;
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    em.persist(p);
                    em.persist(f);
                    em.persist(k);
                    em.persist(m);
                    em.persist(sp);
                    em.persist(sm);
                });
            }
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            SoftAssertions soft = new SoftAssertions();
            for (String table : TABLES) {
                Map<Long, String> remote = rows(unit.pair.remoteRows(unit.schema, "select id, title, rank from " + table));
                soft.assertThat(remote).as(table + " on " + pair).hasSize(4)
                        .containsEntry(1L, "null|null").containsEntry(2L, "title 1|null")
                        .containsEntry(3L, "null|2").containsEntry(4L, "title 3|3");
            }
            soft.assertAll();
        }
    }

    private static Map<Long, String> rows(List<Map<String, Object>> rows) {
        Map<Long, String> out = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            Object rank = row.get("rank");
            out.put(((Number) row.get("id")).longValue(), row.get("title") + "|" + (rank == null ? null : ((Number) rank).intValue()));
        }
        return out;
    }
}
