package io.dbcomposite.probes;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.*;
import org.hibernate.annotations.DynamicUpdate;
import org.junit.jupiter.api.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile probes of the partial update of a local row changed through an instance the remote session loaded (a remote-only
 * {@code Dog}'s locally written {@code home}), written by a helper session against mappings it designed: every id, embeddable,
 * collection kind and version type it tried, with unsynced local changes beside. Each test compares the local row with
 * what plain Hibernate on one database would hold, and the remote's with the local's after the sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartialUpdateProbeTest {

    // ---- mapping ----------------------------------------------------------------------------------------

    @Entity(name = "PuTag") @Table(name = "pu_tag")
    public static class Tag {
        @Id Long id;
        String label;
        protected Tag() {}
        Tag(long id, String label) { this.id = id; this.label = label; }
    }

    @Entity(name = "PuRoom") @Table(name = "pu_room")
    public static class Room {
        @Id Long id;
        String name;
        protected Room() {}
        Room(long id, String name) { this.id = id; this.name = name; }
    }

    @Embeddable
    public static class Geo {
        Double lat;
        Double lon;
    }

    @Embeddable
    public static class Contact {
        String phone;
        String email;
        @Embedded Geo geo;
    }

    @Embeddable
    public static class FContact {
        String fphone;
        @ManyToOne @JoinColumn(name = "fav_tag_id") Tag favourite;
    }

    @Entity(name = "PuFHome") @Table(name = "pu_fhome")
    public static class FHome {
        @Id Long id;
        String name;
        String address;
        @Embedded FContact contact = new FContact();
        protected FHome() {}
        FHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuEHome") @Table(name = "pu_ehome")
    public static class EHome {
        @Id Long id;
        String name;
        String address;
        @Embedded Extra extra = new Extra();
        protected EHome() {}
        EHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuMHome") @Table(name = "pu_mhome")
    public static class MHome {
        @Id Long id;
        String name;
        String address;
        @Convert(converter = MoneyConverter.class) Money price;
        protected MHome() {}
        MHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Embeddable
    public static class Extra {
        String note;
        @ElementCollection @CollectionTable(name = "pu_ehome_code", joinColumns = @JoinColumn(name = "home_id"))
        @Column(name = "code") Set<String> codes = new HashSet<>();
    }

    /** Mutable, no equals: Hibernate finds a converted value of it dirty at every flush. */
    public static class Money {
        long cents;
        Money() {}
        Money(long cents) { this.cents = cents; }
    }

    @Converter
    public static class MoneyConverter implements AttributeConverter<Money, Long> {
        @Override public Long convertToDatabaseColumn(Money m) { return m == null ? null : m.cents; }
        @Override public Money convertToEntityAttribute(Long v) { return v == null ? null : new Money(v); }
    }

    @Entity(name = "PuHome") @Table(name = "pu_home")
    public static class Home {
        @Id Long id;
        String name;
        String address;
        @Embedded Contact contact;
        @ElementCollection @CollectionTable(name = "pu_home_tag", joinColumns = @JoinColumn(name = "home_id"))
        @Column(name = "tag") Set<String> tags = new HashSet<>();
        @ElementCollection @CollectionTable(name = "pu_home_attr", joinColumns = @JoinColumn(name = "home_id"))
        @MapKeyColumn(name = "k") @Column(name = "v") Map<String, String> attrs = new HashMap<>();
        @ManyToMany @JoinTable(name = "pu_home_label", joinColumns = @JoinColumn(name = "home_id"),
                inverseJoinColumns = @JoinColumn(name = "tag_id")) Set<Tag> labels = new HashSet<>();
        @OneToMany(orphanRemoval = true) @JoinColumn(name = "home_id") Set<Room> rooms = new HashSet<>();
        @ElementCollection @CollectionTable(name = "pu_home_bag", joinColumns = @JoinColumn(name = "home_id"))
        @Column(name = "item") List<String> bag = new ArrayList<>();
        @Lob byte[] photo;
        LocalDate built;
        Instant touched;
        protected Home() {}
        Home(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuVHome") @Table(name = "pu_vhome")
    public static class VHome {
        @Id Long id;
        String name;
        String address;
        @ElementCollection @CollectionTable(name = "pu_vhome_tag", joinColumns = @JoinColumn(name = "home_id"))
        @Column(name = "tag") Set<String> tags = new HashSet<>();
        @Version Long version;
        protected VHome() {}
        VHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuIHome") @Table(name = "pu_ihome")
    public static class IHome {
        @Id Long id;
        String name;
        String address;
        @Version Instant version;
        protected IHome() {}
        IHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuDHome") @Table(name = "pu_dhome")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class DHome {
        @Id Long id;
        String name;
        String address;
        protected DHome() {}
        DHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuRHome") @Table(name = "pu_rhome")
    @CompositeRouting(read = Read.REMOTE, write = Write.LOCAL)
    public static class RHome {
        @Id Long id;
        String name;
        String address;
        @ElementCollection @CollectionTable(name = "pu_rhome_tag", joinColumns = @JoinColumn(name = "home_id"))
        @Column(name = "tag") Set<String> tags = new HashSet<>();
        protected RHome() {}
        RHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuSBase") @Table(name = "pu_sbase") @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    public static class SBase {
        @Id Long id;
        String name;
        String address;
        protected SBase() {}
        SBase(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuSSub")
    public static class SSub extends SBase {
        String floor;
        protected SSub() {}
        SSub(long id, String name, String address) { super(id, name, address); }
    }

    @Entity(name = "PuJBase") @Table(name = "pu_jbase") @Inheritance(strategy = InheritanceType.JOINED)
    public static class JBase {
        @Id Long id;
        String name;
        String address;
        protected JBase() {}
        JBase(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuJSub") @Table(name = "pu_jsub")
    public static class JSub extends JBase {
        String floor;
        protected JSub() {}
        JSub(long id, String name, String address) { super(id, name, address); }
    }

    @Entity(name = "PuDynHome") @Table(name = "pu_dynhome") @DynamicUpdate
    public static class DynHome {
        @Id Long id;
        String name;
        String address;
        protected DynHome() {}
        DynHome(long id, String name, String address) { this.id = id; this.name = name; this.address = address; }
    }

    @Entity(name = "PuDog") @Table(name = "pu_dog")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dog {
        @Id Long id;
        @ManyToOne Home home;
        @ManyToOne VHome vhome;
        @ManyToOne IHome ihome;
        @ManyToOne DHome dhome;
        @ManyToOne RHome rhome;
        @ManyToOne SBase shome;
        @ManyToOne JBase jhome;
        @ManyToOne DynHome dynhome;
        @ManyToOne FHome fhome;
        @ManyToOne EHome ehome;
        @ManyToOne MHome mhome;
        protected Dog() {}
        Dog(long id) { this.id = id; }
    }

    static final Class<?>[] ENTITIES = {Tag.class, Room.class, Home.class, VHome.class, IHome.class, DHome.class,
            RHome.class, SBase.class, SSub.class, JBase.class, JSub.class, DynHome.class, FHome.class, EHome.class, MHome.class, Dog.class};

    StandaloneUnit unit;

    @BeforeEach
    void start() {
        unit = StandaloneUnit.start("PU", null, Map.of(), ENTITIES);
    }

    @AfterEach
    void stop() {
        if (unit != null) unit.close();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    void tx(Consumer<EntityManager> work) {
        Transactions.inTransaction(unit.emf.createEntityManager(), work);
    }

    String local(String sql, Object... params) {
        List<Map<String, Object>> rows = SqliteFiles.rows(unit.localUrl, sql, params);
        return rows.isEmpty() ? "<no row>" : String.valueOf(rows.get(0).values().iterator().next());
    }

    String remote(String sql, Object... params) {
        List<Map<String, Object>> rows = unit.pair.remoteRows(unit.schema, sql, params);
        return rows.isEmpty() ? "<no row>" : String.valueOf(rows.get(0).values().iterator().next());
    }

    List<String> localList(String sql, Object... params) {
        return new ArrayList<>(new TreeSet<>(SqliteFiles.rows(unit.localUrl, sql, params).stream()
                .map(r -> String.valueOf(r.values().iterator().next())).toList()));
    }

    List<String> remoteList(String sql, Object... params) {
        return new ArrayList<>(new TreeSet<>(unit.pair.remoteRows(unit.schema, sql, params).stream()
                .map(r -> String.valueOf(r.values().iterator().next())).toList()));
    }

    /** Persists the rows, syncs, persists a dog #id referring to what {@code refer} sets. */
    void seed(long id, Consumer<EntityManager> rows, java.util.function.BiConsumer<EntityManager, Dog> refer) {
        tx(rows);
        ProbeRows.syncAll(unit);
        tx(em -> {
            Dog dog = new Dog(id);
            refer.accept(em, dog);
            em.persist(dog);
        });
    }

    Home home(long id) {
        Home h = new Home(id, "first", "old street");
        h.tags.add("kept");
        h.contact = new Contact();
        h.contact.phone = "111";
        h.contact.email = "a@example.org";
        return h;
    }

    /** Home #id with dog #id on the remote; then an unsynced local change of its address. */
    void homeWithUnsyncedAddress(long id) {
        seed(id, em -> em.persist(home(id)), (em, dog) -> dog.home = em.find(Home.class, id));
        tx(em -> em.find(Home.class, id).address = "new street");
        assertThat(remote("select address from pu_home where id = ?", id)).isEqualTo("old street");
    }


    // ---- probes -----------------------------------------------------------------------------------------

    @Test
    void replacing_a_set_through_the_remote_instance_keeps_the_unsynced_address() {
        homeWithUnsyncedAddress(101);
        tx(em -> em.find(Dog.class, 101L).home.tags = new HashSet<>(Set.of("replaced")));
        assertThat(localList("select tag from pu_home_tag where home_id = 101")).containsExactly("replaced");
        assertThat(local("select address from pu_home where id = 101")).as("local address").isEqualTo("new street");
        ProbeRows.syncAll(unit);
        assertThat(remote("select address from pu_home where id = 101")).as("remote address").isEqualTo("new street");
        assertThat(remoteList("select tag from pu_home_tag where home_id = 101")).containsExactly("replaced");
    }

    @Test
    void setting_a_set_to_null_through_the_remote_instance_keeps_the_unsynced_address() {
        homeWithUnsyncedAddress(102);
        tx(em -> em.find(Dog.class, 102L).home.tags = null);
        assertThat(localList("select tag from pu_home_tag where home_id = 102")).isEmpty();
        assertThat(local("select address from pu_home where id = 102")).as("local address").isEqualTo("new street");
        ProbeRows.syncAll(unit);
        assertThat(remote("select address from pu_home where id = 102")).as("remote address").isEqualTo("new street");
    }

    @Test
    void a_collection_inside_an_embeddable_changed_through_the_remote_instance_keeps_the_unsynced_address() {
        seed(103, em -> em.persist(new EHome(103, "first", "old street")), (em, dog) -> dog.ehome = em.find(EHome.class, 103L));
        tx(em -> em.find(EHome.class, 103L).address = "new street");
        tx(em -> em.find(Dog.class, 103L).ehome.extra.codes.add("c1"));
        assertThat(local("select address from pu_ehome where id = 103")).as("local address").isEqualTo("new street");
        assertThat(localList("select code from pu_ehome_code where home_id = 103")).as("local codes").containsExactly("c1");
        ProbeRows.syncAll(unit);
        assertThat(remote("select address from pu_ehome where id = 103")).as("remote address").isEqualTo("new street");
        assertThat(remoteList("select code from pu_ehome_code where home_id = 103")).as("remote codes").containsExactly("c1");
    }

    @Test
    void a_row_with_a_collection_in_an_embeddable_renamed_through_the_remote_instance() {
        seed(131, em -> {
            EHome h = new EHome(131, "first", "old street");
            h.extra.codes.add("k");
            em.persist(h);
        }, (em, dog) -> dog.ehome = em.find(EHome.class, 131L));
        tx(em -> em.find(Dog.class, 131L).ehome.name = "renamed");
        assertThat(remoteList("select code from pu_ehome_code where home_id = 131")).as("remote right after").containsExactly("k");
        assertThat(local("select name from pu_ehome where id = 131")).isEqualTo("renamed");
        assertThat(localList("select code from pu_ehome_code where home_id = 131")).containsExactly("k");
        ProbeRows.syncAndCompare(unit, "pu_ehome", "pu_ehome_code");
    }

    @Test
    void a_new_embeddable_over_a_null_one_keeps_the_part_set_locally() {
        seed(104, em -> em.persist(new Home(104, "first", "old street")), (em, dog) -> dog.home = em.find(Home.class, 104L));
        tx(em -> {
            Home h = em.find(Home.class, 104L);
            h.contact = new Contact();
            h.contact.email = "local@example.org";
        });
        tx(em -> {
            Home h = em.find(Dog.class, 104L).home;
            assertThat(h.contact).isNull();
            h.contact = new Contact();
            h.contact.phone = "999";
        });
        assertThat(local("select phone from pu_home where id = 104")).isEqualTo("999");
        assertThat(local("select email from pu_home where id = 104")).as("local email").isEqualTo("local@example.org");
        ProbeRows.syncAndCompare(unit, "pu_home");
    }

    @Test
    void removing_a_room_through_the_remote_instance_keeps_the_room_added_locally() {
        seed(105, em -> {
            Home h = home(105);
            Room r1 = new Room(1051, "r1");
            Room r2 = new Room(1052, "r2");
            em.persist(r1);
            em.persist(r2);
            em.persist(new Room(1053, "r3"));
            h.rooms.add(r1);
            h.rooms.add(r2);
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 105L));
        tx(em -> em.find(Home.class, 105L).rooms.add(em.find(Room.class, 1053L)));
        assertThat(remoteList("select id from pu_room where home_id = 105")).containsExactly("1051", "1052");
        tx(em -> {
            Home h = em.find(Dog.class, 105L).home;
            h.rooms.removeIf(r -> r.id == 1051L);
        });
        // plain Hibernate: room 1051 is an orphan and deleted; 1052 and 1053 stay with the home
        assertThat(localList("select id from pu_room")).as("local rooms").contains("1052", "1053").doesNotContain("1051");
        String localRooms = String.valueOf(localList("select id from pu_room where home_id = 105"));
        ProbeRows.syncAll(unit);
        assertThat(localRooms).as("local rooms of home 105").isEqualTo("[1052, 1053]");
        ProbeRows.syncAndCompare(unit, "pu_room");
    }

    @Test
    void a_many_to_many_element_added_on_each_side_keeps_both() {
        seed(106, em -> {
            em.persist(new Tag(1061, "t1"));
            em.persist(new Tag(1062, "t2"));
            em.persist(new Tag(1063, "t3"));
            Home h = home(106);
            h.labels.add(em.find(Tag.class, 1061L));
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 106L));
        tx(em -> em.find(Home.class, 106L).labels.add(em.find(Tag.class, 1062L)));
        tx(em -> {
            Dog dog = em.find(Dog.class, 106L);
            Tag t3 = dog.home.labels.iterator().next(); // t1, a remote-session instance
            dog.home.labels.remove(t3);
            dog.home.name = "renamed";
        });
        assertThat(localList("select tag_id from pu_home_label where home_id = 106")).containsExactly("1062");
        ProbeRows.syncAndCompare(unit, "pu_home_label", "pu_home");
    }

    @Test
    void a_map_changed_through_the_remote_instance_alone_is_written_and_keeps_the_unsynced_address() {
        seed(107, em -> {
            Home h = home(107);
            h.attrs.put("a", "1");
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 107L));
        tx(em -> em.find(Home.class, 107L).address = "new street");
        tx(em -> em.find(Dog.class, 107L).home.attrs.put("b", "2"));
        assertThat(localList("select k || '=' || v from pu_home_attr where home_id = 107")).containsExactly("a=1", "b=2");
        assertThat(local("select address from pu_home where id = 107")).isEqualTo("new street");
        ProbeRows.syncAndCompare(unit, "pu_home_attr", "pu_home");
    }

    @Test
    void a_converted_value_without_equals_is_not_overwritten_by_a_rename() {
        seed(108, em -> {
            MHome h = new MHome(108, "first", "old street");
            h.price = new Money(100);
            em.persist(h);
        }, (em, dog) -> dog.mhome = em.find(MHome.class, 108L));
        tx(em -> em.find(MHome.class, 108L).price = new Money(200));
        assertThat(local("select price from pu_mhome where id = 108")).isEqualTo("200");
        tx(em -> em.find(Dog.class, 108L).mhome.name = "renamed");
        assertThat(local("select name || '|' || price from pu_mhome where id = 108")).as("local").isEqualTo("renamed|200");
        ProbeRows.syncAll(unit);
        assertThat(remote("select name || '|' || price from pu_mhome where id = 108")).as("remote").isEqualTo("renamed|200");
    }

    @Test
    void two_parts_of_an_embeddable_changed_across_an_explicit_flush() {
        homeWithUnsyncedAddress(109);
        tx(em -> {
            Home h = em.find(Dog.class, 109L).home;
            h.contact.phone = "p2";
            em.flush();
            h.contact.email = "e2@example.org";
        });
        assertThat(local("select phone || '|' || email || '|' || address from pu_home where id = 109"))
                .isEqualTo("p2|e2@example.org|new street");
        ProbeRows.syncAndCompare(unit, "pu_home");
    }

    @Test
    void set_elements_added_across_an_explicit_flush() {
        homeWithUnsyncedAddress(110);
        tx(em -> {
            Home h = em.find(Dog.class, 110L).home;
            h.tags.add("a");
            em.flush();
            h.tags.add("b");
            em.flush();
            h.name = "renamed";
        });
        assertThat(localList("select tag from pu_home_tag where home_id = 110")).containsExactly("a", "b", "kept");
        assertThat(local("select name || '|' || address from pu_home where id = 110")).isEqualTo("renamed|new street");
        ProbeRows.syncAndCompare(unit, "pu_home_tag", "pu_home");
    }

    @Test
    void same_row_changed_through_the_local_and_the_remote_instance_in_one_transaction() {
        homeWithUnsyncedAddress(111);
        tx(em -> {
            Home local = em.find(Home.class, 111L);
            Home remote = em.find(Dog.class, 111L).home;
            assertThat(local).isNotSameAs(remote);
            local.contact.phone = "local phone";
            remote.name = "remote name";
        });
        assertThat(local("select name || '|' || address || '|' || phone from pu_home where id = 111"))
                .isEqualTo("remote name|new street|local phone");
        ProbeRows.syncAndCompare(unit, "pu_home");
    }

    @Test
    void same_row_changed_through_the_remote_then_the_local_instance_with_a_flush_between() {
        homeWithUnsyncedAddress(112);
        tx(em -> {
            Home remote = em.find(Dog.class, 112L).home;
            remote.name = "remote name";
            em.flush();
            Home local = em.find(Home.class, 112L);
            local.contact.phone = "local phone";
        });
        assertThat(local("select name || '|' || address || '|' || phone from pu_home where id = 112"))
                .isEqualTo("remote name|new street|local phone");
        ProbeRows.syncAndCompare(unit, "pu_home");
    }

    @Test
    void a_set_changed_through_both_instances_in_one_transaction() {
        homeWithUnsyncedAddress(113);
        tx(em -> {
            Home local = em.find(Home.class, 113L);
            Home remote = em.find(Dog.class, 113L).home;
            local.tags.add("L");
            remote.tags.add("R");
        });
        assertThat(localList("select tag from pu_home_tag where home_id = 113")).containsExactly("L", "R", "kept");
        ProbeRows.syncAndCompare(unit, "pu_home_tag");
    }

    @Test
    void a_change_through_the_remote_instance_then_its_removal() {
        homeWithUnsyncedAddress(114);
        tx(em -> {
            Dog dog = em.find(Dog.class, 114L);
            Home h = dog.home;
            h.name = "renamed";
            dog.home = null;
            em.remove(h);
        });
        assertThat(local("select count(*) from pu_home where id = 114")).isEqualTo("0");
        ProbeRows.syncAll(unit);
        assertThat(remote("select count(*) from pu_home where id = 114")).isEqualTo("0");
        assertThat(remote("select count(*) from pu_home_tag where home_id = 114")).isEqualTo("0");
    }

    @Test
    void a_versioned_long_row_with_only_its_set_changed() {
        seed(115, em -> em.persist(new VHome(115, "first", "old street")), (em, dog) -> dog.vhome = em.find(VHome.class, 115L));
        tx(em -> em.find(Dog.class, 115L).vhome.tags.add("x"));
        assertThat(local("select version from pu_vhome where id = 115")).isEqualTo("1");
        assertThat(localList("select tag from pu_vhome_tag where home_id = 115")).containsExactly("x");
        ProbeRows.syncAll(unit);
        tx(em -> em.find(Dog.class, 115L).vhome.tags.add("y"));
        ProbeRows.syncAndCompare(unit, "pu_vhome", "pu_vhome_tag");
        assertThat(remote("select version from pu_vhome where id = 115")).isEqualTo("2");
    }

    @Test
    void a_versioned_long_row_changed_across_flushes() {
        seed(116, em -> em.persist(new VHome(116, "first", "old street")), (em, dog) -> dog.vhome = em.find(VHome.class, 116L));
        tx(em -> {
            VHome h = em.find(Dog.class, 116L).vhome;
            h.name = "n2";
            em.flush();
            h.tags.add("t");
            em.flush();
            h.address = "a3";
        });
        assertThat(local("select name || '|' || address || '|' || version from pu_vhome where id = 116")).isEqualTo("n2|a3|3");
        ProbeRows.syncAndCompare(unit, "pu_vhome", "pu_vhome_tag");
    }

    @Test
    void an_instant_versioned_row_renamed_through_the_remote_instance() {
        seed(117, em -> em.persist(new IHome(117, "first", "old street")), (em, dog) -> dog.ihome = em.find(IHome.class, 117L));
        tx(em -> em.find(Dog.class, 117L).ihome.name = "renamed");
        assertThat(local("select name from pu_ihome where id = 117")).isEqualTo("renamed");
        ProbeRows.syncAll(unit);
        assertThat(iversion(true, 117)).isEqualTo(iversion(false, 117));
    }

    @Test
    void a_read_remote_write_local_row_keeps_its_unsynced_address() {
        tx(em -> {
            RHome h = new RHome(118, "first", "old street");
            h.tags.add("kept");
            em.persist(h);
        });
        ProbeRows.syncAll(unit);
        tx(em -> em.find(RHome.class, 118L).address = "new street");
        assertThat(local("select address from pu_rhome where id = 118")).isEqualTo("new street");
        tx(em -> {
            RHome h = em.find(RHome.class, 118L);
            h.name = "renamed";
            h.tags.add("added");
        });
        assertThat(local("select name || '|' || address from pu_rhome where id = 118")).isEqualTo("renamed|new street");
        assertThat(localList("select tag from pu_rhome_tag where home_id = 118")).containsExactly("added", "kept");
        ProbeRows.syncAndCompare(unit, "pu_rhome", "pu_rhome_tag");
    }

    @Test
    void a_read_remote_write_local_set_replaced_keeps_its_unsynced_address() {
        tx(em -> {
            RHome h = new RHome(119, "first", "old street");
            h.tags.add("kept");
            em.persist(h);
        });
        ProbeRows.syncAll(unit);
        tx(em -> em.find(RHome.class, 119L).address = "new street");
        tx(em -> em.find(RHome.class, 119L).tags = new HashSet<>(Set.of("only")));
        assertThat(local("select address from pu_rhome where id = 119")).as("local address").isEqualTo("new street");
        ProbeRows.syncAndCompare(unit, "pu_rhome", "pu_rhome_tag");
    }

    @Test
    void single_table_subclass_renamed_keeps_unsynced_floor() {
        seed(120, em -> em.persist(new SSub(120, "first", "old street")), (em, dog) -> dog.shome = em.find(SBase.class, 120L));
        tx(em -> ((SSub) em.find(SBase.class, 120L)).floor = "3rd");
        tx(em -> em.find(Dog.class, 120L).shome.name = "renamed");
        assertThat(local("select name || '|' || floor from pu_sbase where id = 120")).isEqualTo("renamed|3rd");
        ProbeRows.syncAndCompare(unit, "pu_sbase");
    }

    @Test
    void joined_subclass_renamed_keeps_unsynced_floor() {
        seed(121, em -> em.persist(new JSub(121, "first", "old street")), (em, dog) -> dog.jhome = em.find(JBase.class, 121L));
        tx(em -> ((JSub) em.find(JBase.class, 121L)).floor = "3rd");
        tx(em -> ((JSub) em.find(Dog.class, 121L).jhome).address = "moved");
        assertThat(local("select b.address || '|' || s.floor from pu_jbase b join pu_jsub s on s.id = b.id where b.id = 121"))
                .isEqualTo("moved|3rd");
        ProbeRows.syncAndCompare(unit, "pu_jbase", "pu_jsub");
    }

    @Test
    void dynamic_update_row_renamed_keeps_unsynced_address() {
        seed(122, em -> em.persist(new DynHome(122, "first", "old street")), (em, dog) -> dog.dynhome = em.find(DynHome.class, 122L));
        tx(em -> em.find(DynHome.class, 122L).address = "new street");
        tx(em -> em.find(Dog.class, 122L).dynhome.name = "renamed");
        assertThat(local("select name || '|' || address from pu_dynhome where id = 122")).isEqualTo("renamed|new street");
        ProbeRows.syncAndCompare(unit, "pu_dynhome");
    }

    @Test
    void nested_embeddable_part_changed_on_each_side() {
        seed(123, em -> {
            Home h = home(123);
            h.contact.geo = new Geo();
            h.contact.geo.lat = 1.0;
            h.contact.geo.lon = 2.0;
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 123L));
        tx(em -> {
            Home h = em.find(Home.class, 123L);
            h.contact.geo.lat = 10.0;
            h.contact.phone = "local";
        });
        tx(em -> em.find(Dog.class, 123L).home.contact.geo.lon = 20.0);
        assertThat(local("select lat || '|' || lon || '|' || phone from pu_home where id = 123"))
                .isEqualTo("10.0|20.0|local");
        ProbeRows.syncAndCompare(unit, "pu_home");
    }

    @Test
    void to_one_inside_an_embeddable_changed_through_the_remote_instance() {
        seed(132, em -> {
            em.persist(new Tag(1321, "t1"));
            em.persist(new Tag(1322, "t2"));
            FHome h = new FHome(132, "first", "old street");
            h.contact.fphone = "1";
            h.contact.favourite = em.find(Tag.class, 1321L);
            em.persist(h);
        }, (em, dog) -> dog.fhome = em.find(FHome.class, 132L));
        tx(em -> em.find(FHome.class, 132L).contact.fphone = "local");
        tx(em -> {
            Dog dog = em.find(Dog.class, 132L);
            dog.fhome.contact.favourite = em.find(Tag.class, 1322L);
        });
        assertThat(local("select fphone || '|' || fav_tag_id from pu_fhome where id = 132")).isEqualTo("local|1322");
        ProbeRows.syncAndCompare(unit, "pu_fhome");
    }

    @Test
    void control_instant_version_changed_locally() {
        tx(em -> em.persist(new IHome(133, "first", "old street")));
        ProbeRows.syncAll(unit);
        tx(em -> em.find(IHome.class, 133L).name = "renamed");
        ProbeRows.syncAll(unit);
        assertThat(remote("select name from pu_ihome where id = 133")).isEqualTo("renamed");
        assertThat(iversion(true, 133)).isEqualTo(iversion(false, 133));
    }

    String iversion(boolean remote, long id) {
        String sql = remote ? "select to_char(version, 'YYYY-MM-DD HH24:MI:SS.US') from pu_ihome where id = ?"
                : "select version from pu_ihome where id = ?";
        String v = remote ? remote(sql, id) : local(sql, id);
        return v;
    }

    @Test
    void control_instant_version_persisted_and_synced() {
        tx(em -> em.persist(new IHome(134, "first", "old street")));
        ProbeRows.syncAll(unit);
        assertThat(iversion(true, 134)).isEqualTo(iversion(false, 134));
    }

    @Test
    void instant_version_after_a_change_through_the_remote_instance_then_a_local_change() {
        seed(135, em -> em.persist(new IHome(135, "first", "old street")), (em, dog) -> dog.ihome = em.find(IHome.class, 135L));
        tx(em -> em.find(Dog.class, 135L).ihome.name = "renamed");
        ProbeRows.syncAll(unit);
        String local = iversion(false, 135), remote = iversion(true, 135);
        tx(em -> em.find(IHome.class, 135L).address = "moved");
        ProbeRows.syncAll(unit);
        assertThat(unit.emf.getSyncStatus().conflictCount()).as("conflicts").isZero();
        assertThat(remote("select address from pu_ihome where id = 135")).isEqualTo("moved");
        assertThat(remote).as("versions after the first sync").isEqualTo(local);
    }

    @Test
    void control_removing_a_home_reached_from_the_dog() {
        homeWithUnsyncedAddress(138);
        tx(em -> {
            Dog dog = em.find(Dog.class, 138L);
            Home h = dog.home;
            dog.home = null;
            em.remove(h);
        });
        assertThat(local("select count(*) from pu_home where id = 138")).isEqualTo("0");
        ProbeRows.syncAll(unit);
        assertThat(remote("select count(*) from pu_home where id = 138")).isEqualTo("0");
    }

    @Test
    void control_removing_a_home_reached_from_the_dog_in_a_later_flush() {
        homeWithUnsyncedAddress(139);
        tx(em -> {
            Dog dog = em.find(Dog.class, 139L);
            Home h = dog.home;
            h.name = "renamed";
            dog.home = null;
            em.flush();
            em.remove(h);
        });
        assertThat(local("select count(*) from pu_home where id = 139")).isEqualTo("0");
        ProbeRows.syncAll(unit);
        assertThat(remote("select count(*) from pu_home where id = 139")).isEqualTo("0");
    }

    @Test
    void mariadb_rename_and_converter_and_set() {
        unit.close();
        unit = StandaloneUnit.start(io.dbcomposite.testing.DatabasePair.SQLITE_MARIADB, "PUM", null, Map.of(), ENTITIES);
        homeWithUnsyncedAddress(140);
        tx(em -> {
            Home h = em.find(Dog.class, 140L).home;
            h.name = "renamed";
            h.tags.add("r");
        });
        assertThat(local("select name || '|' || address from pu_home where id = 140")).isEqualTo("renamed|new street");
        ProbeRows.syncAll(unit);
        assertThat(remote("select concat(name, '|', address) from pu_home where id = 140")).isEqualTo("renamed|new street");
        assertThat(remoteList("select tag from pu_home_tag where home_id = 140")).containsExactly("kept", "r");
        seed(141, em -> {
            MHome h = new MHome(141, "first", "old street");
            h.price = new Money(100);
            em.persist(h);
        }, (em, dog) -> dog.mhome = em.find(MHome.class, 141L));
        tx(em -> em.find(MHome.class, 141L).price = new Money(200));
        tx(em -> em.find(Dog.class, 141L).mhome.name = "renamed");
        assertThat(local("select name || '|' || price from pu_mhome where id = 141")).as("local").isEqualTo("renamed|200");
    }

    @Test
    void control_versioned_local_instance_across_flushes() {
        tx(em -> em.persist(new VHome(136, "first", "old street")));
        ProbeRows.syncAll(unit);
        tx(em -> {
            VHome h = em.find(VHome.class, 136L);
            h.name = "n2";
            em.flush();
            h.tags.add("t");
            em.flush();
            h.address = "a3";
        });
        ProbeRows.syncAndCompare(unit, "pu_vhome", "pu_vhome_tag");
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }

    @Test
    void control_local_change_of_to_one_inside_an_embeddable() {
        tx(em -> {
            em.persist(new Tag(1371, "t1"));
            em.persist(new Tag(1372, "t2"));
            FHome h = new FHome(137, "first", "old street");
            h.contact.favourite = em.find(Tag.class, 1371L);
            em.persist(h);
        });
        ProbeRows.syncAll(unit);
        tx(em -> em.find(FHome.class, 137L).contact.favourite = em.find(Tag.class, 1372L));
        ProbeRows.syncAndCompare(unit, "pu_fhome");
    }

    @Test
    void lob_and_java_time_changed_through_the_remote_instance() {
        seed(124, em -> {
            Home h = home(124);
            h.photo = new byte[] {1, 2, 3};
            h.built = LocalDate.of(2000, 1, 1);
            h.touched = Instant.parse("2020-01-01T00:00:00.123456Z");
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 124L));
        tx(em -> {
            Home h = em.find(Home.class, 124L);
            h.photo = new byte[] {9, 9};
            h.built = LocalDate.of(2001, 1, 1);
        });
        tx(em -> em.find(Dog.class, 124L).home.touched = Instant.parse("2021-01-01T00:00:00.654321Z"));
        ProbeRows.syncAll(unit);
        assertThat(remote("select encode(lo_get(photo), 'hex') || '|' || built from pu_home where id = 124")).isEqualTo("0909|2001-01-01");
        tx(em -> {
            Home h = em.find(Home.class, 124L);
            assertThat(h.photo).containsExactly(9, 9);
            assertThat(h.built).isEqualTo(LocalDate.of(2001, 1, 1));
            assertThat(h.touched).isEqualTo(Instant.parse("2021-01-01T00:00:00.654321Z"));
        });
    }

    @Test
    void photo_bytes_mutated_in_place_through_the_remote_instance() {
        seed(125, em -> {
            Home h = home(125);
            h.photo = new byte[] {1, 2, 3};
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 125L));
        tx(em -> em.find(Home.class, 125L).address = "new street");
        tx(em -> em.find(Dog.class, 125L).home.photo[0] = 7);
        tx(em -> {
            Home h = em.find(Home.class, 125L);
            assertThat(h.photo).containsExactly(7, 2, 3);
            assertThat(h.address).isEqualTo("new street");
        });
        ProbeRows.syncAll(unit);
        assertThat(remote("select encode(lo_get(photo), 'hex') || '|' || address from pu_home where id = 125")).isEqualTo("070203|new street");
    }

    @Test
    void bag_with_duplicates_element_removed_through_the_remote_instance() {
        seed(126, em -> {
            Home h = home(126);
            h.bag.add("a");
            h.bag.add("a");
            em.persist(h);
        }, (em, dog) -> dog.home = em.find(Home.class, 126L));
        tx(em -> em.find(Home.class, 126L).bag.add("b"));
        tx(em -> em.find(Dog.class, 126L).home.bag.remove("a"));
        assertThat(SqliteFiles.rows(unit.localUrl, "select item from pu_home_bag where home_id = 126 order by item").stream()
                .map(r -> r.get("item")).toList()).isEqualTo(List.of("a", "b"));
        ProbeRows.syncAndCompare(unit, "pu_home_bag");
    }

    @Test
    void dual_queue_row_with_a_pending_change_renamed_through_the_remote_instance() {
        seed(127, em -> em.persist(new DHome(127, "first", "old street")), (em, dog) -> dog.dhome = em.find(DHome.class, 127L));
        unit.pair.remoteUpdate(unit.schema, "create function pu_block() returns trigger as $$ begin"
                + " if new.address = 'new street' then raise exception 'blocked'; end if; return new; end $$ language plpgsql");
        unit.pair.remoteUpdate(unit.schema, "create trigger pu_block before update on pu_dhome for each row execute function pu_block()");
        try {
            tx(em -> em.find(DHome.class, 127L).address = "new street");
        } finally {
            unit.pair.remoteUpdate(unit.schema, "drop trigger pu_block on pu_dhome");
        }
        assertThat(local("select address from pu_dhome where id = 127")).isEqualTo("new street");
        assertThat(remote("select address from pu_dhome where id = 127")).isEqualTo("old street");
        assertThat(unit.emf.getSyncStatus().pendingChanges()).as("the change waits").isPositive();
        tx(em -> em.find(Dog.class, 127L).dhome.name = "renamed");
        String localRow = local("select name || '|' || address from pu_dhome where id = 127");
        ProbeRows.syncAll(unit);
        assertThat(localRow).as("local").isEqualTo("renamed|new street");
        ProbeRows.syncAll(unit);
        assertThat(remote("select name || '|' || address from pu_dhome where id = 127")).as("remote")
                .isEqualTo("renamed|new street");
    }
}
