package io.dbcomposite.probes;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Column;
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

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mappings a helper session's probe found the replay getting wrong, on both remotes: a to-one joined on another unique
 * column than the id (the remote's key column was left null, silently), a to-one to an entity whose version is an
 * {@code Integer} or {@code Long} (refused as a reference to an unsaved instance, for ever), an element collection
 * held in an array (failed with an unnamed UnsupportedOperationException). Each replays and leaves the two sides equal.
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
}
