package io.dbcomposite.internal.boot;

import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.TimestampJdbcType;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsJdbcTimestampJdbcType;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * Timestamps on the local SQLite side at PostgreSQL's precision, the microsecond (the driver's own formatting keeps
 * milliseconds only). A value with nanoseconds beyond the microsecond is rounded half up to the microsecond, as the
 * PostgreSQL driver rounds it, so both sides hold the same value. It is written as the text
 * {@code yyyy-MM-dd HH:mm:ss.SSS} if it has whole milliseconds, which is the text the driver wrote for it before, and as
 * {@code yyyy-MM-dd HH:mm:ss.SSSSSS} otherwise: each instant has one text, equal instants have equal texts (a row
 * written before, a timestamp {@code @Version} of such a row, still matches), and text order is time order (a
 * fraction of three digits never ends where one of six would go on with zeros). Any such text with 0 to 9 fraction
 * digits reads back.
 *
 * <p>The zone of the text is what Hibernate's standard types use: UTC for an {@code Instant}, an
 * {@code OffsetDateTime} and a {@code ZonedDateTime} ({@code TIMESTAMP_UTC}), the unit's JDBC time zone (UTC) for the
 * others. A {@code Calendar} is written in the JDBC time zone too, not in its own zone as Hibernate writes it: it is
 * read back in that zone, and so keeps its instant ({@link CalendarInstants} says why).
 */
final class SqliteMicrosTimestamps {

    /** The written form of a value with whole milliseconds. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    /** The written form of any other value. */
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    /** The forms read: a space or a {@code T}, a fraction of 0 to 9 digits. */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private SqliteMicrosTimestamps() {
    }

    /** @return the instant rounded half up to the microsecond */
    static Instant toMicros(Instant instant) {
        int belowMicro = instant.getNano() % 1_000;
        if (belowMicro == 0) {
            return instant;
        }
        return instant.minusNanos(belowMicro).plusNanos(belowMicro >= 500 ? 1_000 : 0);
    }

    /** @return the instant as the text written, in {@code zone} */
    static String format(Instant instant, ZoneId zone) {
        LocalDateTime time = LocalDateTime.ofInstant(toMicros(instant), zone);
        boolean micros = time.getNano() % 1_000_000 != 0;
        String text = io.dbcomposite.internal.log.TimestampText.format(time, micros);
        return text != null ? text : (micros ? MICROS : MILLIS).format(time);
    }

    /** @return the instant a column's text stands for in {@code zone}, or null if the text is not a timestamp */
    static Instant parse(String text, ZoneId zone) {
        try {
            return LocalDateTime.parse(text.trim(), READ).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneId zoneOf(WrapperOptions options) {
        TimeZone zone = options.getJdbcTimeZone();
        return zone == null ? ZoneId.systemDefault() : zone.toZoneId();
    }

    /** {@code TIMESTAMP}: a {@code LocalDateTime}, a {@code Timestamp}, a {@code Date}, a {@code Calendar}. */
    static final class Local extends TimestampJdbcType {
        static final Local INSTANCE = new Local();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return new BasicBinder<>(javaType, this) {
                @Override
                protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                    st.setString(index, text(value, options));
                }

                @Override
                protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                    st.setString(name, text(value, options));
                }

                private String text(X value, WrapperOptions options) {
                    Timestamp timestamp = javaType.unwrap(value, Timestamp.class, options);
                    // a Calendar too, whatever its own zone: it is read back in this zone (see CalendarInstants)
                    return format(timestamp.toInstant(), zoneOf(options));
                }
            };
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return new BasicExtractor<>(javaType, this) {
                @Override
                protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                    String text = rs.getString(paramIndex);
                    if (text == null) {
                        return null;
                    }
                    Instant instant = parse(text, zoneOf(options));
                    return javaType.wrap(instant != null ? Timestamp.from(instant)
                            : rs.getTimestamp(paramIndex, Calendar.getInstance(TimeZone.getTimeZone(zoneOf(options)))), options);
                }

                @Override
                protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                    throw new SQLException("SQLite has no callable statements");
                }

                @Override
                protected X doExtract(CallableStatement statement, String name, WrapperOptions options) throws SQLException {
                    throw new SQLException("SQLite has no callable statements");
                }
            };
        }
    }

    /** {@code TIMESTAMP_UTC}: an {@code Instant}, and an {@code OffsetDateTime} or a {@code ZonedDateTime} kept at UTC. */
    static final class Utc extends TimestampUtcAsJdbcTimestampJdbcType {
        static final Utc INSTANCE = new Utc();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return new BasicBinder<>(javaType, this) {
                @Override
                protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                    st.setString(index, format(javaType.unwrap(value, Instant.class, options), ZoneOffset.UTC));
                }

                @Override
                protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                    st.setString(name, format(javaType.unwrap(value, Instant.class, options), ZoneOffset.UTC));
                }
            };
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return new BasicExtractor<>(javaType, this) {
                @Override
                protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                    String text = rs.getString(paramIndex);
                    if (text == null) {
                        return null;
                    }
                    Instant instant = parse(text, ZoneOffset.UTC);
                    if (instant == null) {
                        instant = rs.getTimestamp(paramIndex, Calendar.getInstance(TimeZone.getTimeZone("UTC"))).toInstant();
                    }
                    return javaType.wrap(instant, options);
                }

                @Override
                protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                    throw new SQLException("SQLite has no callable statements");
                }

                @Override
                protected X doExtract(CallableStatement statement, String name, WrapperOptions options) throws SQLException {
                    throw new SQLException("SQLite has no callable statements");
                }
            };
        }
    }
}
