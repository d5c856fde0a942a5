package io.dbcomposite.internal.boot;

import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.TimeJdbcType;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Time;
import java.util.Calendar;

/**
 * A time of day ({@code TIME}) on the local SQLite side as the remote keeps it: without a date. SQLite keeps the text
 * the driver writes for a {@code java.sql.Time}, date included, where PostgreSQL's {@code time} keeps the time of day
 * alone; Hibernate hands the driver a {@code Time} of the time of day for the usual Java types ({@code LocalTime},
 * {@code OffsetTime}, a {@code java.util.Date} mapped {@code @Temporal(TIME)}), but Hibernate ORM 7.2 hands it a
 * {@code java.util.Date} attribute's value as a {@code Time} of the whole instant (its copy of the entity's state), and
 * an application's own {@code java.sql.Time} can carry a date too: read back, the local side gave that date, the remote
 * did not. A {@code Time} more than two days away from 1970-01-01 (which no time of day Hibernate makes is, whatever
 * the zone) is therefore bound as its milliseconds modulo a day, what Hibernate ORM 7.4 binds for such a
 * {@code java.util.Date}; any other is bound as it is, so the text of every other time of day stays what it was.
 */
final class SqliteTimeOfDay extends TimeJdbcType {

    static final SqliteTimeOfDay INSTANCE = new SqliteTimeOfDay();

    private static final long DAY = 86_400_000L;

    /** @return the time of day of {@code time} if it carries a date, else {@code time} */
    static Time timeOfDay(Time time) {
        long millis = time.getTime();
        return Math.abs(millis) < 2 * DAY ? time : new Time(millis % DAY);
    }

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                Time time = timeOfDay(javaType.unwrap(value, Time.class, options));
                // a Calendar too, whatever its own zone: it is read back in this zone (see CalendarInstants)
                if (options.getJdbcTimeZone() != null) {
                    st.setTime(index, time, Calendar.getInstance(options.getJdbcTimeZone()));
                } else {
                    st.setTime(index, time);
                }
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                throw new SQLException("SQLite has no callable statements");
            }
        };
    }
}
