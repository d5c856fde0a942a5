package io.dbcomposite.internal.boot;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.TimeJdbcType;
import org.hibernate.type.descriptor.jdbc.TimestampJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * Makes a {@code java.util.Calendar} keep its value: mapped as a timestamp, a date or a time, it is written in the JDBC
 * time zone, the zone it is read back in, whatever zone the calendar itself is in (as Hibernate writes a
 * {@code java.util.Date}).
 *
 * <p>Hibernate writes a {@code Calendar} in the calendar's own zone and reads it back in the JDBC time zone (into a
 * calendar in the JVM's zone). When the two zones differ, as they do for every unit whose JVM is not on UTC (a unit's
 * JDBC time zone is UTC unless the application sets another):
 * <ul>
 * <li>a calendar Hibernate loaded and writes back unchanged (an update writes every updatable column) moved by the
 * zones' difference at each update of its row, a date by a day where the JDBC time zone is ahead of the JVM's;</li>
 * <li>a calendar the local side read back went to the other side at another value than the local row's: a DUAL update
 * of an entity with a {@code @CreationTimestamp Calendar} moved the remote's creation time by five hours, and a date
 * calendar reached the remote a day early.</li>
 * </ul>
 * Written in the JDBC time zone, a calendar reads back as the instant it holds (a date as its day in the JDBC time
 * zone, a time as its time of day there), on both sides, and a loaded calendar written back leaves its column as it
 * was.
 *
 * <p>A {@code TypeContributor} service acting on a side whose settings carry {@link #SETTING} as {@code true}
 * ({@link SideFactoryBuilder} puts it on both sides; plain Hibernate on the same class path is left as it is). It
 * replaces Hibernate's own timestamp, date and time types only; a type a dialect has of its own stays. The local SQLite
 * side's timestamps and times ({@link SqliteMicrosTimestamps}, {@link SqliteTimeOfDay}) write a calendar in the JDBC time
 * zone themselves.
 */
public final class CalendarInstants implements TypeContributor {

    /** The setting that turns this on for a side's SessionFactory. */
    public static final String SETTING = "hibernate.dbcomposite.calendar_instants";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        if (!SideSettings.on(serviceRegistry, SETTING)) {
            return;
        }
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        replace(registry, SqlTypes.TIMESTAMP, TimestampJdbcType.class, Timestamps.INSTANCE);
        replace(registry, SqlTypes.TIME, TimeJdbcType.class, Times.INSTANCE);
    }

    /** Puts {@code ours} for {@code code} if the registry holds Hibernate's own type for it (a dialect's own type stays). */
    private static void replace(JdbcTypeRegistry registry, int code, Class<? extends JdbcType> hibernates, JdbcType ours) {
        if (registry.getDescriptor(code).getClass() == hibernates) {
            registry.addDescriptor(code, ours);
        }
    }

    // TypeContributor.ordinal() exists from Hibernate 7.3 on; without @Override this compiles against 7.2 too
    public int ordinal() {
        return Integer.MIN_VALUE;
    }

    /**
     * @return {@code value} itself unless it is a calendar in another zone than {@code options}' JDBC time zone; else a
     *     copy of it in that zone (the same instant)
     */
    static Object inJdbcZone(Object value, WrapperOptions options) {
        TimeZone zone = options.getJdbcTimeZone();
        if (zone != null && value instanceof Calendar calendar && !zone.hasSameRules(calendar.getTimeZone())) {
            Calendar inZone = (Calendar) calendar.clone();
            inZone.setTimeZone(zone);
            return inZone;
        }
        return value;
    }

    /** @return {@code hibernate}, binding a calendar in the JDBC time zone */
    static <X> ValueBinder<X> inJdbcZone(ValueBinder<X> hibernate) {
        return new ValueBinder<>() {
            @Override
            @SuppressWarnings("unchecked")
            public void bind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                hibernate.bind(st, (X) inJdbcZone(value, options), index, options);
            }

            @Override
            @SuppressWarnings("unchecked")
            public void bind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                hibernate.bind(st, (X) inJdbcZone(value, options), name, options);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object getBindValue(X value, WrapperOptions options) throws SQLException {
                return hibernate.getBindValue((X) inJdbcZone(value, options), options);
            }
        };
    }

    /** Hibernate's timestamp type, binding a calendar in the JDBC time zone. */
    static final class Timestamps extends TimestampJdbcType {
        static final Timestamps INSTANCE = new Timestamps();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return inJdbcZone(super.getBinder(javaType));
        }
    }

    /** Hibernate's time type, binding a calendar in the JDBC time zone: its time of day there. */
    static final class Times extends TimeJdbcType {
        static final Times INSTANCE = new Times();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return inJdbcZone(super.getBinder(javaType));
        }
    }
}
