package io.dbcomposite.internal.apply;

import io.dbcomposite.testing.Jdbc;
import io.dbcomposite.testing.PostgresTestDatabase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;
import org.hibernate.StatelessSession;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.persister.entity.EntityPersister;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The replay's upserts bound without the stateless session ({@link PreparedUpserts}) write what Hibernate's own upsert
 * writes. Each case writes the same state twice into the same PostgreSQL table, once through the replay batch's path
 * (a {@link CollectionRewrites} given) and once through Hibernate's upsert, under two ids, and compares the two rows
 * column by column (and their collection rows): a converter, both enum forms, an embeddable, a foreign key with a
 * read-only copy of its column, a column the update leaves out, numbers, times, bytes, a UUID, an ordered element
 * collection, a counted version, {@code @CreationTimestamp} and {@code @UpdateTimestamp} (whose values the library's
 * writes keep), property access through a setter that changes its value. A row whose version moved on is refused on
 * both paths; the mappings where the bound upsert would differ are left to Hibernate's.
 */
class PreparedUpsertsTest {

    enum Shade { LIGHT, DARK }

    public static final class Upper implements AttributeConverter<String, String> {
        @Override
        public String convertToDatabaseColumn(String attribute) {
            return attribute == null ? null : "<" + attribute.toUpperCase(Locale.ROOT) + ">";
        }

        @Override
        public String convertToEntityAttribute(String dbData) {
            return dbData == null ? null : dbData.substring(1, dbData.length() - 1).toLowerCase(Locale.ROOT);
        }
    }

    @Embeddable
    public static class Span {
        LocalDate starts;
        @Column(name = "span_days")
        Integer days;

        public Span() {
        }

        Span(LocalDate starts, Integer days) {
            this.starts = starts;
            this.days = days;
        }
    }

    @Entity(name = "PuOwner")
    @Table(name = "pu_owner")
    public static class Owner {
        @Id
        Long id;
        String name;

        public Owner() {
        }

        Owner(Long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @Entity(name = "PuWide")
    @Table(name = "pu_wide")
    public static class Wide {
        @Id
        Long id;
        @Version
        Integer version;
        String text;
        @Convert(converter = Upper.class)
        String coded;
        @Enumerated(EnumType.STRING)
        Shade named;
        @Enumerated(EnumType.ORDINAL)
        Shade numbered;
        @Embedded
        Span span;
        @ManyToOne
        @JoinColumn(name = "owner_id")
        Owner owner;
        @Column(name = "owner_id", insertable = false, updatable = false)
        Long ownerId;
        @Column(updatable = false)
        String firstWords;
        @Column(precision = 12, scale = 3)
        BigDecimal amount;
        Instant at;
        byte[] bytes;
        UUID token;
        boolean flag;
        @ElementCollection
        @CollectionTable(name = "pu_wide_note", joinColumns = @JoinColumn(name = "wide_id"))
        @OrderColumn(name = "pos")
        List<String> notes = new ArrayList<>();

        public Wide() {
        }
    }

    @Entity(name = "PuStamped")
    @Table(name = "pu_stamped")
    public static class Stamped {
        @Id
        Long id;
        String text;
        @CreationTimestamp
        Instant created;
        @org.hibernate.annotations.UpdateTimestamp
        Instant updated;

        public Stamped() {
        }
    }

    /** A time the database sets in the statement that writes the row. */
    @Entity(name = "PuCounted")
    @Table(name = "pu_counted")
    public static class Counted {
        @Id
        Long id;
        String text;
        @org.hibernate.annotations.CurrentTimestamp
        Instant touched;

        public Counted() {
        }
    }

    /** A column the statement's insert half leaves out and its update half sets (insertable = false). */
    @Entity(name = "PuLate")
    @Table(name = "pu_late")
    public static class Late {
        @Id
        Long id;
        String text;
        @Column(insertable = false)
        String late;

        public Late() {
        }
    }

    /** A version counted by a generator of its own: ten a write. */
    @Entity(name = "PuTens")
    @Table(name = "pu_tens")
    public static class Tens {
        @Id
        Long id;
        @Version
        @StepsOfTen
        Integer version;
        String text;

        public Tens() {
        }
    }

    @org.hibernate.annotations.ValueGenerationType(generatedBy = TenStep.class)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD)
    @interface StepsOfTen {
    }

    public static final class TenStep implements org.hibernate.generator.BeforeExecutionGenerator {
        @Override
        public Object generate(SharedSessionContractImplementor session, Object owner, Object current,
                               org.hibernate.generator.EventType eventType) {
            return current == null ? 0 : (Integer) current + 10;
        }

        @Override
        public java.util.EnumSet<org.hibernate.generator.EventType> getEventTypes() {
            return org.hibernate.generator.EventTypeSets.INSERT_AND_UPDATE;
        }
    }

    /** Property access whose setter changes what it is given: the stateless session's upsert runs it. */
    @Entity(name = "PuShouting")
    @Table(name = "pu_shouting")
    @jakarta.persistence.Access(jakarta.persistence.AccessType.PROPERTY)
    public static class Shouting {
        private Long id;
        private String text;

        public Shouting() {
        }

        @Id
        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text == null ? null : text + "!";
        }
    }

    /** A primitive generated id, whose 0 means "not saved yet". */
    @Entity(name = "PuPrimitive")
    @Table(name = "pu_primitive")
    public static class Primitive {
        @Id
        @jakarta.persistence.GeneratedValue
        long id;
        String text;

        public Primitive() {
        }
    }

    /** Field access, but a read-only property through a setter that sets another, written, field. */
    @Entity(name = "PuMixedRo")
    @Table(name = "pu_mixed_ro")
    public static class MixedReadOnly {
        @Id
        Long id;
        String alpha;
        @jakarta.persistence.Transient
        String zetaValue;

        public MixedReadOnly() {
        }

        @jakarta.persistence.Access(jakarta.persistence.AccessType.PROPERTY)
        @Column(insertable = false, updatable = false)
        public String getZeta() {
            return zetaValue;
        }

        public void setZeta(String zeta) {
            this.zetaValue = zeta;
            if (zeta != null) {
                this.alpha = zeta.toUpperCase(Locale.ROOT);
            }
        }
    }

    /** Field access, but a collection through a setter that sets another, written, field. */
    @Entity(name = "PuMixedColl")
    @Table(name = "pu_mixed_coll")
    public static class MixedCollection {
        @Id
        Long id;
        String alpha;
        @jakarta.persistence.Transient
        List<String> tagsValue = new ArrayList<>();

        public MixedCollection() {
        }

        @jakarta.persistence.Access(jakarta.persistence.AccessType.PROPERTY)
        @ElementCollection
        @CollectionTable(name = "pu_mixed_coll_tag", joinColumns = @JoinColumn(name = "owner_id"))
        @OrderColumn(name = "pos")
        public List<String> getTags() {
            return tagsValue;
        }

        public void setTags(List<String> tags) {
            this.tagsValue = tags;
            this.alpha = "set by setTags";
        }
    }

    /** An update time excluded from temporal versioning, on an entity that is not temporal. */
    @Entity(name = "PuExcl")
    @Table(name = "pu_excl")
    public static class Excluded {
        @Id
        Long id;
        String text;
        @org.hibernate.annotations.UpdateTimestamp
        @org.hibernate.annotations.Temporal.Excluded
        Instant updated;

        public Excluded() {
        }
    }

    @Embeddable
    public static class Stamp {
        String who;
        @org.hibernate.annotations.UpdateTimestamp
        Instant stampedAt;

        public Stamp() {
        }
    }

    @org.hibernate.annotations.ValueGenerationType(generatedBy = Sometimes.class)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD)
    @interface SometimesGenerated {
    }

    /** Generates on insert and update, unless the row's text says "skip"; its value may not be changed by hand. */
    public static final class Sometimes implements org.hibernate.generator.BeforeExecutionGenerator {
        @Override
        public Object generate(SharedSessionContractImplementor session, Object owner, Object current,
                               org.hibernate.generator.EventType eventType) {
            return "generated";
        }

        @Override
        public boolean generatedBeforeExecution(Object entity, SharedSessionContractImplementor session) {
            return !"skip".equals(((Generated) entity).text);
        }

        @Override
        public boolean allowMutation() {
            return false;
        }

        @Override
        public java.util.EnumSet<org.hibernate.generator.EventType> getEventTypes() {
            return org.hibernate.generator.EventTypeSets.INSERT_AND_UPDATE;
        }
    }

    /** A version, an update time, an embeddable with an update time of its own, a conditional generator. */
    @Entity(name = "PuGenerated")
    @Table(name = "pu_generated")
    public static class Generated {
        @Id
        Long id;
        @Version
        Long version;
        String text;
        @org.hibernate.annotations.UpdateTimestamp
        Instant updated;
        @Embedded
        Stamp stamp;
        @SometimesGenerated
        String sometimes;
        @CreationTimestamp
        Instant created;

        public Generated() {
        }
    }

    private static String schema;
    private static EntityManagerFactory emf;
    private static SessionFactoryImplementor factory;

    @BeforeAll
    static void start() {
        assumeTrue(io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4),
                "the upsert statement is used on Hibernate ORM 7.4 only (RowApplier.UPSERT_STATEMENT)");
        schema = PostgresTestDatabase.createSchema("PreparedUpsertsTest");
        emf = new HibernatePersistenceConfiguration("prepared-upserts")
                .managedClasses(Owner.class, Wide.class, Stamped.class, Counted.class, Late.class, Tens.class, Shouting.class,
                        Primitive.class, MixedReadOnly.class, MixedCollection.class, Excluded.class, Generated.class)
                .jdbcUrl(PostgresTestDatabase.urlFor(schema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory();
        factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
        // as a unit's sides have it: the library's writes keep the values in-memory generators would set
        RowApplier.keepGeneratedValues(factory);
        PostgresTestDatabase.update(schema, "insert into pu_owner (id, name) values (1, 'first'), (2, 'second')");
    }

    @AfterAll
    static void stop() {
        if (emf != null) {
            emf.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private static Wide wide(int version, String text) {
        Wide w = new Wide();
        w.version = version;
        w.text = text;
        w.coded = "mixed Case";
        w.named = Shade.DARK;
        w.numbered = Shade.DARK;
        w.span = new Span(LocalDate.of(2026, 2, 28), 3);
        w.owner = new Owner(2L, null);
        w.ownerId = 1L; // read-only copy of the foreign key, deliberately stale: neither path may write it
        w.firstWords = "as inserted " + text;
        w.amount = new BigDecimal("1234.500");
        w.at = Instant.parse("2026-03-29T01:30:00.123456Z");
        w.bytes = new byte[] {0, 1, -1, 127};
        w.token = UUID.fromString("0b5c8b9e-1c1a-4a53-9b8e-0d5a3a8f0e11");
        w.flag = true;
        w.notes = new ArrayList<>(List.of("one", "two", "three"));
        return w;
    }

    /** @return the rows the batch path added itself */
    private static int upsertBothWays(Class<?> type, long batchId, long hibernateId, Object instance, Object previousVersion) {
        return upsert(type, batchId, hibernateId, instance, previousVersion);
    }

    /** @return the rows the batch path added itself */
    private static int upsertInBatch(Class<?> type, long batchId, Object instance) {
        return upsert(type, batchId, null, instance, null);
    }

    private static int upsert(Class<?> type, long batchId, Long hibernateId, Object instance, Object previousVersion) {
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
        Object[] state = persister.getValues(instance);
        try (StatelessSession session = factory.openStatelessSession()) {
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            session.setJdbcBatchSize(50);
            session.beginTransaction();
            try {
                CollectionRewrites later = new CollectionRewrites();
                RowApplier.upsert(session, persister, batchId, state.clone(), previousVersion, later, null);
                later.write(s);
                if (hibernateId != null) {
                    RowApplier.upsert(session, persister, hibernateId, state.clone(), previousVersion);
                }
                session.getTransaction().commit();
                return later.upserts().added();
            } catch (RuntimeException e) {
                session.getTransaction().rollback();
                throw e;
            }
        }
    }

    private static Map<String, Object> row(String table, long id) {
        List<Map<String, Object>> rows = PostgresTestDatabase.rows(schema, "select * from " + table + " where id = ?", id);
        assertThat(rows).as("%s row %s", table, id).hasSize(1);
        Map<String, Object> row = new LinkedHashMap<>(rows.get(0));
        row.remove("id");
        row.replaceAll((k, v) -> v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v);
        return row;
    }

    private static List<Map<String, Object>> notes(long id) {
        return PostgresTestDatabase.rows(schema, "select pos, notes from pu_wide_note where wide_id = ? order by pos", id);
    }

    @Test
    void a_new_row_is_written_as_hibernates_upsert_writes_it() {
        int added = upsertBothWays(Wide.class, 101, 201, wide(0, "new"), null);

        assertThat(added).as("rows the batch path bound itself").isEqualTo(1);
        Map<String, Object> batched = row("pu_wide", 101);
        assertThat(batched).isEqualTo(row("pu_wide", 201));
        assertThat(batched).containsEntry("coded", "<MIXED CASE>").containsEntry("named", "DARK")
                .containsEntry("owner_id", 2L).containsEntry("version", 0).containsEntry("span_days", 3)
                .containsEntry("bytes", "0001ff7f").containsEntry("firstwords", "as inserted new");
        assertThat(notes(101)).isEqualTo(notes(201)).hasSize(3);
    }

    @Test
    void instants_at_the_edges_are_written_as_hibernates_binder_writes_them() {
        // the bound upsert binds each value with the binder Hibernate's upsert binds it with
        String[] edges = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999500Z", "2026-03-29T01:30:00.9999995Z",
                "2026-03-29T01:30:00.0000004Z", "1582-10-15T00:00:00Z", "1582-10-04T23:59:59.5Z", "1000-06-15T12:00:00.000001Z",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1900-01-01T00:00:00Z", "2038-01-19T03:14:08Z"};
        long id = 1_101;
        for (String edge : edges) {
            Wide w = wide(0, "edge");
            w.at = Instant.parse(edge);
            assertThat(upsertBothWays(Wide.class, id, id + 1_000, w, null)).as(edge).isEqualTo(1);
            assertThat(row("pu_wide", id)).as(edge).isEqualTo(row("pu_wide", id + 1_000));
            id++;
        }
    }

    @Test
    void an_existing_row_is_updated_as_hibernates_upsert_updates_it() {
        upsertBothWays(Wide.class, 102, 202, wide(0, "before"), null);
        Wide changed = wide(1, "after");
        changed.coded = null;
        changed.span = null;
        changed.owner = null;
        changed.notes = new ArrayList<>(List.of("only"));

        int added = upsertBothWays(Wide.class, 102, 202, changed, null);

        assertThat(added).isEqualTo(1);
        Map<String, Object> batched = row("pu_wide", 102);
        assertThat(batched).isEqualTo(row("pu_wide", 202));
        assertThat(batched).containsEntry("version", 1).containsEntry("text", "after").containsEntry("coded", null)
                .containsEntry("owner_id", null).containsEntry("starts", null)
                // the upsert's update half leaves the column out, as the entity's update does
                .containsEntry("firstwords", "as inserted before");
        assertThat(notes(102)).isEqualTo(notes(202)).hasSize(1);
    }

    @Test
    void a_row_whose_version_moved_on_is_refused_on_both_paths() {
        upsertBothWays(Wide.class, 103, 203, wide(0, "base"), null);
        PostgresTestDatabase.update(schema, "update pu_wide set version = 7 where id in (103, 203)");
        Wide stale = wide(1, "stale"); // expects the row at version 0

        assertThatThrownBy(() -> upsertBothWays(Wide.class, 103, 9999, stale, null))
                .as("the batch path").isInstanceOf(StaleStateException.class);
        assertThatThrownBy(() -> upsertBothWays(Wide.class, 9998, 203, stale, null))
                .as("Hibernate's path").isInstanceOf(StaleStateException.class);
        assertThat(row("pu_wide", 103)).containsEntry("text", "base").containsEntry("version", 7);
        assertThat(row("pu_wide", 203)).containsEntry("text", "base").containsEntry("version", 7);
    }

    @Test
    void a_given_previous_version_is_the_one_restricted_on_and_the_row_ends_one_after_it() {
        upsertBothWays(Wide.class, 104, 204, wide(0, "base"), null);
        PostgresTestDatabase.update(schema, "update pu_wide set version = 5 where id in (104, 204)");

        int added = upsertBothWays(Wide.class, 104, 204, wide(9, "overwritten"), 5);

        assertThat(added).isEqualTo(1);
        assertThat(row("pu_wide", 104)).isEqualTo(row("pu_wide", 204)).containsEntry("version", 6)
                .containsEntry("text", "overwritten");
    }

    @Test
    void a_column_only_the_update_half_sets_is_never_written_from_the_missing_insert_value() {
        PostgresTestDatabase.update(schema, "insert into pu_late (id, text, late) values (106, 'old', 'kept')");
        Late l = new Late();
        l.text = "new";
        l.late = "late value";

        // Hibernate's upsert cannot bind the column (its statement has no parameter for it) and refuses the row; the
        // batch path must not write the row with the column taken from the insert half's missing value (null)
        assertThatThrownBy(() -> upsertInBatch(Late.class, 106, l)).isInstanceOf(RuntimeException.class);
        assertThat(row("pu_late", 106)).containsEntry("text", "old").containsEntry("late", "kept");
    }

    @Test
    void a_version_with_a_generator_of_its_own_keeps_hibernates_upsert() {
        Tens t = new Tens();
        t.version = 4;
        t.text = "tens";
        PostgresTestDatabase.update(schema, "insert into pu_tens (id, version, text) values (107, 3, 'old'), (207, 3, 'old')");

        int added = upsertBothWays(Tens.class, 107, 207, t, null);

        assertThat(added).as("left to Hibernate's upsert, which counts with the generator").isZero();
        assertThat(row("pu_tens", 107)).isEqualTo(row("pu_tens", 207)).containsEntry("version", 13);
    }

    @Test
    void an_entity_read_through_getters_and_setters_is_written_as_the_stateless_session_reads_it() {
        Shouting sh = new Shouting();
        sh.setText("hey"); // "hey!"

        int added = upsertBothWays(Shouting.class, 108, 208, sh, null);

        assertThat(added).isEqualTo(1);
        // the stateless session sets the state on a copy and reads it back: the setter runs once more
        assertThat(row("pu_shouting", 108)).isEqualTo(row("pu_shouting", 208)).containsEntry("text", "hey!!");
    }

    @Test
    void an_id_that_means_not_saved_yet_is_refused_on_both_paths() {
        Primitive p = new Primitive();
        p.text = "zero";

        assertThatThrownBy(() -> upsertBothWays(Primitive.class, 0, 9996, p, null)).as("the batch path")
                .isInstanceOf(org.hibernate.TransientObjectException.class);
        assertThatThrownBy(() -> upsertBothWays(Primitive.class, 9995, 0, p, null)).as("Hibernate's path")
                .isInstanceOf(org.hibernate.TransientObjectException.class);
        assertThat(PostgresTestDatabase.rows(schema, "select id from pu_primitive")).isEmpty();
    }

    @Test
    void outside_a_transaction_the_upsert_is_sent_at_once_as_hibernate_sends_it() throws Exception {
        // a session on a connection the caller holds (as a commit's remote step opens it) has no transaction of its own
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(Wide.class);
        Object[] state = persister.getValues(wide(0, "at once"));
        try (java.sql.Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(schema))) {
            c.setAutoCommit(false);
            try (StatelessSession session = factory.withStatelessOptions().connection(c).openStatelessSession()) {
                session.setJdbcBatchSize(50);
                CollectionRewrites later = new CollectionRewrites();
                RowApplier.upsert(session, persister, 109L, state, null, later, null);

                assertThat(later.upserts().added()).isZero();
                assertThat(Jdbc.query(c, "select text from pu_wide where id = ?", 109L))
                        .as("the row, on the session's connection before any flush")
                        .extracting(r -> r.get("text")).containsExactly("at once");
            }
            c.rollback();
        }
    }

    @Test
    void a_generated_property_whose_value_the_library_keeps_is_written_as_the_state_holds_it() {
        Stamped s = new Stamped();
        s.text = "stamped";
        s.created = Instant.parse("2026-01-02T03:04:05.678901Z");
        s.updated = Instant.parse("2026-01-03T04:05:06.789012Z");

        int added = upsertBothWays(Stamped.class, 105, 205, s, null);

        assertThat(added).isEqualTo(1);
        Map<String, Object> batched = row("pu_stamped", 105);
        assertThat(batched).isEqualTo(row("pu_stamped", 205));
        assertThat(((java.sql.Timestamp) batched.get("updated")).toInstant()).isEqualTo(s.updated);
        assertThat(((java.sql.Timestamp) batched.get("created")).toInstant()).isEqualTo(s.created);
    }

    @Test
    void generated_values_the_library_keeps_are_written_as_the_state_holds_them_on_insert_and_on_update() {
        for (String text : new String[] {"go", "skip"}) {
            long id = "go".equals(text) ? 111 : 112;
            for (long v = 0; v < 2; v++) { // a new row, then the same row one version on
                Generated g = new Generated();
                g.version = v;
                g.text = text;
                g.updated = Instant.parse("2026-01-03T04:05:06.789012Z").plusSeconds(v);
                g.created = Instant.parse("2026-01-01T00:00:00.000001Z");
                g.stamp = new Stamp();
                g.stamp.who = "w" + v;
                g.stamp.stampedAt = Instant.parse("2025-01-03T04:05:06.789012Z").plusSeconds(v);
                g.sometimes = "s" + v;

                int added = upsertBothWays(Generated.class, id, id + 100, g, null);

                assertThat(added).as("%s, version %s", text, v).isEqualTo(1);
                Map<String, Object> batched = row("pu_generated", id);
                assertThat(batched).isEqualTo(row("pu_generated", id + 100)).containsEntry("sometimes", "s" + v)
                        .containsEntry("version", v);
                assertThat(((java.sql.Timestamp) batched.get("updated")).toInstant()).isEqualTo(g.updated);
            }
        }
    }

    @Test
    void a_setter_of_a_property_the_upsert_does_not_write_still_runs_as_in_the_stateless_session() {
        MixedReadOnly r = new MixedReadOnly();
        r.alpha = "given";
        r.zetaValue = "zz";
        MixedCollection c = new MixedCollection();
        c.alpha = "given";
        c.tagsValue = new ArrayList<>(List.of("a", "b"));

        int readOnlyAdded = upsertBothWays(MixedReadOnly.class, 113, 213, r, null);
        int collectionAdded = upsertBothWays(MixedCollection.class, 114, 214, c, null);

        assertThat(readOnlyAdded).isEqualTo(1);
        assertThat(row("pu_mixed_ro", 113)).isEqualTo(row("pu_mixed_ro", 213)).containsEntry("alpha", "ZZ");
        assertThat(collectionAdded).isEqualTo(1);
        assertThat(row("pu_mixed_coll", 114)).isEqualTo(row("pu_mixed_coll", 214)).containsEntry("alpha", "set by setTags");
    }

    @Test
    void an_update_time_excluded_from_temporal_versioning_is_sent_at_once_as_hibernate_sends_it() throws Exception {
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(Excluded.class);
        Excluded e = new Excluded();
        e.text = "excluded";
        e.updated = Instant.parse("2026-01-03T04:05:06.789012Z");
        try (StatelessSession session = factory.openStatelessSession()) {
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            session.setJdbcBatchSize(50);
            session.beginTransaction();
            CollectionRewrites later = new CollectionRewrites();
            RowApplier.upsert(session, persister, 115L, persister.getValues(e), null, later, null);

            assertThat(later.upserts().added()).isZero();
            java.sql.Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            assertThat(Jdbc.query(c, "select id from pu_excl where id = ?", 115L))
                    .as("the row, on the session's connection before any flush").hasSize(1);
            later.write(s);
            session.getTransaction().commit();
        }
    }

    @Test
    void a_generated_property_the_database_sets_keeps_hibernates_path() {
        Counted c = new Counted();
        c.text = "counted";
        c.touched = Instant.parse("2026-01-04T05:06:07.890123Z"); // the source's time, written again after the row

        int added = upsertBothWays(Counted.class, 110, 210, c, null);

        assertThat(added).as("left to Hibernate's path").isZero();
        Map<String, Object> batched = row("pu_counted", 110);
        assertThat(batched).isEqualTo(row("pu_counted", 210));
        assertThat(((java.sql.Timestamp) batched.get("touched")).toInstant()).isEqualTo(c.touched);
    }
}
