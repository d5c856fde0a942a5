package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 14: every temporal type ends up on the remote as the local database holds it (microseconds for a
 * timestamp, milliseconds for a time of day, the zone
 * Hibernate reads it back in), through the background replay and the DUAL path, whatever the JVM's default time zone.
 * Each zone gets a unit started in it, as an application's JVM keeps one zone from its start.
 */
class TimeFidelityTest {

    /** Timestamp columns, as PostgreSQL prints them with microseconds in UTC. */
    private static final Map<String, String> TIMESTAMPS = Map.of(
            "instant", "to_char(instant at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            "localdatetime", "to_char(localDateTime, 'YYYY-MM-DD HH24:MI:SS.US')",
            "offsetdatetime", "to_char(offsetDateTime at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            "zoneddatetime", "to_char(zonedDateTime at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            "utiltimestamp", "to_char(utilTimestamp, 'YYYY-MM-DD HH24:MI:SS.US')",
            "sqltimestamp", "to_char(sqlTimestamp, 'YYYY-MM-DD HH24:MI:SS.US')",
            "calendar", "to_char(calendar, 'YYYY-MM-DD HH24:MI:SS.US')",
            "opensat", "to_char(opensAt at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            "closesat", "to_char(closesAt, 'YYYY-MM-DD HH24:MI:SS.US')");
    private static final Map<String, String> DATES = Map.of(
            "day", "to_char(day, 'YYYY-MM-DD')",
            "utildate", "to_char(utilDate, 'YYYY-MM-DD')");
    private static final Map<String, String> TIMES = Map.of(
            "clocktime", "to_char(clockTime, 'HH24:MI:SS.US')",
            "offsettime", "to_char(offsetTime, 'HH24:MI:SS.US')",
            "utiltime", "to_char(utilTime, 'HH24:MI:SS.US')");

    @ParameterizedTest
    @ValueSource(strings = {"America/Sao_Paulo", "Asia/Kolkata", "UTC"})
    void every_temporal_type_reaches_the_remote_as_the_local_database_holds_it(String defaultZone) {
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(defaultZone));
        try (StandaloneUnit moments = StandaloneUnit.start("TimeValues", SyncedMoment.class, DualMoment.class,
                QueuedMoment.class)) {
            CompositeEntityManagerFactory emf = moments.emf;
            long synced = 1;
            long dual = 2;
            long queued = 3;
            OffsetDateTime first = OffsetDateTime.parse("2026-03-04T23:56:07.123456789+05:30");
            SyncedMoment s = fill(new SyncedMoment(synced), first);
            DualMoment d = fill(new DualMoment(dual), first);
            QueuedMoment q = fill(new QueuedMoment(queued), first);
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                em.persist(s);
                em.persist(d);
                em.persist(q);
            });
            // the instances still hold nanoseconds, as with plain Hibernate; the databases hold what they hold
            assertThat(s.getInstant().getNano() % 1_000_000).isNotZero();
            assertThat(s.getWindow().getOpensAt().getNano() % 1_000_000).isNotZero();
            assertSameOnBothSides(moments, DualMoment.class, "DualMoment", dual);
            assertSameOnBothSides(moments, QueuedMoment.class, "QueuedMoment", queued);
            assertThat(emf.sync().failed()).isZero();
            assertSameOnBothSides(moments, SyncedMoment.class, "SyncedMoment", synced);

            OffsetDateTime second = OffsetDateTime.parse("2025-12-31T22:59:59.999876543-03:00");
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                fill(em.find(SyncedMoment.class, synced), second);
                fill(em.find(DualMoment.class, dual), second);
                fill(em.find(QueuedMoment.class, queued), second);
            });
            assertSameOnBothSides(moments, DualMoment.class, "DualMoment", dual);
            assertSameOnBothSides(moments, QueuedMoment.class, "QueuedMoment", queued);
            assertThat(emf.sync().failed()).isZero();
            assertSameOnBothSides(moments, SyncedMoment.class, "SyncedMoment", synced);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    /** Sets every attribute from one moment with sub-millisecond nanoseconds, in zones other than the default. */
    private static <T extends TimeValues> T fill(T v, OffsetDateTime moment) {
        Instant instant = moment.toInstant();
        v.setInstant(instant);
        v.setLocalDateTime(moment.toLocalDateTime());
        v.setDay(moment.toLocalDate());
        v.setClockTime(moment.toLocalTime().plusNanos(400_000)); // a fraction Hibernate rounds up to the millisecond
        v.setOffsetDateTime(moment);
        v.setOffsetTime(moment.toOffsetTime());
        v.setZonedDateTime(moment.atZoneSameInstant(ZoneId.of("Europe/Berlin")));
        Timestamp timestamp = Timestamp.from(instant);
        v.setUtilTimestamp(timestamp);
        v.setUtilDate(new Date(instant.toEpochMilli()));
        v.setUtilTime(new Date(instant.toEpochMilli()));
        v.setSqlTimestamp(Timestamp.from(instant.plusNanos(1)));
        Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"), Locale.ROOT);
        calendar.setTimeInMillis(instant.toEpochMilli());
        v.setCalendar(calendar);
        v.setDuration(Duration.ofSeconds(5, moment.getNano()));
        v.setWindow(new TimeWindow(instant.plusNanos(7), moment.toLocalDateTime().plusNanos(7)));
        return v;
    }

    private static void assertSameOnBothSides(StandaloneUnit unit, Class<? extends TimeValues> type, String table, long id) {
        Map<String, Object> local = lowerCased(SqliteFiles.rows(unit.localUrl, "select * from " + table + " where id = ?", id));
        StringBuilder select = new StringBuilder("select cast(duration as varchar) as duration");
        List.of(TIMESTAMPS, DATES, TIMES).forEach(columns ->
                columns.forEach((column, expression) -> select.append(", ").append(expression).append(" as ").append(column)));
        Map<String, Object> remote = lowerCased(PostgresTestDatabase.rows(unit.schema, select + " from " + table + " where id = ?", id));

        Map<String, String> localText = new LinkedHashMap<>();
        Map<String, String> remoteText = new LinkedHashMap<>();
        localText.put("duration", String.valueOf(local.get("duration")));
        remoteText.put("duration", (String) remote.get("duration"));
        // SQLite holds a timestamp as "yyyy-MM-dd HH:mm:ss.SSSSSS", or ".SSS" where it has whole milliseconds (a time of
        // day as "1970-01-01 HH:mm:ss.SSS": Hibernate binds it as a java.sql.Time, milliseconds), in UTC for every
        // kind; PostgreSQL holds what its column type keeps
        TIMESTAMPS.keySet().forEach(c -> {
            String text = (String) local.get(c);
            localText.put(c, text.length() == 23 ? text + "000" : text);
        });
        DATES.keySet().forEach(c -> localText.put(c, ((String) local.get(c)).substring(0, 10)));
        TIMES.keySet().forEach(c -> localText.put(c, ((String) local.get(c)).substring(11) + "000"));
        List.of(TIMESTAMPS, DATES, TIMES).forEach(columns -> columns.keySet().forEach(c -> remoteText.put(c, (String) remote.get(c))));
        assertThat(remoteText).as("%s %d over JDBC", table, id).isEqualTo(localText);

        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            TimeValues l = em.local().find(type, id);
            TimeValues r = em.remote().find(type, id);
            assertThat(read(r)).as("%s %d through Hibernate", table, id).isEqualTo(read(l));
        }
    }

    /** Every attribute in a comparable form (legacy types by their instant, a calendar by its instant). */
    private static Map<String, Object> read(TimeValues v) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("instant", v.getInstant());
        values.put("localDateTime", v.getLocalDateTime());
        values.put("day", v.getDay());
        values.put("clockTime", v.getClockTime());
        values.put("offsetDateTime", v.getOffsetDateTime());
        values.put("offsetTime", v.getOffsetTime());
        values.put("zonedDateTime", v.getZonedDateTime());
        values.put("utilTimestamp", v.getUtilTimestamp().getTime());
        // a date holds no time of day: each dialect's Hibernate reads it back at midnight of another zone
        values.put("utilDate", new java.sql.Date(v.getUtilDate().getTime()).toLocalDate());
        values.put("utilTime", v.getUtilTime().getTime());
        values.put("sqlTimestamp", v.getSqlTimestamp());
        values.put("calendar", v.getCalendar().getTimeInMillis());
        values.put("duration", v.getDuration());
        values.put("window.opensAt", v.getWindow().getOpensAt());
        values.put("window.closesAt", v.getWindow().getClosesAt());
        return values;
    }

    private static Map<String, Object> lowerCased(List<Map<String, Object>> rows) {
        assertThat(rows).hasSize(1);
        Map<String, Object> out = new LinkedHashMap<>();
        rows.get(0).forEach((k, value) -> out.put(k.toLowerCase(Locale.ROOT), value));
        return out;
    }
}
