package io.dbcomposite.sync;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @CreationTimestamp} and {@code @UpdateTimestamp} are set by Hibernate when the local row is written; the
 * replay must write the values the local row has, not new ones of its own (a replay later than the commit would
 * otherwise leave the remote with other times).
 */
class GeneratedTimestampsReplayTest {

    @Entity(name = "Order") // an HQL keyword as its name: the replay's statements must not spell it out
    @Table(name = "t_stamped")
    public static class Stamped {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String name;
        @CreationTimestamp
        public Instant createdAt;
        @UpdateTimestamp
        public Instant updatedAt;
        @Version
        public long version;
    }

    /** Other time types, a quoted keyword as a column name and a sequence id; its times sit in the root table. */
    @Entity(name = "StampedKinds")
    @Table(name = "t_stamped_kinds")
    @jakarta.persistence.Inheritance(strategy = jakarta.persistence.InheritanceType.JOINED)
    public static class StampedKinds {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @CreationTimestamp
        @jakarta.persistence.Column(name = "\"when\"")
        public java.time.LocalDateTime created;
        @UpdateTimestamp
        public java.time.OffsetDateTime touched;
        @UpdateTimestamp
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIMESTAMP)
        public java.util.Date legacy;
    }

    /**
     * A subclass in a table of its own: the times it inherits live in the root's table, and its rows take the statement a
     * row (the batched statement is for an entity whose id and times share one table).
     */
    @Entity(name = "StampedKindsChild")
    @Table(name = "t_stamped_kinds_child")
    public static class StampedKindsChild extends StampedKinds {
        public String extra;
    }

    /** @return each row of {@code ids}, found by id on {@code side}, as {@code text} renders it, by id */
    private static <T> Map<Long, String> byId(SessionFactory side, Class<T> type, java.util.List<Long> ids,
                                              java.util.function.Function<T, String> text) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Long id : ids) {
                out.put(id, text.apply(s.find(type, id)));
            }
        }
        return out;
    }

    private static Map<Long, String> kinds(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            jakarta.persistence.criteria.CriteriaQuery<StampedKinds> all = s.getCriteriaBuilder().createQuery(StampedKinds.class);
            all.from(StampedKinds.class);
            for (StampedKinds r : s.createSelectionQuery(all).list()) {
                out.put(r.id, r.getClass().getSimpleName() + "|" + r.name + "|" + r.created + "|"
                        + (r.touched == null ? null : r.touched.toInstant()) + "|"
                        + (r.legacy == null ? null : r.legacy.getTime())
                        + (r instanceof StampedKindsChild c ? "|" + c.extra : ""));
            }
        }
        return out;
    }

    /** A legacy {@code Calendar} time, a sequence id and a version: a row the replay may insert instead of upserting. */
    @Entity(name = "StampedCalendar")
    @Table(name = "t_stamped_calendar")
    public static class StampedCalendar {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @CreationTimestamp
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIMESTAMP)
        public java.util.Calendar created;
        @Version
        public long version;
    }

    /** Times the database sets ({@code @CurrentTimestamp}'s default source): the local database's, read back by Hibernate. */
    @Entity(name = "DbStamped")
    @Table(name = "t_db_stamped")
    public static class DbStamped {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @org.hibernate.annotations.CurrentTimestamp(event = org.hibernate.generator.EventType.INSERT)
        public Instant createdOn;
        @org.hibernate.annotations.CurrentTimestamp
        public Instant touchedOn;
        @Version
        public long version;
    }

    /**
     * A time the local database set ({@code @CurrentTimestamp}, source DB) reaches the remote as the local row holds it,
     * through the replay of its insert and of its update: the remote database's own clock would give it another time.
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void times_the_local_database_set_reach_the_remote_as_the_local_row_holds_them(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "DbStamped" + pair, null, Map.of(), DbStamped.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 3; i++) {
                    DbStamped d = new DbStamped();
                    d.name = "row " + i;
                    em.persist(d);
                    ids.add(d.id);
                }
            });
            java.util.function.Function<SessionFactory, Map<Long, String>> read = side -> byId(side, DbStamped.class, ids,
                    d -> d.name + "|" + d.createdOn + "|" + d.touchedOn + "|v" + d.version);
            Map<Long, String> local = read.apply(unit.emf.localFactory());
            assertThat(local.values()).allSatisfy(row -> assertThat(row).doesNotContain("null"));
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(read.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);

            // a crash after the remote committed, before the local marks landed: the same inserts again change nothing
            assertThat(pair.unmarkSynced(new DatabasePair.LocalStore(unit.localUrl, null, null), "status = 'SYNCED'")).isPositive();
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(read.apply(unit.emf.remoteFactory())).as("the remote after the inserts replayed twice")
                    .containsExactlyEntriesOf(local);

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(DbStamped.class, ids.get(0)).name = "renamed");
            assertThat(unit.emf.sync().failed()).isZero();
            local = read.apply(unit.emf.localFactory());
            assertThat(local.get(ids.get(0))).startsWith("renamed|");
            assertThat(read.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
        }
    }

    /** Written on the remote at commit by the library (held until then), or queued locally while the remote is down. */
    @Entity(name = "HeldStamped")
    @Table(name = "t_held_stamped")
    @io.dbcomposite.CompositeRouting(read = io.dbcomposite.Read.REMOTE, write = io.dbcomposite.Write.REMOTE,
            onRemoteFail = io.dbcomposite.OnRemoteFail.QUEUE)
    public static class HeldStamped {
        @Id
        @GeneratedValue(strategy = GenerationType.UUID)
        public java.util.UUID id;
        public String name;
        @CreationTimestamp
        public Instant createdAt;
        @UpdateTimestamp
        public Instant updatedAt;
        @ModifiedBy
        public String modifiedBy;
    }

    /**
     * A write the library holds until commit never runs as the session's own statement, where Hibernate sets the
     * in-memory generated values: they are set when the write is held, into the instance too, as Hibernate's insert
     * and update would set them (the remote row had null times and no user).
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_write_held_until_commit_gets_its_generated_values(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "HeldStamped" + pair, null, Map.of(), HeldStamped.class)) {
            Instant before = Instant.now().minusSeconds(1);
            HeldStamped held = new HeldStamped();
            CURRENT_USER.set("carol");
            try {
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    held.name = "held";
                    em.persist(held);
                });
            } finally {
                CURRENT_USER.remove();
            }
            assertThat(held.createdAt).as("the instance's creation time").isNotNull().isAfter(before);
            assertThat(held.modifiedBy).isEqualTo("carol");
            try (Session s = unit.emf.remoteFactory().openSession()) {
                HeldStamped remote = s.find(HeldStamped.class, held.id);
                assertThat(remote.createdAt).isNotNull().isAfter(before);
                assertThat(remote.updatedAt).isNotNull();
                assertThat(remote.modifiedBy).isEqualTo("carol");
            }

            CURRENT_USER.set("dave");
            try {
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(HeldStamped.class, held.id).name = "renamed");
            } finally {
                CURRENT_USER.remove();
            }
            try (Session s = unit.emf.remoteFactory().openSession()) {
                HeldStamped remote = s.find(HeldStamped.class, held.id);
                assertThat(remote.name).isEqualTo("renamed");
                assertThat(remote.modifiedBy).isEqualTo("dave");
                assertThat(remote.createdAt).isNotNull();
                assertThat(remote.updatedAt).isNotNull().isAfterOrEqualTo(remote.createdAt);
            }
        }
    }

    /** The name of the application's current user, which {@link ByCurrentUser} writes into a row. */
    static final ThreadLocal<String> CURRENT_USER = new ThreadLocal<>();

    /** How many times {@link ByCurrentUser} was asked for a value. */
    static final java.util.concurrent.atomic.AtomicInteger GENERATED = new java.util.concurrent.atomic.AtomicInteger();

    /** An application's in-memory generator: the current user, at each insert and update of the row. */
    public static class ByCurrentUser implements org.hibernate.generator.BeforeExecutionGenerator {
        @Override
        public Object generate(org.hibernate.engine.spi.SharedSessionContractImplementor session, Object owner,
                               Object currentValue, org.hibernate.generator.EventType eventType) {
            GENERATED.incrementAndGet();
            return CURRENT_USER.get();
        }

        @Override
        public java.util.EnumSet<org.hibernate.generator.EventType> getEventTypes() {
            return org.hibernate.generator.EventTypeSets.INSERT_AND_UPDATE;
        }
    }

    @org.hibernate.annotations.ValueGenerationType(generatedBy = ByCurrentUser.class)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target({java.lang.annotation.ElementType.FIELD, java.lang.annotation.ElementType.METHOD})
    public @interface ModifiedBy {
    }

    /** Stamped by the application's own generator and by Hibernate's. */
    @Entity(name = "Audited")
    @Table(name = "t_audited")
    public static class Audited {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @ModifiedBy
        public String modifiedBy;
        @UpdateTimestamp
        public Instant modifiedAt;
    }

    private static Map<Long, String> rows(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            jakarta.persistence.criteria.CriteriaQuery<Stamped> all = s.getCriteriaBuilder().createQuery(Stamped.class);
            all.from(Stamped.class);
            for (Stamped r : s.createSelectionQuery(all).list()) {
                out.put(r.id, r.name + "|" + r.createdAt + "|" + r.updatedAt + "|v" + r.version);
            }
        }
        return out;
    }


    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void the_remote_gets_the_local_rows_timestamps(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "Stamps" + pair, null, Map.of(), Stamped.class)) {
            Long[] id = new Long[1];
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Stamped s = new Stamped();
                s.name = "first";
                em.persist(s);
                id[0] = s.id;
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Stamped.class, id[0]).name = "second");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(rows(unit.emf.remoteFactory())).containsExactlyEntriesOf(rows(unit.emf.localFactory()));

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(Stamped.class, id[0]).name = "third");
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(rows(unit.emf.remoteFactory())).containsExactlyEntriesOf(rows(unit.emf.localFactory()));
        }
    }

    /**
     * The batched statement binds each time type as Hibernate does and quotes a keyword column as the dialect does; the
     * joined subclass's rows, written one statement a row, end the same.
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_batch_of_other_time_types_and_of_a_joined_subclass_gets_the_local_times(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "StampKinds" + pair, null, Map.of(), StampedKinds.class,
                StampedKindsChild.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 12; i++) {
                    StampedKinds k = i % 2 == 0 ? new StampedKinds() : new StampedKindsChild();
                    k.name = "kind " + i;
                    if (k instanceof StampedKindsChild c) {
                        c.extra = "extra " + i;
                    }
                    em.persist(k);
                    ids.add(k.id);
                }
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 6; i++) {
                    em.find(StampedKinds.class, ids.get(i)).name = "renamed " + i;
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();

            Map<Long, String> local = kinds(unit.emf.localFactory());
            assertThat(local).hasSize(12);
            assertThat(local.values()).allSatisfy(row -> assertThat(row).doesNotContain("|null"));
            assertThat(kinds(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
        }
    }

    /**
     * With a JDBC time zone other than the JVM's, the time written again after an insert is the instant the local row
     * has: the calendar goes in the JDBC time zone, as the insert's own values do (in the calendar's own zone, the remote
     * read back another instant).
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_calendar_time_written_again_after_an_insert_keeps_its_instant_in_another_jdbc_time_zone(DatabasePair pair) {
        String zone = java.util.TimeZone.getDefault().getRawOffset() == 0 ? "America/New_York" : "UTC";
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "StampCalendar" + pair, null,
                Map.of("hibernate.jdbc.time_zone", zone), StampedCalendar.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 4; i++) {
                    StampedCalendar c = new StampedCalendar();
                    c.name = "calendar " + i;
                    em.persist(c);
                    ids.add(c.id);
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();

            java.util.function.Function<SessionFactory, Map<Long, String>> instants = side -> byId(side, StampedCalendar.class, ids,
                    c -> c.name + "|" + c.created.toInstant() + "|v" + c.version);
            assertThat(instants.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(instants.apply(unit.emf.localFactory()));

            // an update replayed later: the creation time it carries was loaded from the local row and keeps its instant
            Map<Long, String> inserted = instants.apply(unit.emf.localFactory());
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(StampedCalendar.class, ids.get(0)).name = "renamed");
            assertThat(unit.emf.sync().failed()).isZero();
            Map<Long, String> local = instants.apply(unit.emf.localFactory());
            assertThat(local.get(ids.get(0))).isEqualTo(inserted.get(ids.get(0))
                    .replace("calendar 0|", "renamed|").replace("|v0", "|v1"));
            assertThat(instants.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
        }
    }

    /** Written to both sides in the caller's transaction: a generated {@code Calendar}, a set one and a version. */
    @Entity(name = "DualCalendar")
    @Table(name = "t_dual_calendar")
    @io.dbcomposite.CompositeRouting(write = io.dbcomposite.Write.DUAL, onRemoteFail = io.dbcomposite.OnRemoteFail.FAIL)
    public static class DualCalendar {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @CreationTimestamp
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIMESTAMP)
        public java.util.Calendar created;
        @UpdateTimestamp
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIMESTAMP)
        public java.util.Calendar touched;
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIMESTAMP)
        public java.util.Calendar due;
        @Version
        public long version;
    }

    /** Day and time-of-day calendars, written to both sides in the caller's transaction. */
    @Entity(name = "DualDayCalendar")
    @Table(name = "t_dual_day_calendar")
    @io.dbcomposite.CompositeRouting(write = io.dbcomposite.Write.DUAL, onRemoteFail = io.dbcomposite.OnRemoteFail.FAIL)
    public static class DualDayCalendar {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        public Long id;
        public String name;
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.DATE)
        public java.util.Calendar day;
        @jakarta.persistence.Temporal(jakarta.persistence.TemporalType.TIME)
        public java.util.Calendar at;
        @Version
        public long version;
    }

    /**
     * Day and time-of-day calendars, in JDBC time zones behind and ahead of the JVM's, read back as set on both sides and
     * stay so through updates of their row. A time calendar was written in its own zone and read back in the JDBC time
     * zone (moved by the zones' difference, on the remote other than on the local side); a day calendar reached the
     * remote a day early where the JDBC time zone is behind the JVM's.
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_dual_update_keeps_day_and_time_calendars_in_another_jdbc_time_zone(DatabasePair pair) {
        for (String zone : new String[] {"America/New_York", "Asia/Tokyo"}) {
            try (StandaloneUnit unit = StandaloneUnit.start(pair, "DualDay" + pair + zone.hashCode(), null,
                    Map.of("hibernate.jdbc.time_zone", zone), DualDayCalendar.class)) {
                Long[] id = new Long[1];
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    DualDayCalendar c = new DualDayCalendar();
                    c.name = "first";
                    // a day in a zone 14 hours ahead of UTC: it is the day the calendar shows, not the JVM's day of its instant
                    c.day = new java.util.GregorianCalendar(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
                    c.day.clear();
                    c.day.set(2026, java.util.Calendar.MARCH, 1);
                    c.at = new java.util.GregorianCalendar(1970, java.util.Calendar.JANUARY, 1, 10, 15, 30);
                    em.persist(c);
                    id[0] = c.id;
                });
                java.util.function.Function<SessionFactory, String> read = side -> {
                    try (Session s = side.openSession()) {
                        DualDayCalendar c = s.find(DualDayCalendar.class, id[0]);
                        return c.name + "|" + String.format("%tF|%tT", c.day, c.at) + "|v" + c.version;
                    }
                };
                String before = read.apply(unit.emf.localFactory());
                assertThat(before).as(zone).isEqualTo("first|2026-03-01|10:15:30|v0");
                assertThat(read.apply(unit.emf.remoteFactory())).as(zone).isEqualTo(before);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(DualDayCalendar.class, id[0]).name = "renamed");
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(DualDayCalendar.class, id[0]).name = "again");
                String after = read.apply(unit.emf.localFactory());
                assertThat(after).as(zone).isEqualTo(before.replace("first|", "again|").replace("|v0", "|v2"));
                assertThat(read.apply(unit.emf.remoteFactory())).as(zone).isEqualTo(after);
            }
        }
    }

    /**
     * With a JDBC time zone other than the JVM's, {@code Calendar} times keep their instants on both sides through a DUAL
     * insert and update: a calendar in another zone than the JDBC time zone is read back as the instant it was set to,
     * and the creation time the update leaves alone (loaded, then written to the remote) is the local row's. Before,
     * the remote's creation time moved by 5 hours (New York against UTC), and a rename moved an untouched calendar by
     * as much on both sides.
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_dual_update_keeps_the_calendar_instants_in_another_jdbc_time_zone(DatabasePair pair) {
        String zone = java.util.TimeZone.getDefault().getRawOffset() == 0 ? "America/New_York" : "UTC";
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "DualCalendar" + pair, null,
                Map.of("hibernate.jdbc.time_zone", zone), DualCalendar.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 3; i++) {
                    DualCalendar c = new DualCalendar();
                    c.name = "calendar " + i;
                    c.due = java.util.GregorianCalendar.from(java.time.ZonedDateTime.parse("2026-03-0" + (i + 1) + "T10:15:30Z"));
                    em.persist(c);
                    ids.add(c.id);
                }
            });
            java.util.function.Function<SessionFactory, Map<Long, String>> instants = side -> byId(side, DualCalendar.class, ids,
                    c -> c.name + "|" + c.created.toInstant() + "|" + c.touched.toInstant() + "|"
                                + c.due.toInstant() + "|v" + c.version);
            assertThat(instants.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(instants.apply(unit.emf.localFactory()));

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.find(DualCalendar.class, ids.get(0)).name = "renamed");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                DualCalendar c = em.find(DualCalendar.class, ids.get(1));
                c.due = java.util.GregorianCalendar.from(java.time.ZonedDateTime.parse("2026-04-01T08:00:00Z"));
            });
            Map<Long, String> local = instants.apply(unit.emf.localFactory());
            // every calendar keeps its instant: the one set, the one left as it was by the rename, the generated ones
            assertThat(local.get(ids.get(0))).startsWith("renamed|").contains("|2026-03-01T10:15:30Z|");
            assertThat(local.get(ids.get(1))).contains("|2026-04-01T08:00:00Z|");
            assertThat(local.get(ids.get(2))).contains("|2026-03-03T10:15:30Z|");
            try (Session s = unit.emf.localFactory().openSession()) {
                java.time.Instant created = s.find(DualCalendar.class, ids.get(0)).created.toInstant();
                assertThat(java.time.Duration.between(created, java.time.Instant.now()).abs()).isLessThan(java.time.Duration.ofMinutes(1));
            }
            assertThat(instants.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(instants.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
        }
    }

    /**
     * The replay writes the values the application's generators gave the local rows and asks no generator of its own:
     * an application's generator that reads the current user (whom the replay's thread does not know) is not called by
     * the replay, and each row is written once, its upsert carrying the local values (before, every row was written with
     * the replay's values and then again with the local ones).
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void the_replay_asks_no_generator_and_writes_each_row_once(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "Audited" + pair, null, Map.of(), Audited.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            CURRENT_USER.set("alice");
            try {
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    for (int i = 0; i < 20; i++) {
                        Audited a = new Audited();
                        a.name = "row " + i;
                        em.persist(a);
                        ids.add(a.id);
                    }
                });
                CURRENT_USER.set("bob");
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    for (int i = 0; i < 5; i++) {
                        em.find(Audited.class, ids.get(i)).name = "renamed " + i;
                    }
                });
            } finally {
                CURRENT_USER.remove();
            }
            java.util.function.Function<SessionFactory, Map<Long, String>> read = side -> byId(side, Audited.class, ids,
                    a -> a.name + "|" + a.modifiedBy + "|" + a.modifiedAt);
            Map<Long, String> local = read.apply(unit.emf.localFactory());
            assertThat(local.get(ids.get(0))).startsWith("renamed 0|bob|");
            assertThat(local.get(ids.get(19))).startsWith("row 19|alice|");

            GENERATED.set(0);
            long statements = io.dbcomposite.testing.RemoteStatements.preparedDuring(unit.emf,
                    () -> assertThat(unit.emf.sync().failed()).isZero());
            assertThat(GENERATED).as("the application's generator asked by the replay").hasValue(0);
            assertThat(read.apply(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
            if (io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4) && pair == DatabasePair.SQLITE_POSTGRESQL) {
                // 2 statements for the 25 changes; writing the generated values again after the upserts was a third
                assertThat(statements).as("statements prepared on the remote").isLessThanOrEqualTo(2);
            }
        }
    }

    /**
     * One replay batch of inserts, updates (some rows twice, in two transactions) and deletes of stamped rows: every row
     * ends with its local times, and the rows' upserts are not cut into batches of one by the statement that writes a
     * row's times again (those statements wait for the batch's end; a delete sends them first).
     */
    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_batch_of_stamped_rows_gets_the_local_times_and_keeps_its_upserts_together(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "StampsBatch" + pair, null, Map.of(), Stamped.class)) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 30; i++) {
                    Stamped s = new Stamped();
                    s.name = "row " + i;
                    em.persist(s);
                    ids.add(s.id);
                }
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 10; i++) {
                    em.find(Stamped.class, ids.get(i)).name = "renamed once " + i;
                }
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 5; i++) {
                    em.find(Stamped.class, ids.get(i)).name = "renamed twice " + i;
                }
            });
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.remove(em.find(Stamped.class, ids.get(3)));
                em.remove(em.find(Stamped.class, ids.get(20)));
            });
            // 30 inserts and 15 updates whose times are written again; 2 deletes
            long statements = io.dbcomposite.testing.RemoteStatements.preparedDuring(unit.emf,
                    () -> assertThat(unit.emf.sync().failed()).isZero());

            assertThat(rows(unit.emf.remoteFactory())).hasSize(28).containsExactlyEntriesOf(rows(unit.emf.localFactory()));
            if (io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4)) {
                // a few for the batch's upserts, its deletes and one JDBC batch of the times each time they are sent
                // (before each delete and at the end): 48 more with a statement a row, 93 more when each of those also
                // sent the upserts so far as a batch of one
                assertThat(statements).as("statements prepared on the remote").isLessThanOrEqualTo(12);
            }

            // a crash after the remote committed, before the local marks landed: the same batch again changes nothing
            Map<Long, String> once = rows(unit.emf.remoteFactory());
            int reset = pair.unmarkSynced(new DatabasePair.LocalStore(unit.localUrl, null, null), "status = 'SYNCED'");
            assertThat(reset).isPositive();
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(rows(unit.emf.remoteFactory())).as("the remote after the batch replayed twice").isEqualTo(once)
                    .containsExactlyEntriesOf(rows(unit.emf.localFactory()));
        }
    }
}
