package io.dbcomposite.probes;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mappings a helper session's probe found the replay getting wrong, on both remotes: a to-one joined on another unique
 * column than the id (the remote's key column was left null, silently), a to-one to an entity whose version is an
 * {@code Integer} or {@code Long} (refused as a reference to an unsaved instance, for ever), an element collection
 * held in an array (failed with an unnamed UnsupportedOperationException), a chain of element-collection references
 * replayed row by row or taken along by a remote-only commit (failed on a foreign key), an insert over a stray remote
 * row with the same columns (its collection rows were skipped, silently). Each replays and leaves the two sides equal.
 */
class ReplayedMappingsProbeTest {

    /** Replays the log once; every change SYNCED, every table the same on both sides. */
    static void syncAndCompare(StandaloneUnit unit, String... tables) {
        var r = unit.emf.sync();
        System.out.println("replayed " + r + " " + SqliteFiles.rows(unit.localUrl,
                "select id, entity_name, entity_id, operation, status, last_error from dbc_sync_log order by id"));
        for (String t : tables) {
            ProbeRows.assertSameRows(unit, t, 1);
        }
        assertThat(SqliteFiles.rows(unit.localUrl, "select status from dbc_sync_log where status <> 'SYNCED'")).isEmpty();
    }

    // a to-one by another unique column than the id (referencedColumnName)

    @Entity(name = "HfCountry")
    @Table(name = "hf_country")
    public static class Country implements java.io.Serializable {
        @Id
        public Long id;
        @Column(unique = true, nullable = false)
        public String code;
    }

    @Entity(name = "HfTown")
    @Table(name = "hf_town")
    public static class Town {
        @Id
        public Long id;
        @ManyToOne
        @JoinColumn(name = "country_code", referencedColumnName = "code")
        public Country country;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_to_one_joined_on_a_natural_key_reaches_the_remote_with_its_key(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfNk", null, Map.of(), Country.class, Town.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Country fr = new Country();
                fr.id = 1L;
                fr.code = "FR";
                em.persist(fr);
                Town t = new Town();
                t.id = 1L;
                t.country = fr;
                em.persist(t);
            });
            syncAndCompare(unit, "hf_country", "hf_town");
        }
    }

    // a to-one to an entity versioned by a wrapper type

    @Entity(name = "HfTag")
    @Table(name = "hf_tag")
    public static class Tag {
        @Id
        public Long id;
        @Version
        public Long version;
    }

    @Entity(name = "HfDoc")
    @Table(name = "hf_doc")
    public static class Doc {
        @Id
        public Long id;
        @ManyToOne
        public Tag tag;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_to_one_to_an_entity_with_a_Long_version_replays(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfVer", null, Map.of(), Tag.class, Doc.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Tag tag = new Tag();
                tag.id = 1L;
                em.persist(tag);
                Doc d = new Doc();
                d.id = 1L;
                d.tag = tag;
                em.persist(d);
            });
            syncAndCompare(unit, "hf_tag", "hf_doc");
        }
    }

    // an element collection held in an array

    @Entity(name = "HfTagged")
    @Table(name = "hf_tagged")
    public static class Tagged {
        @Id
        public Long id;
        @ElementCollection
        @CollectionTable(name = "hf_tagged_tag")
        @OrderColumn(name = "pos")
        public String[] tags = new String[0];
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void an_element_collection_held_in_an_array_replays(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfArr", null, Map.of(), Tagged.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Tagged t = new Tagged();
                t.id = 1L;
                t.tags = new String[]{"a", "b"};
                em.persist(t);
            });
            syncAndCompare(unit, "hf_tagged", "hf_tagged_tag");
        }
    }

    // a chain of element-collection references, replayed row by row; an insert over a stray row; a commit taking a chain along

    @Embeddable
    public static class Link {
        @ManyToOne
        @JoinColumn(name = "target_id")
        public Node target;

        public Link() {
        }

        Link(Node target) {
            this.target = target;
        }
    }

    @Entity(name = "HfNode")
    @Table(name = "hf_node")
    public static class Node {
        @Id
        public Long id;
        @Version
        public long version;
        @ElementCollection
        @CollectionTable(name = "hf_node_link")
        public List<Link> links = new ArrayList<>();

        public Node() {
        }

        Node(long id) {
            this.id = id;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL"})
    void the_row_by_row_replay_orders_a_chain_of_references(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfChain", null,
                Map.of("dbcomposite.routing.HfNode.onConflict", "LOCAL_WINS"), Node.class)) {
            // another unit's row 10: the batched upsert (version-guarded) fails, the fallback replays row by row
            unit.pair.remoteUpdate(unit.schema, "insert into hf_node (id, version) values (10, 0)");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Node a = new Node(10);
                Node b = new Node(11);
                Node c = new Node(12);
                a.links.add(new Link(b));
                b.links.add(new Link(c));
                em.persist(a);
                em.persist(b);
                em.persist(c);
            });
            syncAndCompare(unit, "hf_node", "hf_node_link");
        }
    }


    @Entity(name = "HfRef")
    @Table(name = "hf_ref")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Ref {
        @Id
        public Long id;
        @ManyToOne
        public Node node;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_remote_only_commit_takes_a_chain_of_new_local_rows_along_in_key_order(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfTake", null, Map.of(), Node.class, Ref.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Node a = new Node(10);
                Node b = new Node(11);
                a.links.add(new Link(b));
                em.persist(a);
                em.persist(b);
                Ref r = new Ref();
                r.id = 1L;
                r.node = a;
                em.persist(r);
            });
            assertThat(unit.remote("select count(*) from hf_ref")).isEqualTo(1);
            syncAndCompare(unit, "hf_node", "hf_node_link");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL"})
    void an_insert_over_a_stray_row_with_the_same_columns_writes_its_collection_rows(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HfStray", null,
                Map.of("dbcomposite.routing.HfNode.onConflict", "LOCAL_WINS"), Node.class)) {
            unit.pair.remoteUpdate(unit.schema, "insert into hf_node (id, version) values (10, 0)");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Node b = new Node(11);
                em.persist(b);
                Node a = new Node(10);
                a.links.add(new Link(b));
                em.persist(a);
            });
            syncAndCompare(unit, "hf_node", "hf_node_link");
        }
    }

    // a replay whose SYNCED marks were lost, with a newer change of the row held behind another row's conflict

    @Entity(name = "HfTagNode")
    @Table(name = "hf_tag_node")
    public static class TagNode {
        @Id
        public Long id;
        @Version
        public long version;
        @ElementCollection
        @CollectionTable(name = "hf_tag_node_tag")
        public java.util.Set<String> tags = new java.util.HashSet<>();
    }

    @Entity(name = "HfOther")
    @Table(name = "hf_other")
    public static class Other {
        @Id
        public Long id;
        public String name;
    }

    @org.junit.jupiter.api.Test
    void a_replay_again_after_lost_marks_never_writes_an_older_state_over_a_newer_one() {
        try (StandaloneUnit unit = StandaloneUnit.start("HfLostMarks", TagNode.class, Other.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Other o = new Other();
                o.id = 5L;
                o.name = "o1";
                em.persist(o);
            });
            unit.emf.sync();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                TagNode n = new TagNode();
                n.id = 1L;
                n.tags.add("a");
                em.persist(n);
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.find(TagNode.class, 1L).tags.add("b");
                em.find(Other.class, 5L).name = "o2";
            });
            unit.emf.sync();
            // the SYNCED marks are lost (a crash between the remote commit and the marks), and another writer changes
            // Other#5 on the remote: the newer change of the node waits behind that conflict
            SqliteFiles.update(unit.localUrl, "update dbc_sync_log set status = 'PENDING' where id >= 2");
            SqliteFiles.update(unit.localUrl, "update dbc_sync_floor set next_id = 0");
            unit.pair.remoteUpdate(unit.schema, "update hf_other set name = 'theirs' where id = 5");
            unit.emf.sync();
            assertThat(unit.remote("select version from hf_tag_node where id = 1")).isEqualTo(1);
            assertThat(unit.remote("select count(*) from hf_tag_node_tag where hftagnode_id = 1")).isEqualTo(2);
        }
    }

    @Entity(name = "HfLazyTown")
    @Table(name = "hf_lazy_town")
    public static class LazyTown {
        @Id
        public Long id;
        public String name;
        @ManyToOne(fetch = jakarta.persistence.FetchType.LAZY)
        @JoinColumn(name = "country_code", referencedColumnName = "code")
        public Country country;
    }

    @org.junit.jupiter.api.Test
    void an_update_of_a_row_with_a_lazy_to_one_joined_on_a_natural_key_keeps_the_key() {
        try (StandaloneUnit unit = StandaloneUnit.start("HfLazyNk", Country.class, LazyTown.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Country fr = new Country();
                fr.id = 1L;
                fr.code = "FR";
                em.persist(fr);
                LazyTown t = new LazyTown();
                t.id = 1L;
                t.name = "a";
                t.country = fr;
                em.persist(t);
            });
            unit.emf.sync();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(LazyTown.class, 1L).name = "b");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.remote("select count(*) from hf_lazy_town where name = 'b' and country_code = 'FR'")).isEqualTo(1);
        }
    }
}
