package io.dbcomposite.conflict;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.CreationTimestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conflict settled for the local side (LOCAL_WINS) writes the local row over the remote one, every column of it: the
 * columns an update leaves out ({@code updatable = false}, a creation time so mapped) too. Where the replay writes a
 * row known to be there as the entity's update (MariaDB with a {@code @Version}, Hibernate ORM 7.2), they kept the
 * remote's values without a word.
 */
class NotUpdatableColumnsOverwriteTest {

    @Entity(name = "OriginDoc")
    @Table(name = "t_origin_doc")
    public static class Doc {
        @Id
        public String id;
        public String title;
        @Column(updatable = false)
        public String origin;
        @CreationTimestamp
        @Column(updatable = false)
        public Instant created;
        @Version
        public long version;
    }

    private static String row(SessionFactory side) {
        try (Session s = side.openSession()) {
            Doc d = s.find(Doc.class, "d1");
            return d.title + "|" + d.origin + "|" + d.created + "|v" + d.version;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void local_wins_writes_the_columns_an_update_leaves_out(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "OriginDoc" + pair, null,
                Map.of("dbcomposite.defaults.onConflict", "LOCAL_WINS"), Doc.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Doc d = new Doc();
                d.id = "d1";
                d.title = "first";
                d.origin = "local";
                em.persist(d);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(row(unit.emf.remoteFactory())).isEqualTo(row(unit.emf.localFactory()));

            // another writer changes the row on the remote, the columns the entity never updates included
            int changed = pair.remoteUpdate(unit.schema, "update t_origin_doc set title = 'remote', origin = 'remote',"
                    + " created = '2020-01-02 03:04:05', version = version + 1 where id = 'd1'");
            assertThat(changed).isEqualTo(1);
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Doc.class, "d1").title = "local edit");

            assertThat(unit.emf.sync().failed()).isZero();
            String local = row(unit.emf.localFactory());
            assertThat(local).startsWith("local edit|local|").doesNotContain("2020-01-02");
            assertThat(row(unit.emf.remoteFactory())).isEqualTo(local);
            assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
        }
    }
}
