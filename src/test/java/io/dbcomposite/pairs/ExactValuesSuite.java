package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncResult;
import io.dbcomposite.pairs.ExactRow.Colour;
import io.dbcomposite.testing.Transactions;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: every basic type Hibernate maps round-trips exactly between a local and a remote database. One table:
 * each row is a value of one attribute of {@link ExactRow}, written four ways (inserted locally and replayed by
 * {@code sync()}, inserted empty and then updated locally and replayed, written DUAL, written on the remote alone);
 * then the value read back through Hibernate on each side it lives on, and the remote column read over plain JDBC,
 * must be the row's expected value. Where the databases cannot keep a value as written, the row's expected value says
 * what both sides hold instead: an offset or a zone becomes UTC; a decimal takes its column's scale; a timestamp is
 * rounded half up to the microsecond; a time of day to the millisecond (Hibernate binds a {@code java.sql.Time}); a day
 * of the 1582 calendar gap moves ten days (a {@code java.sql.Date}); and where the local database cannot keep a
 * negative zero (SQLite, H2) the local side reads {@code 0.0} while the remote keeps {@code -0.0}; a MariaDB remote keeps
 * {@code 0.0}, refuses NaN and the infinities, and truncates where PostgreSQL rounds.
 *
 * <p>A database pair is a subclass naming its {@link DatabasePair}: the pair opens both sides and its remote schema.
 */
public abstract class ExactValuesSuite {

    private static final Instant MICROS = Instant.parse("2026-03-04T18:26:07.123456Z");

    @TempDir
    Path dir;

    protected CompositeEntityManagerFactory emf;

    /** The remote schema (PostgreSQL) or database (MariaDB) of the current test. */
    private String schema;

    /** @return the databases this suite runs on */
    protected abstract DatabasePair pair();

    /**
     * @param table the entity's table
     * @param column a large object column of it
     * @param text whether the column holds characters
     * @return the SQL expression that reads the column's bytes (or text) on the remote: PostgreSQL keeps a large object
     *     ({@code oid}) apart, read through {@code lo_get}; MariaDB keeps it in the row
     */
    private String remoteLob(String table, String column, boolean text) {
        if (pair().remoteIsMariaDb()) {
            return column;
        }
        List<Map<String, Object>> type = pair().remoteRows(schema, "select udt_name from information_schema.columns"
                + " where table_schema = ? and table_name = ? and column_name = ?", schema, table.toLowerCase(),
                column.toLowerCase());
        if (!"oid".equals(type.get(0).get("udt_name"))) {
            return column;
        }
        return text ? "convert_from(lo_get(" + column + "), 'UTF8')" : "lo_get(" + column + ")";
    }

    /**
     * @param rs the remote row, positioned; its one column is the value
     * @param as the class the row's expected JDBC value has
     * @return the value, as {@code as}
     */
    protected Object readRemote(ResultSet rs, Class<?> as) throws SQLException {
        return as == String.class ? rs.getString(1) : rs.getObject(1, as);
    }

    /**
     * @return whether the local database keeps a floating point negative zero; neither SQLite nor H2 does (they read
     *     {@code -0.0} back as {@code 0.0}), while the remote may
     */
    private boolean localKeepsNegativeZero() {
        return false;
    }

    /**
     * @return whether the remote database stores NaN, the infinities and {@code Float.MAX_VALUE} in float columns
     *     (PostgreSQL does; MariaDB refuses them, and its pair shows what a unit does with one instead)
     */
    private boolean remoteKeepsNonFinite() {
        return !pair().remoteIsMariaDb();
    }

    /** @return whether the remote keeps a floating point {@code -0.0} (PostgreSQL does; MariaDB stores 0) */
    private boolean remoteKeepsNegativeZero() {
        return !pair().remoteIsMariaDb();
    }

    /**
     * @return whether the remote rounds a fraction of a second past its precision as the local side does (PostgreSQL:
     *     half up to microseconds). MariaDB truncates, so a value written straight to it with nanoseconds keeps other
     *     microseconds than a local-first one (whose rounded local value is what the remote gets)
     */
    private boolean remoteRoundsFractions() {
        return !pair().remoteIsMariaDb();
    }

    /**
     * A row of the table: one attribute, the value written, what the remote side reads back through Hibernate and holds
     * over JDBC, and what the local side reads back.
     */
    record Case(String name, BiConsumer<ExactRow, Object> set, Function<ExactRow, Object> get, Supplier<Object> written,
                Object expected, String column, Class<?> jdbcClass, Object jdbcExpected, Object localExpected) {
        Case(String name, BiConsumer<ExactRow, Object> set, Function<ExactRow, Object> get, Supplier<Object> written,
             Object expected, String column, Class<?> jdbcClass, Object jdbcExpected) {
            this(name, set, get, written, expected, column, jdbcClass, jdbcExpected, expected);
        }
    }

    /** Every row of the table. */
    protected List<Case> cases() {
        List<Case> t = new ArrayList<>();
        String unicode = "Grüße, 世界 \uD83C\uDF0D \t\"'\\ end";
        t.add(value("unicode text", (e, v) -> e.text = (String) v, e -> e.text, unicode, "text", String.class));
        t.add(value("empty text", (e, v) -> e.text = (String) v, e -> e.text, "", "text", String.class));
        String longText = "é\uD83C\uDF0Dx".repeat(4_000);
        t.add(value("long text", (e, v) -> e.longText = (String) v, e -> e.longText, longText, "long_text", String.class));
        t.add(new Case("char", (e, v) -> e.letter = (Character) v, e -> e.letter, () -> 'é', 'é', "letter", String.class, "é"));
        t.add(value("true", (e, v) -> e.flag = (Boolean) v, e -> e.flag, true, "flag", Boolean.class));
        t.add(value("false", (e, v) -> e.flag = (Boolean) v, e -> e.flag, false, "flag", Boolean.class));
        for (byte b : new byte[] {Byte.MIN_VALUE, Byte.MAX_VALUE}) {
            t.add(new Case("byte " + b, (e, v) -> e.tiny = (Byte) v, e -> e.tiny, () -> b, b, "tiny", Integer.class, (int) b));
        }
        for (short s : new short[] {Short.MIN_VALUE, Short.MAX_VALUE}) {
            t.add(new Case("short " + s, (e, v) -> e.small = (Short) v, e -> e.small, () -> s, s, "small", Integer.class, (int) s));
        }
        for (int i : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            t.add(value("int " + i, (e, v) -> e.number = (Integer) v, e -> e.number, i, "number", Integer.class));
        }
        for (long l : new long[] {Long.MIN_VALUE, Long.MAX_VALUE}) {
            t.add(value("long " + l, (e, v) -> e.big = (Long) v, e -> e.big, l, "big", Long.class));
        }
        // NaN and the infinities are kept on both sides (PostgreSQL has them; SQLite keeps NaN as the text NaN)
        for (float f : new float[] {Float.MAX_VALUE, Float.MIN_VALUE, 0.1f, Float.NaN, Float.NEGATIVE_INFINITY}) {
            if ((!Float.isFinite(f) || f == Float.MAX_VALUE) && !remoteKeepsNonFinite()) {
                continue;
            }
            t.add(value("float " + f, (e, v) -> e.single = (Float) v, e -> e.single, f, "single", Float.class));
        }
        for (double d : new double[] {Double.MAX_VALUE, Double.MIN_VALUE, 0.1, 1.0 / 3, Double.NaN, Double.POSITIVE_INFINITY}) {
            if (!Double.isFinite(d) && !remoteKeepsNonFinite()) {
                continue;
            }
            t.add(value("double " + d, (e, v) -> e.dbl = (Double) v, e -> e.dbl, d, "dbl", Double.class));
        }
        float remoteFloatZero = remoteKeepsNegativeZero() ? -0.0f : 0.0f;
        double remoteDoubleZero = remoteKeepsNegativeZero() ? -0.0 : 0.0;
        t.add(new Case("float -0.0", (e, v) -> e.single = (Float) v, e -> e.single, () -> -0.0f, remoteFloatZero, "single",
                Float.class, remoteFloatZero, localKeepsNegativeZero() ? -0.0f : 0.0f));
        t.add(new Case("double -0.0", (e, v) -> e.dbl = (Double) v, e -> e.dbl, () -> -0.0, remoteDoubleZero, "dbl",
                Double.class, remoteDoubleZero, localKeepsNegativeZero() ? -0.0 : 0.0));
        BigInteger huge = new BigInteger("-12345678901234567890123456789012345678");
        t.add(value("BigInteger 38 digits", (e, v) -> e.huge = (BigInteger) v, e -> e.huge, huge, "huge", BigDecimal.class,
                new BigDecimal(huge)));
        BiConsumer<ExactRow, Object> price = (e, v) -> e.price = (BigDecimal) v;
        Function<ExactRow, Object> priceOf = e -> e.price;
        t.add(value("decimal 19.90", price, priceOf, new BigDecimal("19.90"), "price", BigDecimal.class));
        t.add(value("decimal 0.00", price, priceOf, new BigDecimal("0.00"), "price", BigDecimal.class));
        t.add(value("decimal -0.01", price, priceOf, new BigDecimal("-0.01"), "price", BigDecimal.class));
        // a value of another scale takes the column's, as on the remote (numeric(10,2))
        t.add(decimal("decimal 1E+3 in scale 2", price, priceOf, "1E+3", "1000.00", "price"));
        t.add(decimal("decimal 1.5 in scale 2", price, priceOf, "1.5", "1.50", "price"));
        t.add(decimal("decimal 38 digits", (e, v) -> e.wide = (BigDecimal) v, e -> e.wide,
                "1234567890123456789012345678.0123456789", "1234567890123456789012345678.0123456789", "wide"));
        t.add(decimal("decimal 19 digits whole in scale 2", (e, v) -> e.plain = (BigDecimal) v, e -> e.plain,
                "9223372036854775807", "9223372036854775807.00", "plain"));
        t.add(decimal("decimal 16 digits", (e, v) -> e.plain = (BigDecimal) v, e -> e.plain,
                "12345678901234.56", "12345678901234.56", "plain"));
        t.add(decimal("decimal 7 in default column", (e, v) -> e.plain = (BigDecimal) v, e -> e.plain, "7", "7.00", "plain"));
        UUID uuid = UUID.fromString("6f1c2b4e-9a7d-4c3e-8f21-0a1b2c3d4e5f");
        t.add(value("UUID", (e, v) -> e.uuid = (UUID) v, e -> e.uuid, uuid, "uuid", UUID.class));
        t.add(new Case("enum ORDINAL", (e, v) -> e.ordinal = (Colour) v, e -> e.ordinal, () -> Colour.BLUE, Colour.BLUE,
                "ordinal", Integer.class, 2));
        t.add(new Case("enum STRING", (e, v) -> e.named = (Colour) v, e -> e.named, () -> Colour.GREEN, Colour.GREEN,
                "named", String.class, "GREEN"));
        BiConsumer<ExactRow, Object> instant = (e, v) -> e.instant = (Instant) v;
        Function<ExactRow, Object> instantOf = e -> e.instant;
        t.add(new Case("Instant micros", instant, instantOf, () -> MICROS, MICROS, "instant", OffsetDateTime.class,
                MICROS.atOffset(ZoneOffset.UTC)));
        Instant before1970 = Instant.parse("1969-12-31T23:59:59.999999Z");
        t.add(new Case("Instant before 1970", instant, instantOf, () -> before1970, before1970, "instant",
                OffsetDateTime.class, before1970.atOffset(ZoneOffset.UTC)));
        // nanoseconds beyond the microsecond: the remote rounds half up to the microsecond, the local side the same
        Instant rounded = Instant.parse("2026-03-04T18:26:07.123457Z");
        if (remoteRoundsFractions()) {
            t.add(new Case("Instant nanos round to micros", instant, instantOf,
                    () -> Instant.parse("2026-03-04T18:26:07.123456500Z"), rounded, "instant", OffsetDateTime.class,
                    rounded.atOffset(ZoneOffset.UTC)));
        }
        for (String day : new String[] {"2024-02-29", "0001-01-01", "9999-12-31"}) {
            t.add(value("LocalDate " + day, (e, v) -> e.calendarDay = (LocalDate) v, e -> e.calendarDay,
                    LocalDate.parse(day), "calendarDay", LocalDate.class));
        }
        // Hibernate binds a date as a java.sql.Date, on either side: a day of the ten that the Julian calendar, which
        // java.sql.Date keeps before October 15, 1582, lacks moves ten days later, as with plain Hibernate
        LocalDate gap = LocalDate.parse("1582-10-10");
        LocalDate moved = LocalDate.parse("1582-10-20");
        t.add(new Case("LocalDate in the 1582 gap", (e, v) -> e.calendarDay = (LocalDate) v, e -> e.calendarDay,
                () -> gap, moved, "calendarDay", LocalDate.class, moved));
        // Hibernate binds a time of day as a java.sql.Time, on either side: it is kept to the millisecond, rounded
        // half up, so a time in the last half millisecond of the day becomes midnight
        for (String clock : new String[] {"23:59:59.999999", "00:00:00.000001", "12:34:56.789012", "12:34:56.789"}) {
            LocalTime time = LocalTime.parse(clock);
            LocalTime kept = time.plusNanos(500_000).truncatedTo(ChronoUnit.MILLIS);
            t.add(new Case("LocalTime " + clock, (e, v) -> e.clock = (LocalTime) v, e -> e.clock, () -> time, kept,
                    "clock", LocalTime.class, kept));
        }
        LocalDateTime dateTime = LocalDateTime.parse("2026-03-04T18:26:07.123456");
        t.add(value("LocalDateTime micros", (e, v) -> e.dateTime = (LocalDateTime) v, e -> e.dateTime, dateTime,
                "dateTime", LocalDateTime.class));
        // an offset or a zone is not kept: both sides read the instant back at UTC
        OffsetDateTime offset = OffsetDateTime.parse("2026-03-04T23:56:07.123456+05:30");
        t.add(new Case("OffsetDateTime at UTC", (e, v) -> e.offsetDateTime = (OffsetDateTime) v, e -> e.offsetDateTime,
                () -> offset, MICROS.atOffset(ZoneOffset.UTC), "offsetDateTime", OffsetDateTime.class,
                MICROS.atOffset(ZoneOffset.UTC)));
        ZonedDateTime zoned = MICROS.atZone(ZoneId.of("Europe/Berlin"));
        t.add(new Case("ZonedDateTime at UTC", (e, v) -> e.zonedDateTime = (ZonedDateTime) v, e -> e.zonedDateTime,
                () -> zoned, MICROS.atZone(ZoneOffset.UTC), "zonedDateTime", OffsetDateTime.class,
                MICROS.atOffset(ZoneOffset.UTC)));
        // a Duration is a numeric(21) of nanoseconds on both sides (Hibernate's default without an interval type)
        Duration duration = Duration.ofSeconds(90_061, 123_456_789);
        t.add(value("Duration nanos", (e, v) -> e.duration = (Duration) v, e -> e.duration, duration, "duration",
                BigDecimal.class, new BigDecimal("90061123456789")));
        byte[] bytes = {0, 1, -1, 127, -128};
        t.add(new Case("byte[]", (e, v) -> e.bytes = (byte[]) v, e -> e.bytes, bytes::clone, bytes, "bytes", byte[].class, bytes));
        byte[] lob = new byte[100_000];
        for (int i = 0; i < lob.length; i++) {
            lob[i] = (byte) (i * 31 + i / 256);
        }
        t.add(new Case("@Lob byte[]", (e, v) -> e.lobBytes = (byte[]) v, e -> e.lobBytes, lob::clone, lob, "lobBytes",
                byte[].class, lob));
        String lobText = "ünïcødé \uD83C\uDF0D ".repeat(5_000);
        t.add(new Case("@Lob String", (e, v) -> e.lobText = (String) v, e -> e.lobText, () -> lobText, lobText, "lobText",
                String.class, lobText));
        t.add(new Case("Blob", (e, v) -> e.blob = (Blob) v, e -> bytesOf(e.blob), () -> blob(lob), lob, "blob_value",
                byte[].class, lob));
        t.add(new Case("Clob", (e, v) -> e.clob = (Clob) v, e -> textOf(e.clob), () -> clob(lobText), lobText, "clob_value",
                String.class, lobText));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("a", 1);
        json.put("b", "x é");
        json.put("n", List.of(1, 2));
        t.add(new Case("JSON Map", (e, v) -> e.json = castMap(v), e -> e.json, () -> new LinkedHashMap<>(json), json,
                "json", String.class, "{\"a\":1,\"b\":\"x é\",\"n\":[1,2]}"));
        ExactPart part = new ExactPart("part", new BigDecimal("12.500"), MICROS);
        t.add(new Case("embeddable", (e, v) -> e.part = (ExactPart) v, e -> e.part, () -> part, part, "amount",
                BigDecimal.class, new BigDecimal("12.500")));
        List<ExactPart> parts = List.of(new ExactPart("first", new BigDecimal("0.100"), MICROS),
                new ExactPart("second", new BigDecimal("99.990"), before1970));
        t.add(new Case("element collection", (e, v) -> e.parts = new ArrayList<>(castList(v)), e -> List.copyOf(e.parts),
                () -> parts, parts, null, BigDecimal.class, new BigDecimal("99.990")));
        return t;
    }

    @BeforeEach
    void start() {
        schema = pair().createRemote(getClass().getSimpleName());
        DatabasePair.LocalStore local = pair().newLocal(dir, "local");
        try {
            emf = CompositePersistence.builder()
                    .name(getClass().getSimpleName())
                    .local(local.url(), local.user(), local.password())
                    .remote(pair().remoteUrl(schema), pair().remoteUser(), pair().remotePassword())
                    .entities(SyncedExact.class, DualExact.class, RemoteExact.class)
                    .syncEnabled(false)
                    .property("hibernate.hbm2ddl.auto", "create")
                    .build();
        } catch (RuntimeException e) {
            pair().dropRemote(schema);
            throw e;
        }
    }

    @AfterEach
    void stop() {
        try {
            if (emf != null) {
                emf.close();
            }
        } finally {
            pair().dropRemote(schema);
        }
    }

    @Test
    void every_basic_type_round_trips_exactly_through_both_sides() {
        List<Case> cases = cases();
        int updated = cases.size();
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                em.persist(filled(new SyncedExact(i), c));
                em.persist(new SyncedExact(updated + i));
                em.persist(filled(new DualExact(i), c));
                em.persist(filled(new RemoteExact(i), c));
            }
        });
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                c.set().accept(em.find(SyncedExact.class, (long) updated + i), c.written().get());
            }
        });
        SyncResult sync = emf.sync();
        assertThat(sync.failed()).as("replay failures").isZero();
        assertThat(sync.remaining()).isZero();

        SoftAssertions soft = new SoftAssertions();
        try (CompositeEntityManager em = emf.createEntityManager()) {
            // PostgreSQL reads a large object in a transaction only
            em.getTransaction().begin();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                for (long id : new long[] {i, updated + i}) {
                    String how = id == i ? "inserted locally" : "updated locally";
                    check(soft, em, c, SyncedExact.class, "SyncedExact", id, how, true);
                }
                check(soft, em, c, DualExact.class, "DualExact", i, "written DUAL", true);
                check(soft, em, c, RemoteExact.class, "RemoteExact", i, "written on the remote", false);
            }
            em.getTransaction().rollback();
        }
        soft.assertAll();
    }

    private void check(SoftAssertions soft, CompositeEntityManager em, Case c, Class<? extends ExactRow> type,
                       String table, long id, String how, boolean local) {
        if (local) {
            ExactRow l = em.local().find(type, id);
            soft.assertThat(c.get().apply(l)).as("%s, %s, read locally", c.name(), how).isEqualTo(c.localExpected());
        }
        ExactRow r = em.remote().find(type, id);
        soft.assertThat(c.get().apply(r)).as("%s, %s, read on the remote", c.name(), how).isEqualTo(c.expected());
        if (c.jdbcClass() != null) {
            soft.assertThat(remoteValue(c, table, id)).as("%s, %s, remote column over JDBC", c.name(), how)
                    .isEqualTo(c.jdbcExpected());
        }
        em.clear();
    }

    private Object remoteValue(Case c, String table, long id) {
        String sql;
        if (c.column() == null) {
            sql = "select amount from " + table + "_parts where " + table + "_id = ? order by parts_ORDER desc";
        } else if (c.name().startsWith("@Lob") || c.name().equals("Blob") || c.name().equals("Clob")) {
            sql = "select " + remoteLob(table, c.column(), c.jdbcClass() == String.class) + " from " + table + " where id = ?";
        } else {
            sql = "select " + c.column() + " from " + table + " where id = ?";
        }
        try (Connection connection = DriverManager.getConnection(pair().remoteUrl(schema), pair().remoteUser(), pair().remotePassword());
             PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("%s row %d on the remote", table, id).isTrue();
                Object value = readRemote(rs, c.jdbcClass());
                return c.name().equals("JSON Map") ? ((String) value).replace(", ", ",").replace(": ", ":") : value;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static <T extends ExactRow> T filled(T row, Case c) {
        c.set().accept(row, c.written().get());
        return row;
    }

    private static Case value(String name, BiConsumer<ExactRow, Object> set, Function<ExactRow, Object> get, Object value,
                              String column, Class<?> jdbcClass) {
        return value(name, set, get, value, column, jdbcClass, value);
    }

    private static Case value(String name, BiConsumer<ExactRow, Object> set, Function<ExactRow, Object> get, Object value,
                              String column, Class<?> jdbcClass, Object jdbcValue) {
        return new Case(name, set, get, () -> value, value, column, jdbcClass, jdbcValue);
    }

    private static Case decimal(String name, BiConsumer<ExactRow, Object> set, Function<ExactRow, Object> get,
                                String written, String stored, String column) {
        return new Case(name, set, get, () -> new BigDecimal(written), new BigDecimal(stored), column, BigDecimal.class,
                new BigDecimal(stored));
    }

    private static byte[] bytesOf(Blob blob) {
        try {
            return blob == null ? null : blob.getBytes(1, (int) blob.length());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String textOf(Clob clob) {
        try {
            return clob == null ? null : clob.getSubString(1, (int) clob.length());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Blob blob(byte[] bytes) {
        try {
            return new SerialBlob(bytes);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Clob clob(String text) {
        try {
            return new SerialClob(text.toCharArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object v) {
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<ExactPart> castList(Object v) {
        return (List<ExactPart>) v;
    }
}
