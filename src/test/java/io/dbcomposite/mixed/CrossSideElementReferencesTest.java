package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapKeyJoinColumn;
import jakarta.persistence.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A remote-only entity (read and written REMOTE, {@code FAIL}) whose element collection refers to local rows new in
 * the same transaction: through a to-one inside the collection's embeddables, and through an entity map key. The
 * commit takes the local rows along to the remote before the collection rows that point at them (contract, "Mixed
 * routing and foreign keys"), as it does for a to-one of the entity itself. PostgreSQL with its foreign keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSideElementReferencesTest {

    @Entity(name = "XsrKennel")
    @Table(name = "xsr_kennel")
    public static class Kennel {
        @Id
        Long id;
        String name;

        protected Kennel() {
        }

        Kennel(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @Embeddable
    public static class Stop {
        String label;
        @ManyToOne
        Kennel kennel;

        protected Stop() {
        }

        Stop(String label, Kennel kennel) {
            this.label = label;
            this.kennel = kennel;
        }
    }

    @Entity(name = "XsrTrip")
    @Table(name = "xsr_trip")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Trip {
        @Id
        Long id;
        @ManyToOne
        Kennel start;
        @ElementCollection
        @CollectionTable(name = "xsr_trip_stop")
        List<Stop> stops = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "xsr_trip_night")
        @MapKeyJoinColumn(name = "kennel_id")
        Map<Kennel, Integer> nights = new HashMap<>();
        @jakarta.persistence.ManyToMany
        @jakarta.persistence.JoinTable(name = "xsr_trip_visited")
        java.util.Set<Kennel> visited = new java.util.HashSet<>();

        protected Trip() {
        }

        Trip(long id) {
            this.id = id;
        }
    }

    @Entity(name = "XsrLeg")
    @Table(name = "xsr_leg")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Leg {
        @Id
        @jakarta.persistence.GeneratedValue(strategy = jakarta.persistence.GenerationType.IDENTITY)
        Long id;
        @ManyToOne
        Kennel to;

        protected Leg() {
        }

        Leg(Kennel to) {
            this.to = to;
        }
    }

    @Entity(name = "XsrLicence")
    @Table(name = "xsr_licence")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Licence {
        @Id
        @jakarta.persistence.OneToOne
        Kennel kennel;
        String number;

        protected Licence() {
        }

        Licence(Kennel kennel, String number) {
            this.kennel = kennel;
            this.number = number;
        }
    }

    public static class PermitKey implements java.io.Serializable {
        Long kennel;
        Integer year;

        public PermitKey() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PermitKey k && java.util.Objects.equals(kennel, k.kennel) && java.util.Objects.equals(year, k.year);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(kennel, year);
        }
    }

    @Entity(name = "XsrPermit")
    @Table(name = "xsr_permit")
    @jakarta.persistence.IdClass(PermitKey.class)
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Permit {
        @Id
        @ManyToOne
        Kennel kennel;
        @Id
        Integer year;

        protected Permit() {
        }

        Permit(Kennel kennel, int year) {
            this.kennel = kennel;
            this.year = year;
        }
    }

    @Entity(name = "XsrShed")
    @Table(name = "xsr_shed")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Shed {
        @Id
        Long id;
        String name;

        protected Shed() {
        }

        Shed(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @Entity(name = "XsrRoute")
    @Table(name = "xsr_route")
    @CompositeRouting(read = Read.REMOTE, write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Route {
        @Id
        Long id;
        @ManyToOne
        Kennel from;
        @ManyToOne
        Shed via;

        protected Route() {
        }

        Route(long id, Kennel from, Shed via) {
            this.id = id;
            this.from = from;
            this.via = via;
        }
    }

    @Entity(name = "XsrYard")
    @Table(name = "xsr_yard")
    public static class Yard {
        @Id
        Long id;
        @ManyToOne
        Shed shed;

        protected Yard() {
        }

        Yard(long id, Shed shed) {
            this.id = id;
            this.shed = shed;
        }
    }

    @Entity(name = "XsrWalk")
    @Table(name = "xsr_walk")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Walk {
        @Id
        Long id;
        @ManyToOne
        Yard yard;

        protected Walk() {
        }

        Walk(long id, Yard yard) {
            this.id = id;
            this.yard = yard;
        }
    }

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("CrossSideElementRefs", Kennel.class, Trip.class, Leg.class, Licence.class, Permit.class, Shed.class, Route.class, Yard.class, Walk.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void a_to_one_of_the_remote_entity_itself_takes_the_new_local_row_along() {
        Kennel home = new Kennel(1, "home");
        Trip trip = new Trip(1);
        trip.start = home;
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(home);
            em.persist(trip);
        });
        assertThat(unit.remote("select count(*) from xsr_trip where id = 1 and start_id = 1")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 1 and name = 'home'")).isEqualTo(1);
        assertThat(unit.local("select count(*) from xsr_kennel where id = 1")).isEqualTo(1);
    }

    @Test
    void a_to_one_inside_the_element_collection_takes_the_new_local_rows_along() {
        Kennel north = new Kennel(11, "north");
        Kennel south = new Kennel(12, "south");
        Trip trip = new Trip(11);
        trip.stops.add(new Stop("first", north));
        trip.stops.add(new Stop("second", south));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(north);
            em.persist(south);
            em.persist(trip);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 11")).isEqualTo(2);
        assertThat(unit.remote("select count(*) from xsr_kennel where id in (11, 12)")).isEqualTo(2);
    }

    @Test
    void the_remote_entity_persisted_before_the_local_rows_it_refers_to_still_commits() {
        Kennel east = new Kennel(21, "east");
        Trip trip = new Trip(21);
        trip.stops.add(new Stop("only", east));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(trip);
            em.persist(east);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 21 and kennel_id = 21")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 21")).isEqualTo(1);
    }

    @Test
    void an_entity_map_key_takes_the_new_local_row_along() {
        Kennel west = new Kennel(31, "west");
        Trip trip = new Trip(31);
        trip.nights.put(west, 3);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(west);
            em.persist(trip);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_night where xsrtrip_id = 31 and kennel_id = 31")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 31")).isEqualTo(1);
    }

    @Test
    void an_element_added_later_to_a_stored_trip_takes_its_new_local_row_along() {
        Kennel base = new Kennel(41, "base");
        Trip trip = new Trip(41);
        trip.stops.add(new Stop("base", base));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(base);
            em.persist(trip);
        });
        Kennel later = new Kennel(42, "later");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(later);
            Trip found = em.find(Trip.class, 41L);
            found.stops.add(new Stop("later", later));
            found.nights.put(later, 1);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 41")).isEqualTo(2);
        assertThat(unit.remote("select count(*) from xsr_trip_night where xsrtrip_id = 41 and kennel_id = 42")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 42")).isEqualTo(1);
    }

    @Test
    void a_local_row_pending_from_an_earlier_transaction_goes_along_and_is_marked_synced() {
        Kennel old = new Kennel(51, "old");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(old));
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 51")).as("no background sync here").isZero();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.find(Kennel.class, 51L).name = "old, renamed";
        });

        Trip trip = new Trip(51);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            trip.stops.add(new Stop("old", em.find(Kennel.class, 51L)));
            em.persist(trip);
        });

        assertThat(unit.remote("select count(*) from xsr_kennel where id = 51 and name = 'old, renamed'")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 51 and kennel_id = 51")).isEqualTo(1);
        assertThat(SqliteFiles.rows(unit.localUrl, "select status from dbc_sync_log where entity_name = 'XsrKennel'"
                + " and entity_id = '51' order by id")).extracting(r -> r.get("status")).containsExactly("SYNCED", "SYNCED");
    }

    @Test
    void a_local_row_held_back_by_a_dead_change_fails_the_commit_naming_that_change_and_writes_nothing() {
        Kennel held = new Kennel(61, "held");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(held));
        SqliteFiles.update(unit.localUrl, "update dbc_sync_log set status = 'DEAD', attempts = 10, last_error = 'refused'"
                + " where entity_name = 'XsrKennel' and entity_id = '61'");
        long deadId = ((Number) SqliteFiles.rows(unit.localUrl, "select id from dbc_sync_log where entity_name = 'XsrKennel'"
                + " and entity_id = '61'").get(0).get("id")).longValue();

        Trip trip = new Trip(61);
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            trip.nights.put(em.find(Kennel.class, 61L), 2);
            em.persist(trip);
        })).isInstanceOf(RemoteWriteException.class).hasMessageContaining("#" + deadId).hasMessageContaining("DEAD");

        assertThat(unit.remote("select count(*) from xsr_trip where id = 61")).isZero();
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 61")).isZero();
        SqliteFiles.update(unit.localUrl, "update dbc_sync_log set status = 'SYNCED' where entity_name = 'XsrKennel' and entity_id = '61'");
    }

    @Test
    void an_explicit_flush_takes_the_rows_along_before_the_commit() {
        Kennel mid = new Kennel(71, "mid");
        Trip trip = new Trip(71);
        trip.stops.add(new Stop("mid", mid));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(mid);
            em.persist(trip);
            em.flush();
            mid.name = "mid, renamed after the flush";
        });
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 71 and kennel_id = 71")).isEqualTo(1);
        assertThat(unit.local("select count(*) from xsr_kennel where id = 71 and name = 'mid, renamed after the flush'")).isEqualTo(1);
        assertThat(unit.emf.sync().failed()).isZero();
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 71 and name = 'mid, renamed after the flush'"))
                .as("the later change replays after the one taken along").isEqualTo(1);
    }

    @Test
    void a_stored_trip_moved_to_a_new_local_row_takes_it_along() {
        Kennel first = new Kennel(81, "first");
        Trip trip = new Trip(81);
        trip.start = first;
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(first);
            em.persist(trip);
        });
        Kennel second = new Kennel(82, "second");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(second);
            em.find(Trip.class, 81L).start = second;
        });
        assertThat(unit.remote("select count(*) from xsr_trip where id = 81 and start_id = 82")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 82")).isEqualTo(1);
    }

    @Test
    void an_identity_id_inserted_at_persist_refers_to_a_local_row_persisted_before_it() {
        Kennel far = new Kennel(91, "far");
        Leg leg = new Leg(far);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(far);
            em.persist(leg);
        });
        assertThat(unit.remote("select count(*) from xsr_leg where id = ? and to_id = 91", leg.id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 91")).isEqualTo(1);
    }

    @Test
    void a_new_local_row_that_is_the_remote_entity_s_identity_goes_along() {
        Kennel licensed = new Kennel(101, "licensed");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(licensed);
            em.persist(new Licence(licensed, "L-101"));
        });
        assertThat(unit.remote("select count(*) from xsr_licence where kennel_id = 101 and number = 'L-101'")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 101")).isEqualTo(1);
    }

    @Test
    void a_new_local_row_in_the_remote_entity_s_id_class_goes_along() {
        Kennel permitted = new Kennel(111, "permitted");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(permitted);
            em.persist(new Permit(permitted, 2026));
        });
        assertThat(unit.remote("select count(*) from xsr_permit where kennel_id = 111 and year = 2026")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 111")).isEqualTo(1);
    }

    @Test
    void the_join_rows_of_a_many_to_many_take_their_new_local_rows_along() {
        Kennel a = new Kennel(121, "a");
        Kennel b = new Kennel(122, "b");
        Trip trip = new Trip(121);
        trip.visited.add(a);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(trip);
            em.persist(a);
        });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(b);
            em.find(Trip.class, 121L).visited.add(b);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_visited where xsrtrip_id = 121")).isEqualTo(2);
        assertThat(unit.remote("select count(*) from xsr_kennel where id in (121, 122)")).isEqualTo(2);
    }

    @Test
    void a_dual_row_new_in_the_transaction_goes_before_the_remote_write_that_refers_to_it() {
        Kennel k = new Kennel(131, "k");
        Shed shed = new Shed(131, "shed");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(k);
            em.persist(shed);
            em.persist(new Route(131, k, shed));
        });
        assertThat(unit.remote("select count(*) from xsr_route where id = 131 and from_id = 131 and via_id = 131")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_shed where id = 131 and name = 'shed'")).isEqualTo(1);
        assertThat(unit.local("select count(*) from xsr_route where id = 131")).as("DUAL: the local copy").isEqualTo(1);
        assertThat(unit.local("select count(*) from xsr_shed where id = 131")).isEqualTo(1);
    }

    @Test
    void a_pending_insert_taken_along_at_one_flush_is_not_applied_again_at_the_next() {
        Kennel pending = new Kennel(141, "pending");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(pending));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Kennel k = em.find(Kennel.class, 141L);
            k.name = "first change";
            em.flush();
            Trip one = new Trip(141);
            one.start = k;
            em.persist(one);
            em.flush();
            k.name = "second change";
            em.flush();
            Trip two = new Trip(142);
            two.start = k;
            em.persist(two);
        });
        assertThat(unit.remote("select count(*) from xsr_trip where id in (141, 142) and start_id = 141")).isEqualTo(2);
        assertThat(SqliteFiles.rows(unit.localUrl, "select status from dbc_sync_log where entity_name = 'XsrKennel'"
                + " and entity_id = '141' order by id")).extracting(r -> r.get("status"))
                .containsExactly("SYNCED", "SYNCED", "SYNCED");
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 141 and name = 'second change'")).isEqualTo(1);
    }

    @Test
    void a_query_on_the_remote_entity_flushes_it_with_the_new_local_row_it_refers_to() {
        Kennel q = new Kennel(151, "queried");
        Trip trip = new Trip(151);
        trip.stops.add(new Stop("queried", q));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(q);
            em.persist(trip);
            assertThat(em.createQuery("select count(t) from XsrTrip t where t.id = 151", Long.class).getSingleResult())
                    .isEqualTo(1L);
        });
        assertThat(unit.remote("select count(*) from xsr_trip_stop where xsrtrip_id = 151 and kennel_id = 151")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 151")).isEqualTo(1);
    }

    @Test
    void a_rollback_after_a_flush_that_took_a_local_row_along_leaves_neither_side_with_it() {
        Kennel gone = new Kennel(161, "gone");
        Trip trip = new Trip(161);
        trip.start = gone;
        var em = unit.emf.createEntityManager();
        try (em) {
            em.getTransaction().begin();
            em.persist(gone);
            em.persist(trip);
            em.flush();
            em.getTransaction().rollback();
        }
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 161")).isZero();
        assertThat(unit.remote("select count(*) from xsr_trip where id = 161")).isZero();
        assertThat(unit.local("select count(*) from xsr_kennel where id = 161")).isZero();
        assertThat(unit.local("select count(*) from dbc_sync_log where entity_name = 'XsrKennel' and entity_id = '161'")).isZero();
    }

    @Test
    void a_local_row_taken_along_takes_the_new_dual_row_it_refers_to_along_first() {
        Shed shed = new Shed(171, "under the yard");
        Yard yard = new Yard(171, shed);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(shed);
            em.persist(yard);
            em.persist(new Walk(171, yard));
        });
        assertThat(unit.remote("select count(*) from xsr_walk where id = 171 and yard_id = 171")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_yard where id = 171 and shed_id = 171")).isEqualTo(1);
        assertThat(unit.remote("select count(*) from xsr_shed where id = 171")).isEqualTo(1);
        assertThat(unit.local("select count(*) from xsr_shed where id = 171")).isEqualTo(1);
    }

    @Test
    void a_remote_refusal_after_the_take_along_writes_nothing_anywhere_and_leaves_the_pending_change_pending() {
        Kennel earlier = new Kennel(191, "pending before");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(earlier));
        // another writer's row holds the trip's id on the remote: the remote refuses the trip after the kennels went along
        unit.pair.remoteUpdate(unit.schema, "insert into xsr_trip (id) values (191)");
        Kennel fresh = new Kennel(192, "new");
        Trip trip = new Trip(191);
        trip.start = fresh;
        trip.stops.add(new Stop("earlier", earlier));
        assertThatThrownBy(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(fresh);
            trip.stops.set(0, new Stop("earlier", em.find(Kennel.class, 191L)));
            em.persist(trip);
        })).isInstanceOf(jakarta.persistence.PersistenceException.class);

        assertThat(unit.remote("select count(*) from xsr_kennel where id in (191, 192)")).as("FAIL: nothing on the remote").isZero();
        assertThat(unit.local("select count(*) from xsr_kennel where id = 192")).as("nor locally").isZero();
        assertThat(SqliteFiles.rows(unit.localUrl, "select status from dbc_sync_log where entity_name = 'XsrKennel'"
                + " and entity_id in ('191', '192') order by id")).extracting(r -> r.get("status")).containsExactly("PENDING");
        assertThat(unit.emf.sync().failed()).isZero();
        assertThat(unit.remote("select count(*) from xsr_kennel where id = 191")).as("the background sync still applies it").isEqualTo(1);
    }
}
