package io.dbcomposite.probes;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.SoftDelete;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code @SoftDelete} element collection (Hibernate marks a removed element's row deleted instead of deleting it).
 * The replay and the DUAL write rewrite an owner's collection rows: their delete was the soft delete, and the loaded
 * elements inserted again collided with their own marked rows on the collection's unique key, so every change of such a
 * collection failed every replay (going DEAD) or every DUAL commit, after the local side had taken it. Such a mapping is
 * now refused when the unit starts, naming the entity and the collection, wherever its writes reach both databases, and
 * works where they do not.
 */
class SoftDeleteElementCollectionProbeTest {

    @Entity(name = "PbSoftTagged")
    @Table(name = "pb_soft_tagged")
    public static class SoftTagged {
        @Id
        public Long id;
        @ElementCollection
        @CollectionTable(name = "pb_soft_tagged_tags", joinColumns = @JoinColumn(name = "tagged_id"))
        @Column(name = "tag")
        @SoftDelete
        public Set<String> tags = new HashSet<>();
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_soft_deleted_collection_is_refused_where_its_writes_reach_both_databases(DatabasePair pair) {
        assertThatThrownBy(() -> StandaloneUnit.start(pair, "PbSoftTags", null, Map.of(), SoftTagged.class).close())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("Entity 'PbSoftTagged'").hasMessageContaining("'tags'").hasMessageContaining("@SoftDelete");
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        assertThatThrownBy(() -> StandaloneUnit.start(pair, "PbSoftTagsDual", dual, Map.of(), SoftTagged.class).close())
                .isInstanceOf(CompositeConfigurationException.class).hasMessageContaining("'tags'");
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_soft_deleted_collection_kept_on_the_local_side_works(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbSoftTagsLocal", null,
                Map.of("dbcomposite.routing.PbSoftTagged.sync", "NONE"), SoftTagged.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                SoftTagged t = new SoftTagged();
                t.id = 1L;
                t.tags.add("x");
                t.tags.add("y");
                em.persist(t);
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                SoftTagged t = em.find(SoftTagged.class, 1L);
                t.tags.remove("x");
                t.tags.add("z");
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.local("select count(*) from pb_soft_tagged_tags")).isEqualTo(3);
            assertThat(unit.remote("select count(*) from pb_soft_tagged_tags")).isZero();
        }
    }
}
