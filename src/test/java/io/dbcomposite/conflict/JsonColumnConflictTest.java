package io.dbcomposite.conflict;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON column ({@code @JdbcTypeCode(SqlTypes.JSON) String}) holds a JSON value, not the text it was given: PostgreSQL's
 * {@code jsonb} orders and spaces the keys, MariaDB spaces them, where SQLite keeps the text. The conflict check compared
 * the texts, so renaming such a row after it was replayed was a false CONFLICT ({@code doc: "{..}" -> "{..}"}) and the
 * row's transaction waited for a manual retry; found by a probe. The same JSON value in another text is the same value;
 * a real change of the remote's JSON still is a conflict.
 */
class JsonColumnConflictTest {

    @Entity(name = "JcReplayed")
    @Table(name = "jc_replayed")
    public static class Replayed {
        @Id
        public Long id;
        public String name;
        @JdbcTypeCode(SqlTypes.JSON)
        public String doc;
    }

    @Entity(name = "JcQueued")
    @Table(name = "jc_queued")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class Queued {
        @Id
        public Long id;
        public String name;
        @JdbcTypeCode(SqlTypes.JSON)
        public String doc;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void the_remotes_own_text_of_the_same_json_is_no_conflict_and_a_changed_value_is(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "JsonConflicts", null, Map.of(), Replayed.class, Queued.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (long id = 1; id <= 2; id++) {
                    Replayed r = new Replayed();
                    r.id = id;
                    r.name = "a";
                    r.doc = "{\"sku\":\"A-1\",\"qty\":2,\"tags\":[\"x\",{\"k\":1.5}]}";
                    em.persist(r);
                }
                Queued q = new Queued();
                q.id = 1L;
                q.name = "a";
                q.doc = "{\"b\":1,\"a\":[1,2]}";
                em.persist(q);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            // someone really changes row 2's JSON on the remote
            unit.pair.remoteUpdate(unit.schema, pair.remoteIsMariaDb()
                    ? "update jc_replayed set doc = '{\"sku\": \"B-2\", \"qty\": 2, \"tags\": [\"x\", {\"k\": 1.5}]}' where id = 2"
                    : "update jc_replayed set doc = '{\"sku\": \"B-2\", \"qty\": 2, \"tags\": [\"x\", {\"k\": 1.5}]}'::jsonb where id = 2");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.find(Replayed.class, 1L).name = "renamed";
                em.find(Queued.class, 1L).name = "renamed";
            });
            // a conflict holds its whole transaction: this one is on its own
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Replayed.class, 2L).name = "renamed");
            unit.emf.sync();
            assertThat(unit.emf.getSyncStatus().conflictCount()).as(String.valueOf(unit.emf.getSyncStatus())).isEqualTo(1);
            assertThat(names(unit.emf.remoteFactory())).containsEntry("JcReplayed#1", "renamed")
                    .containsEntry("JcReplayed#2", "a").containsEntry("JcQueued#1", "renamed");
        }
    }

    private static Map<String, String> names(SessionFactory side) {
        Map<String, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            s.createSelectionQuery("from JcReplayed", Replayed.class).list().forEach(r -> out.put("JcReplayed#" + r.id, r.name));
            s.createSelectionQuery("from JcQueued", Queued.class).list().forEach(q -> out.put("JcQueued#" + q.id, q.name));
        }
        return out;
    }
}
