package io.dbcomposite.sync;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.UpdateTimestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entity read and written through its getters and setters (property access), whose setters normalise what they are
 * given, with an embeddable, a version and an update time: the replay sets the state on an instance and reads it back as
 * Hibernate's own writes do, and the remote rows end as the local ones, after an insert, an update and a replay of both
 * again (a crash before the marks).
 */
class PropertyAccessReplayTest {

    @Embeddable
    @Access(AccessType.PROPERTY)
    public static class Place {
        private String city;
        private String code;

        public String getCity() {
            return city;
        }

        public void setCity(String city) {
            this.city = city == null ? null : city.strip();
        }

        public String getCode() {
            return code;
        }

        public void setCode(String code) {
            this.code = code == null ? null : code.toUpperCase(Locale.ROOT);
        }
    }

    @Entity(name = "Spoken")
    @Table(name = "t_spoken")
    @Access(AccessType.PROPERTY)
    public static class Spoken {
        private Long id;
        private String name;
        private Place place;
        private Instant touched;
        private int version;

        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name == null ? null : name.strip().replaceAll("\\s+", " ");
        }

        @Embedded
        public Place getPlace() {
            return place;
        }

        public void setPlace(Place place) {
            this.place = place;
        }

        @UpdateTimestamp
        public Instant getTouched() {
            return touched;
        }

        public void setTouched(Instant touched) {
            this.touched = touched;
        }

        @Version
        public int getVersion() {
            return version;
        }

        public void setVersion(int version) {
            this.version = version;
        }
    }

    private static Map<Long, String> rows(SessionFactory side, List<Long> ids) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Long id : ids) {
                Spoken r = s.find(Spoken.class, id);
                out.put(id, r.getName() + "|" + (r.getPlace() == null ? null : r.getPlace().getCity() + "/" + r.getPlace().getCode())
                        + "|" + r.getTouched() + "|v" + r.getVersion());
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void rows_read_and_written_through_getters_and_setters_reach_the_remote_as_the_local_rows_hold_them(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "Spoken" + pair, null, Map.of(), Spoken.class)) {
            List<Long> ids = new ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 5; i++) {
                    Spoken s = new Spoken();
                    s.setName("  row   " + i + " ");
                    if (i % 2 == 0) {
                        Place p = new Place();
                        p.setCity(" Ghent ");
                        p.setCode("be-vov");
                        s.setPlace(p);
                    }
                    em.persist(s);
                    ids.add(s.getId());
                }
            });
            Map<Long, String> local = rows(unit.emf.localFactory(), ids);
            assertThat(local.get(ids.get(0))).isEqualTo("row 0|Ghent/BE-VOV|" + local.get(ids.get(0)).split("\\|")[2] + "|v0");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(rows(unit.emf.remoteFactory(), ids)).containsExactlyEntriesOf(local);

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.find(Spoken.class, ids.get(1)).setName(" renamed  once ");
                em.find(Spoken.class, ids.get(2)).setPlace(null);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            local = rows(unit.emf.localFactory(), ids);
            assertThat(local.get(ids.get(1))).startsWith("renamed once|").endsWith("|v1");
            assertThat(rows(unit.emf.remoteFactory(), ids)).containsExactlyEntriesOf(local);

            // a crash after the remote committed, before the local marks landed: everything replays again, unchanged
            assertThat(pair.unmarkSynced(new DatabasePair.LocalStore(unit.localUrl, null, null), "status = 'SYNCED'")).isPositive();
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(rows(unit.emf.remoteFactory(), ids)).as("the remote after the changes replayed twice")
                    .containsExactlyEntriesOf(local);
        }
    }
}
