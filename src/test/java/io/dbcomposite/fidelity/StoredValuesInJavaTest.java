package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.fidelity.TruncatedMoments.DualTruncated;
import io.dbcomposite.fidelity.TruncatedMoments.Moments;
import io.dbcomposite.fidelity.TruncatedMoments.SyncedTruncated;
import io.dbcomposite.internal.boot.SqliteExactTypes;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored form of an {@code Instant}, {@code OffsetDateTime}, {@code ZonedDateTime}, {@code Timestamp} or timestamp
 * {@code Date} is worked out in Java where the local database has shown it is a rounding half up to the microsecond
 * (SQLite as the unit sets it up): after one verifying statement per type, captured and DUAL writes prepare none, and
 * both sides hold the same values. A local side that stores otherwise fails the verification: its values keep the
 * round trip, and both sides hold what it stores (H2's microseconds; SQLite's milliseconds where the local side's exact
 * types are turned off). Both sides are compared over JDBC, as UTC wall times in microseconds.
 */
class StoredValuesInJavaTest {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    /** A date and time as a database prints it, with an optional fraction and offset ({@code +00}, {@code +05:30}). */
    private static final Pattern PRINTED =
            Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)\\s*([+-]\\d{2}(?::?\\d{2})?|Z)?");

    /** The first moment (written alone) and the next ones: below a millisecond's, a day's and a year's end, before 1970. */
    private static final OffsetDateTime FIRST = OffsetDateTime.parse("2026-03-04T23:56:07.123456789+05:30");
    private static final List<OffsetDateTime> NEXT = List.of(
            OffsetDateTime.parse("1969-12-31T23:59:59.999999999-03:00"),
            OffsetDateTime.parse("2025-12-31T23:59:59.999500001Z"),
            OffsetDateTime.parse("2024-02-29T00:00:00.000000001+01:00"),
            OffsetDateTime.parse("2026-05-06T07:08:09.010Z"));

    @TempDir
    Path dir;

    @Test
    void on_sqlite_the_rounded_types_are_verified_once_then_worked_out_in_java_and_both_sides_agree() {
        // the time settings the unit gives a local SQLite URL
        CountingDataSource local = new CountingDataSource(sqlite("yyyy-MM-dd HH:mm:ss.SSS"));

        writeAndCompare(local, Map.of(), (afterFirst, afterAll) -> {
            // one verification per type (five types) at its first use, and no statement for the values themselves.
            // Hibernate ORM 7.2 gives a java.util.Date timestamp the type of a java.sql.Timestamp: one verification
            // serves both
            assertThat(afterFirst).isEqualTo(io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4) ? 5 : 4);
            assertThat(afterAll).isEqualTo(afterFirst);
        });
        // 2026-03-04T23:56:07.123456789+05:30 plus 1.111111111 s, rounded half up to the microsecond
        assertThat(localText(local, "synced_truncated", 1).get("instant")).isEqualTo("2026-03-04 18:26:08.234568");
    }

    @Test
    void on_an_h2_local_side_that_keeps_microseconds_every_value_keeps_the_round_trip() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("local"));
        h2.setUser("sa");
        h2.setPassword("");
        CountingDataSource local = new CountingDataSource(h2);

        writeAndCompare(local, Map.of(), StoredValuesInJavaTest::aStatementPerChange);
        // the local side kept microseconds, so a truncation in Java would have given the remote another value
        assertThat(localText(local, "synced_truncated", 1).get("instant")).isEqualTo("2026-03-04 18:26:08.234568");
    }

    @Test
    void on_sqlite_with_the_exact_types_off_every_value_keeps_the_round_trip() {
        CountingDataSource local = new CountingDataSource(sqlite("yyyy-MM-dd HH:mm:ss.SSS"));

        // the driver formats timestamps itself, with milliseconds: no value is its rounding to the microsecond
        writeAndCompare(local, Map.of(CompositeSettings.LOCAL_HIBERNATE_PREFIX
                + SqliteExactTypes.SETTING.substring("hibernate.".length()), "false"), StoredValuesInJavaTest::aStatementPerChange);
        assertThat(localText(local, "synced_truncated", 1).get("instant")).isEqualTo("2026-03-04 18:26:08.234000");
    }

    private SQLiteDataSource sqlite(String dateStringFormat) {
        SQLiteConfig config = new SQLiteConfig();
        config.setDateClass("TEXT");
        config.setDateStringFormat(dateStringFormat);
        config.setBusyTimeout(10_000);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(SqliteFiles.urlIn(dir, "local.db"));
        return sqlite;
    }

    /**
     * Each later transaction's changes read their values back: at least one statement per captured or mirrored change
     * (four of each entity inserted, five of each updated).
     */
    private static void aStatementPerChange(long afterFirst, long afterAll) {
        assertThat(afterAll - afterFirst).isGreaterThanOrEqualTo(2 * (NEXT.size() + NEXT.size() + 1));
    }

    /** What the statement counts must satisfy: after the first transaction, and after all of them. */
    private interface Counts {
        void check(long afterFirst, long afterAll);
    }

    /**
     * Writes the moments (the first alone, then the others, then an update of all of them), syncs, and compares both
     * sides row by row.
     */
    private void writeAndCompare(CountingDataSource local, Map<String, String> properties, Counts counts) {
        String schema = PostgresTestDatabase.createSchema("StoredValuesInJava");
        try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("stored-values-in-java")
                .local(local.dataSource())
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(SyncedTruncated.class, DualTruncated.class)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create")
                .properties(properties)
                .build()) {
            local.selects.set(0); // schema creation is not what is counted
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                em.persist(moments(new SyncedTruncated(1L), FIRST));
                em.persist(moments(new DualTruncated(1L), FIRST));
            });
            long afterFirst = local.selects.get();
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                for (int i = 0; i < NEXT.size(); i++) {
                    em.persist(moments(new SyncedTruncated(i + 2L), NEXT.get(i)));
                    em.persist(moments(new DualTruncated(i + 2L), NEXT.get(i)));
                }
            });
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                for (long id = 1; id <= NEXT.size() + 1; id++) {
                    em.find(SyncedTruncated.class, id).set(FIRST.plusNanos(id * 1_111_111_111L));
                    em.find(DualTruncated.class, id).set(FIRST.plusNanos(id * 1_111_111_111L));
                }
            });
            counts.check(afterFirst, local.selects.get());

            assertThat(emf.sync().failed()).isZero();
            for (String table : List.of("synced_truncated", "dual_truncated")) {
                for (long id = 1; id <= NEXT.size() + 1; id++) {
                    assertThat(remoteText(schema, table, id)).as("%s %d", table, id).isEqualTo(localText(local, table, id));
                }
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private static <T extends Moments> T moments(T entity, OffsetDateTime moment) {
        entity.set(moment);
        return entity;
    }

    /** @return each column of the row as a UTC wall time in microseconds, as the local database prints it */
    private static Map<String, String> localText(CountingDataSource local, String table, long id) {
        StringBuilder select = new StringBuilder("select ");
        select.append(String.join(", ", Arrays.stream(TruncatedMoments.COLUMNS)
                .map(c -> "cast(" + c + " as varchar) as " + c).toList()));
        try (Connection c = local.target.getConnection();
             PreparedStatement ps = c.prepareStatement(select + " from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("%s %d on the local side", table, id).isTrue();
                Map<String, String> out = new LinkedHashMap<>();
                for (String column : TruncatedMoments.COLUMNS) {
                    out.put(column.toLowerCase(Locale.ROOT), utcMicros(rs.getString(column)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return each column of the remote row as a UTC wall time in microseconds, as PostgreSQL prints it */
    private static Map<String, String> remoteText(String schema, String table, long id) {
        List<String> zoned = List.of(TruncatedMoments.ZONED_COLUMNS);
        String select = "select " + String.join(", ", Arrays.stream(TruncatedMoments.COLUMNS)
                .map(c -> "to_char(" + c + (zoned.contains(c) ? " at time zone 'UTC'" : "") + ", 'YYYY-MM-DD HH24:MI:SS.US') as " + c)
                .toList());
        List<Map<String, Object>> rows = PostgresTestDatabase.rows(schema, select + " from " + table + " where id = ?", id);
        assertThat(rows).hasSize(1);
        Map<String, String> out = new LinkedHashMap<>();
        rows.get(0).forEach((column, value) -> out.put(column.toLowerCase(Locale.ROOT), (String) value));
        return out;
    }

    private static String utcMicros(String printed) {
        Matcher m = PRINTED.matcher(printed.trim());
        assertThat(m.matches()).as("a date and time: %s", printed).isTrue();
        LocalDateTime t = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
        if (m.group(3) != null) {
            t = t.atOffset(ZoneOffset.of(m.group(3))).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return MICROS.format(t);
    }

    /**
     * A local data source counting the statements the read-back of stored values prepares (a {@code select ?, ...}
     * without a table, which nothing else the unit runs looks like).
     */
    private static final class CountingDataSource {
        final DataSource target;
        final AtomicLong selects = new AtomicLong();

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        Object result = invoke(target, method, args);
                        return result instanceof Connection c ? counting(c) : result;
                    });
        }

        private Connection counting(Connection connection) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        // the proxy stands for itself in maps and sets
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> {
                            if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith("select ?")) {
                                selects.incrementAndGet();
                            }
                            yield invoke(connection, method, args);
                        }
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
