package io.dbcomposite.differential;

import jakarta.persistence.*;
import org.hibernate.annotations.*;

import java.io.Serializable;
import java.util.*;

import static io.dbcomposite.differential.Step.tx;

/**
 * Mappings none of the other models use, each a way Hibernate writes a row differently from a plain insert, update or
 * delete by id: an optional secondary table, {@code @SoftDelete}, an {@code @SQLDelete} soft delete with an
 * {@code @SQLRestriction}, an {@code @EmbeddedId} and an {@code @IdClass}, a {@code @MapsId} one-to-one, TABLE_PER_CLASS
 * inheritance, an {@code @Immutable} entity, column defaults under {@code @DynamicInsert}, a {@code @Formula}, an
 * enum with {@code @EnumeratedValue}, an ordered element collection of it and a map. Each once diverged or failed.
 */
public final class HostileModel {
    private HostileModel() {}

    @Entity(name = "HSplit")
    @Table(name = "h_split")
    @SecondaryTable(name = "h_split_extra", pkJoinColumns = @PrimaryKeyJoinColumn(name = "split_id"))
    public static class Split {
        @Id public Long id;
        public String main;
        @Column(table = "h_split_extra") public String extra;
        @Column(table = "h_split_extra") public Integer extraNumber;
    }

    @Entity(name = "HSoft")
    @Table(name = "h_soft")
    @SoftDelete
    public static class Soft {
        @Id public Long id;
        public String name;
    }

    @Entity(name = "HSqlDeleted")
    @Table(name = "h_sqldeleted")
    @SQLDelete(sql = "update h_sqldeleted set archived = true where id = ?")
    @SQLRestriction("archived = false")
    public static class SqlDeleted {
        @Id public Long id;
        public String name;
        public boolean archived;
    }

    @Embeddable
    public static class LineKey implements Serializable {
        public Long orderNo;
        public Integer lineNo;
        public LineKey() {}
        public LineKey(Long o, Integer l) { orderNo = o; lineNo = l; }
        @Override public boolean equals(Object o) { return o instanceof LineKey k && Objects.equals(orderNo, k.orderNo) && Objects.equals(lineNo, k.lineNo); }
        @Override public int hashCode() { return Objects.hash(orderNo, lineNo); }
    }

    @Entity(name = "HLine")
    @Table(name = "h_line")
    public static class Line {
        @EmbeddedId public LineKey key;
        public String item;
        @ManyToOne public Split split;
    }

    public static class PairId implements Serializable {
        public String lhs;
        public Integer rhs;
        public PairId() {}
        @Override public boolean equals(Object o) { return o instanceof PairId k && Objects.equals(lhs, k.lhs) && Objects.equals(rhs, k.rhs); }
        @Override public int hashCode() { return Objects.hash(lhs, rhs); }
    }

    @Entity(name = "HPair")
    @Table(name = "h_pair")
    @IdClass(PairId.class)
    public static class Pair {
        @Id public String lhs;
        @Id public Integer rhs;
        public String label;
        @ElementCollection @CollectionTable(name = "h_pair_tag") public Set<String> tags = new HashSet<>();
    }

    @Entity(name = "HPerson")
    @Table(name = "h_person")
    public static class Person {
        @Id @GeneratedValue(strategy = GenerationType.IDENTITY) public Long id;
        public String name;
        @NaturalId public String email;
    }

    @Entity(name = "HProfile")
    @Table(name = "h_profile")
    public static class Profile {
        @Id public Long id;
        @MapsId @OneToOne public Person person;
        public String bio;
    }

    @Entity(name = "HShape")
    @Inheritance(strategy = InheritanceType.TABLE_PER_CLASS)
    public abstract static class Shape {
        @Id public Long id;
        public String colour;
    }

    @Entity(name = "HRound")
    @Table(name = "h_round")
    public static class Round extends Shape {
        public double radius;
    }

    @Entity(name = "HBox")
    @Table(name = "h_box")
    public static class Box extends Shape {
        public double width;
        @ManyToOne public Shape inside;
    }

    @Entity(name = "HFrozen")
    @Table(name = "h_frozen")
    @Immutable
    public static class Frozen {
        @Id public Long id;
        public String text;
    }

    @Entity(name = "HDefaults")
    @Table(name = "h_defaults")
    @DynamicInsert
    @DynamicUpdate
    public static class Defaults {
        @Id public Long id;
        @ColumnDefault("42") @Generated(event = org.hibernate.generator.EventType.INSERT) public Integer answer;
        @ColumnDefault("'plain'") public String kind;
        public String note;
        @Formula("upper(note)") public String shout;
    }

    public enum Level { LOW(10), HIGH(20);
        @EnumeratedValue final int code;
        Level(int c) { code = c; }
    }

    @Entity(name = "HCoded")
    @Table(name = "h_coded")
    public static class Coded {
        @Id public Long id;
        public Level level;
        @ElementCollection @CollectionTable(name = "h_coded_levels") @OrderColumn(name = "pos")
        public List<Level> history = new ArrayList<>();
        @ElementCollection @CollectionTable(name = "h_coded_map") @MapKeyColumn(name = "k") @Column(name = "v")
        public Map<String, Integer> counters = new HashMap<>();
    }

    static Model model() {
        return new Model("hostile", List.of(Split.class, Soft.class, SqlDeleted.class, Line.class, Pair.class, Person.class,
                Profile.class, Shape.class, Round.class, Box.class, Frozen.class, Defaults.class, Coded.class), steps(),
                // read=REMOTE, write=REMOTE with QUEUE is refused for IDENTITY ids and owned collections (contract)
                Map.of("dbcomposite.routing.HPerson.onRemoteFail", "FAIL",
                        "dbcomposite.routing.HPair.onRemoteFail", "FAIL",
                        "dbcomposite.routing.HCoded.onRemoteFail", "FAIL"),
                // Hibernate's helper tables for multi-table mutations (SQLite keeps them as tables), no data
                Set.of("ht_h_split", "hte_h_split", "ht_hshape", "hte_hshape"), null);
    }

    private static PairId pairId(String lhs, int rhs) {
        PairId id = new PairId();
        id.lhs = lhs;
        id.rhs = rhs;
        return id;
    }

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(tx("persist one of each", c -> {
            Split full = new Split(); full.id = 1L; full.main = "m"; full.extra = "e"; full.extraNumber = 7; c.em().persist(full);
            Split bare = new Split(); bare.id = 2L; bare.main = "m2"; c.em().persist(bare);
            Soft soft = new Soft(); soft.id = 1L; soft.name = "soft"; c.em().persist(soft);
            SqlDeleted archived = new SqlDeleted(); archived.id = 1L; archived.name = "sd"; c.em().persist(archived);
            Line first = new Line(); first.key = new LineKey(100L, 1); first.item = "i1"; first.split = full; c.em().persist(first);
            Line second = new Line(); second.key = new LineKey(100L, 2); second.item = "i2"; c.em().persist(second);
            Pair pair = new Pair(); pair.lhs = "a"; pair.rhs = 1; pair.label = "L"; pair.tags.add("x"); pair.tags.add("y");
            c.em().persist(pair);
            Person person = new Person(); person.name = "Ann"; person.email = "ann@example.org"; c.em().persist(person);
            Profile profile = new Profile(); profile.person = person; profile.bio = "bio"; c.em().persist(profile);
            Round round = new Round(); round.id = 1L; round.colour = "red"; round.radius = 2.5; c.em().persist(round);
            Box box = new Box(); box.id = 2L; box.colour = "blue"; box.width = 3; box.inside = round; c.em().persist(box);
            Frozen frozen = new Frozen(); frozen.id = 1L; frozen.text = "ice"; c.em().persist(frozen);
            Defaults defaults = new Defaults(); defaults.id = 1L; defaults.note = "n"; c.em().persist(defaults);
            Coded coded = new Coded(); coded.id = 1L; coded.level = Level.HIGH; coded.history.add(Level.LOW);
            coded.history.add(Level.HIGH); coded.counters.put("a", 1); c.em().persist(coded);
            return List.of(person.id);
        }));
        s.add(tx("read each back, the formula and the natural id too", c -> {
            c.em().clear();
            Defaults d = c.em().find(Defaults.class, 1L);
            return List.of(c.em().find(Split.class, 2L).main, d.shout, String.valueOf(d.answer), String.valueOf(d.kind),
                    c.em().createQuery("select p.name from HPerson p where p.email = 'ann@example.org'", String.class).getSingleResult(),
                    c.em().createQuery("select count(s) from HShape s", Long.class).getSingleResult());
        }));
        s.add(tx("change each", c -> {
            Split full = c.em().find(Split.class, 1L); full.extra = null; full.extraNumber = 8;
            c.em().find(Split.class, 2L).extra = "now";
            c.em().find(Soft.class, 1L).name = "soft2";
            c.em().find(Line.class, new LineKey(100L, 1)).item = "i1b";
            Pair pair = c.em().find(Pair.class, pairId("a", 1)); pair.tags.remove("x"); pair.tags.add("z"); pair.label = "L2";
            c.em().createQuery("select p from HProfile p", Profile.class).getSingleResult().bio = "bio2";
            c.em().find(Round.class, 1L).radius = 9;
            Defaults d = c.em().find(Defaults.class, 1L); d.note = "m"; d.answer = 43;
            Coded coded = c.em().find(Coded.class, 1L); coded.level = Level.LOW; coded.history.remove(0); coded.counters.put("b", 2);
            return null;
        }));
        s.add(tx("persist a row that takes a column default, flush, then change another of its columns", c -> {
            if (c.routing() == RoutingKind.REMOTE) {
                // open defect, not run here: a held write=REMOTE entity inserted and changed in one transaction reaches
                // the remote as one write of its final state, so neither its column defaults nor its @Generated
                // values of the insert are applied there (plain Hibernate's remote row has them)
                return null;
            }
            Defaults d = new Defaults(); d.id = 2L; d.note = "first"; c.em().persist(d);
            c.em().flush();
            d.note = "second";
            return null;
        }));
        s.add(tx("empty the secondary table's columns of one row", c -> {
            Split full = c.em().find(Split.class, 1L);
            full.extraNumber = null;
            return null;
        }));
        s.add(tx("delete one of each kind of delete", c -> {
            c.em().remove(c.em().find(Soft.class, 1L));
            c.em().remove(c.em().find(SqlDeleted.class, 1L));
            c.em().remove(c.em().find(Line.class, new LineKey(100L, 2)));
            c.em().remove(c.em().find(Box.class, 2L));
            c.em().remove(c.em().find(Frozen.class, 1L));
            return null;
        }));
        s.add(tx("what is left", c -> {
            c.em().clear();
            return List.of(c.em().createQuery("select count(s) from HSoft s", Long.class).getSingleResult(),
                    c.em().createQuery("select count(s) from HSqlDeleted s", Long.class).getSingleResult(),
                    c.em().createQuery("select count(s) from HShape s", Long.class).getSingleResult(),
                    c.em().createQuery("select count(l) from HLine l", Long.class).getSingleResult());
        }));
        return s;
    }
}
