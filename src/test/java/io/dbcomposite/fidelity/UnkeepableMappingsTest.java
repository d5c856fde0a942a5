package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorType;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.annotations.Any;
import org.hibernate.annotations.AnyDiscriminator;
import org.hibernate.annotations.AnyDiscriminatorValue;
import org.hibernate.annotations.AnyKeyJavaClass;
import org.hibernate.annotations.JdbcType;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.TimestampJdbcType;
import org.junit.jupiter.api.Test;

import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mappings whose values the library could not keep the same on both databases, found by a probe: a {@code Calendar}
 * with Hibernate's own timestamp type given explicitly reached the remote shifted by the JVM's offset from the JDBC time
 * zone, silently; an {@code @Any} association committed locally and failed every replay. Both are refused when the unit
 * starts, naming the entity and the property, for every entity whose writes reach both databases, and left alone where
 * they do not (an entity kept on one side) or where they work (an {@code @Any} written to both sides, never logged).
 */
class UnkeepableMappingsTest {

    @Entity(name = "UmStamped")
    @Table(name = "um_stamped")
    public static class Stamped {
        @Id
        public Long id;
        @JdbcType(TimestampJdbcType.class)
        public Calendar seenAt;
    }

    @Embeddable
    public static class Window {
        @JdbcType(TimestampJdbcType.class)
        public Calendar opens;
    }

    @Entity(name = "UmWindowed")
    @Table(name = "um_windowed")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Windowed {
        @Id
        public Long id;
        @Embedded
        public Window window;
    }

    @Entity(name = "UmLocalOnly")
    @Table(name = "um_local_only")
    @CompositeRouting(sync = Sync.NONE)
    public static class LocalOnly {
        @Id
        public Long id;
        @JdbcType(TimestampJdbcType.class)
        public Calendar seenAt;
    }

    @Entity(name = "UmByCode")
    @Table(name = "um_by_code")
    public static class ByCode {
        @Id
        public Long id;
        @JdbcTypeCode(SqlTypes.TIMESTAMP)
        public Calendar seenAt;
    }

    public interface Pet {
    }

    @Entity(name = "UmCat")
    @Table(name = "um_cat")
    public static class Cat implements Pet {
        @Id
        public Long id;
        public String name;
    }

    /** An @Any to a pet, the same mapping for a logged and a DUAL+FAIL owner. */
    @jakarta.persistence.MappedSuperclass
    public abstract static class PetOwner {
        @Id
        public Long id;
        @Any
        @AnyDiscriminator(DiscriminatorType.STRING)
        @AnyDiscriminatorValue(discriminator = "C", entity = Cat.class)
        @AnyKeyJavaClass(Long.class)
        @Column(name = "pet_kind")
        @JoinColumn(name = "pet_id")
        public Pet pet;
    }

    @Entity(name = "UmOwner")
    @Table(name = "um_owner")
    public static class Owner extends PetOwner {
    }

    @Entity(name = "UmDualOwner")
    @Table(name = "um_dual_owner")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class DualOwner extends PetOwner {
    }

    @Test
    void a_calendar_with_hibernates_timestamp_type_given_explicitly_is_refused_where_both_sides_hold_it() {
        assertThatThrownBy(() -> StandaloneUnit.start("UmStamped", Stamped.class))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("Entity 'UmStamped'").hasMessageContaining("'seenAt'")
                .hasMessageContaining("TimestampJdbcType").hasMessageContaining("Instant");
        assertThatThrownBy(() -> StandaloneUnit.start("UmWindowed", Windowed.class))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("Entity 'UmWindowed'").hasMessageContaining("'window.opens'");
    }

    @Test
    void a_calendar_kept_on_one_side_or_typed_by_code_starts_and_keeps_its_instant() {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try (StandaloneUnit unit = StandaloneUnit.start("UmCalendarsKept", LocalOnly.class, ByCode.class)) {
            GregorianCalendar at = new GregorianCalendar(TimeZone.getTimeZone("Europe/Berlin"));
            at.setTimeInMillis(1_780_000_000_123L);
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                ByCode b = new ByCode();
                b.id = 1L;
                b.seenAt = at;
                em.persist(b);
                LocalOnly l = new LocalOnly();
                l.id = 1L;
                l.seenAt = at;
                em.persist(l);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            try (Session local = unit.emf.localFactory().openSession(); Session remote = unit.emf.remoteFactory().openSession()) {
                assertThat(remote.find(ByCode.class, 1L).seenAt.getTimeInMillis()).isEqualTo(1_780_000_000_123L)
                        .isEqualTo(local.find(ByCode.class, 1L).seenAt.getTimeInMillis());
                assertThat(remote.find(LocalOnly.class, 1L)).isNull();
            }
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void an_any_association_is_refused_where_its_changes_go_through_the_sync_log_and_works_written_to_both_sides() {
        assertThatThrownBy(() -> StandaloneUnit.start("UmOwner", Cat.class, Owner.class))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("Entity 'UmOwner'").hasMessageContaining("'pet'").hasMessageContaining("@Any")
                .hasMessageContaining("onRemoteFail=FAIL");
        try (StandaloneUnit unit = StandaloneUnit.start("UmDualOwner", Cat.class, DualOwner.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Cat c = new Cat();
                c.id = 1L;
                c.name = "Tom";
                em.persist(c);
                DualOwner o = new DualOwner();
                o.id = 1L;
                o.pet = c;
                em.persist(o);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            try (Session remote = unit.emf.remoteFactory().openSession()) {
                assertThat(((Cat) remote.find(DualOwner.class, 1L).pet).name).isEqualTo("Tom");
            }
        }
    }

    @Entity(name = "UmKid")
    @Table(name = "um_kid")
    public static class Kid {
        @Id
        public Long id;
    }

    @Entity(name = "UmParent")
    @Table(name = "um_parent")
    public static class Parent {
        @Id
        public Long id;
        @jakarta.persistence.OneToMany(cascade = jakarta.persistence.CascadeType.ALL)
        @JoinColumn(name = "parent_id", nullable = false)
        public java.util.Set<Kid> kids = new java.util.HashSet<>();
    }

    @Entity(name = "UmLooseKid")
    @Table(name = "um_loose_kid")
    public static class LooseKid {
        @Id
        public Long id;
    }

    @Entity(name = "UmLooseParent")
    @Table(name = "um_loose_parent")
    public static class LooseParent {
        @Id
        public Long id;
        @jakarta.persistence.OneToMany(cascade = jakarta.persistence.CascadeType.ALL)
        @JoinColumn(name = "parent_id")
        public java.util.Set<LooseKid> kids = new java.util.HashSet<>();
    }

    @Test
    void the_logged_element_of_a_one_to_many_with_a_required_key_column_is_refused_and_a_nullable_one_replays() {
        assertThatThrownBy(() -> StandaloneUnit.start("UmRequiredKey", Kid.class, Parent.class))
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("Entity 'UmKid'").hasMessageContaining("NOT NULL")
                .hasMessageContaining("nullable = false").hasMessageContaining("mappedBy");
        try (StandaloneUnit unit = StandaloneUnit.start("UmNullableKey", LooseKid.class, LooseParent.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                LooseParent p = new LooseParent();
                p.id = 1L;
                LooseKid k = new LooseKid();
                k.id = 1L;
                p.kids.add(k);
                em.persist(p);
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.remote("select count(*) from um_loose_kid where id = 1 and parent_id = 1")).isEqualTo(1);
        }
    }
}
