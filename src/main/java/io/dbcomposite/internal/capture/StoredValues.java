package io.dbcomposite.internal.capture;

import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.BasicType;
import org.hibernate.type.ComponentType;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.Type;
import org.hibernate.type.descriptor.ValueBinder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporal values of an entity state as the local database holds them, which is what a re-read of the entity
 * from the local side returns, not what the instance holds in memory. One instance per unit.
 *
 * <p>The two differ: SQLite keeps timestamps as text with microseconds (see {@code SqliteExactTypes}) while an
 * instance may hold nanoseconds;
 * Hibernate rounds a {@code LocalTime} to milliseconds and drops the fraction of an {@code OffsetTime} on the way to
 * the driver; a date {@code Calendar} is written in its own zone and read back in the JVM's. A change replayed
 * (or mirrored) with the in-memory values would give the remote another value than the local row has. So a temporal
 * value goes through the local side's own JDBC binding and extraction, as a {@code select ?} on the transaction's
 * connection: the driver formats it exactly as it formatted the row and parses it back as a re-read would. One
 * statement serves all such values of a state.
 *
 * <p>That statement is a prepare and a round trip per change (some 6.5 µs on SQLite), and most time values need none
 * of it: where the local side keeps an instant as a timestamp with microseconds (SQLite as the unit sets it up), an
 * {@code Instant}, a {@code java.sql.Timestamp}, a {@code java.util.Date} mapped as a timestamp, an
 * {@code OffsetDateTime} or a {@code ZonedDateTime} comes back as the same instant rounded half up to the microsecond
 * (as PostgreSQL's driver rounds it), which Java works out alone ({@link InJava}). That is taken on trust from no
 * driver: at the first use of an attribute type in the unit, the type's probe values (sub-microsecond fractions just
 * below and at a microsecond's half, below a second's and a day's end, before 1970, at midnight, at both ends of the
 * covered years) go through the round trip once, and the type is worked out in Java only if every one came back
 * exactly as Java computes it; else (another local database, the local side's exact types turned off so the driver
 * keeps milliseconds, H2 truncating instead of rounding, a JDBC time zone with daylight saving time) every value of the
 * type keeps the round trip. The verdicts are this unit's only: another unit may have another local database.
 */
public final class StoredValues {

    /** The verdict per attribute type of the local factory; read without locking, written once per type. */
    private final ConcurrentHashMap<BasicType<?>, InJava> verdicts = new ConcurrentHashMap<>();

    /**
     * @param persister the local persister
     * @param state the state the local side just wrote (or writes now)
     * @param session a local session; its connection runs the round trip
     * @return {@code state} itself if no temporal value in it changes, else a copy with each temporal value (embeddables'
     *     too) as the local database returns it
     */
    public Object[] asStored(EntityPersister persister, Object[] state, SharedSessionContractImplementor session) {
        if (state == null) {
            return null;
        }
        Type[] types = persister.getPropertyTypes();
        try {
            int roundTrips = roundTrips(types, state, session);
            if (roundTrips == 0) {
                return stored(types, state, null, null, session);
            }
            Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            try (PreparedStatement ps = c.prepareStatement(select(roundTrips))) {
                bind(types, state, ps, new int[] {1}, session);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return stored(types, state, rs, new int[] {1}, session);
                }
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot read back the time values of entity '" + persister.getEntityName()
                    + "' as the local database stores them", e);
        }
    }

    /**
     * @param version a {@code @Version} value of {@code persister}'s entity, or null
     * @return the version as the local database holds it (a timestamp version in microseconds)
     */
    public Object versionAsStored(EntityPersister persister, Object version, SharedSessionContractImplementor session) {
        if (version == null || version instanceof Number || !persister.isVersioned()) {
            return version;
        }
        Object[] state = new Object[persister.getPropertyTypes().length];
        state[persister.getVersionPropertyIndex()] = version;
        return asStored(persister, state, session)[persister.getVersionPropertyIndex()];
    }

    /** @return how many of the temporal values in {@code values} (embeddables' too) need the round trip */
    private int roundTrips(Type[] types, Object[] values, SharedSessionContractImplementor session) throws SQLException {
        int n = 0;
        for (int i = 0; i < types.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            if (isTemporal(types[i])) {
                if (!inJava((BasicType<?>) types[i], session).covers(value)) {
                    n++;
                }
            } else if (types[i] instanceof ComponentType component) {
                n += roundTrips(component.getSubtypes(), component.getPropertyValues(value), session);
            }
        }
        return n;
    }

    /** Binds the values that need the round trip, in the order {@link #stored} reads them. */
    private void bind(Type[] types, Object[] values, PreparedStatement ps, int[] at, SharedSessionContractImplementor session)
            throws SQLException {
        for (int i = 0; i < types.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            if (isTemporal(types[i])) {
                BasicType<?> type = (BasicType<?>) types[i];
                if (!inJava(type, session).covers(value)) {
                    bind(type, ps, value, at[0]++, session);
                }
            } else if (types[i] instanceof ComponentType component) {
                bind(component.getSubtypes(), component.getPropertyValues(value), ps, at, session);
            }
        }
    }

    /**
     * @param rs the round trip's row, positioned; null if no value needs it
     * @return {@code values} itself if no temporal value changes, else a copy with each as the database holds it; an
     *     embeddable that changes is copied first (the entity's own instance is left as it is)
     */
    private Object[] stored(Type[] types, Object[] values, ResultSet rs, int[] at, SharedSessionContractImplementor session)
            throws SQLException {
        Object[] out = values;
        for (int i = 0; i < types.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            Object stored;
            if (isTemporal(types[i])) {
                BasicType<?> type = (BasicType<?>) types[i];
                InJava how = inJava(type, session);
                stored = how.covers(value) ? how.stored(value) : type.getJdbcValueExtractor().extract(rs, at[0]++, session);
            } else if (types[i] instanceof ComponentType component) {
                Object[] parts = component.getPropertyValues(value);
                Object[] storedParts = stored(component.getSubtypes(), parts, rs, at, session);
                stored = storedParts == parts ? value
                        : component.replacePropertyValues(component.deepCopy(value, session.getFactory()), storedParts, session);
            } else {
                continue;
            }
            if (stored != value) {
                if (out == values) {
                    out = values.clone();
                }
                out[i] = stored;
            }
        }
        return out;
    }

    /** @return how values of {@code type} are worked out; the first call for a type asks the local database */
    private InJava inJava(BasicType<?> type, SharedSessionContractImplementor session) throws SQLException {
        InJava known = verdicts.get(type);
        if (known != null) {
            return known;
        }
        // two sessions may verify one type at once: both reach the same verdict, and no caller waits on a lock
        InJava verified = verify(type, session);
        InJava raced = verdicts.putIfAbsent(type, verified);
        return raced != null ? raced : verified;
    }

    /**
     * @return the type's Java computation if the local database returns exactly what it computes for every probe value,
     *     else {@link InJava#ROUND_TRIP}
     */
    private static InJava verify(BasicType<?> type, SharedSessionContractImplementor session) throws SQLException {
        InJava candidate = InJava.candidateFor(type);
        if (candidate == InJava.ROUND_TRIP) {
            return candidate;
        }
        // a timestamp written and parsed in a zone with daylight saving time can move by an hour around its changes,
        // which no probe value would show: only a fixed offset (the unit's UTC) keeps every stored value a truncation
        TimeZone jdbcZone = session.getFactory().getSessionFactoryOptions().getJdbcTimeZone();
        if (jdbcZone == null || !jdbcZone.toZoneId().getRules().isFixedOffset()) {
            return InJava.ROUND_TRIP;
        }
        List<Object> probes = new ArrayList<>();
        for (Instant at : InJava.PROBE_INSTANTS) {
            candidate.addProbes(at, probes);
        }
        Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        try (PreparedStatement ps = c.prepareStatement(select(probes.size()))) {
            for (int i = 0; i < probes.size(); i++) {
                bind(type, ps, probes.get(i), i + 1, session);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 0; i < probes.size(); i++) {
                    Object probe = probes.get(i);
                    Object byDatabase = type.getJdbcValueExtractor().extract(rs, i + 1, session);
                    if (!candidate.covers(probe) || !Objects.equals(candidate.stored(probe), byDatabase)) {
                        return InJava.ROUND_TRIP;
                    }
                }
            }
        }
        return candidate;
    }

    private static String select(int parameters) {
        return "select ?" + ", ?".repeat(parameters - 1);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bind(BasicType<?> type, PreparedStatement ps, Object value, int index,
                             SharedSessionContractImplementor session) throws SQLException {
        ((ValueBinder) type.getJdbcValueBinder()).bind(ps, value, index, session);
    }

    /** A plain (unconverted) attribute the database keeps as a date, time or timestamp. */
    private static boolean isTemporal(Type type) {
        return type instanceof BasicType<?> basic && basic.getValueConverter() == null && basic.getJdbcType().isTemporal();
    }

    /**
     * A type's stored value worked out in Java: the instant it holds rounded half up to the microsecond, as the class the
     * local extractor returns. Values outside the covered years (those the probes span) keep the round trip, as do
     * the types no constant stands for (a time of day, a date, a {@code LocalDateTime}, whose stored form depends on
     * the JVM's default zone, a {@code Calendar}).
     */
    enum InJava {
        /** An {@code Instant}. */
        INSTANT {
            @Override
            boolean covers(Object value) {
                return value instanceof Instant i && inYears(i.getEpochSecond());
            }

            @Override
            Object stored(Object value) {
                Instant i = (Instant) value;
                return toMicros(i);
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                probes.add(at);
            }
        },
        /** A {@code java.sql.Timestamp}. */
        SQL_TIMESTAMP {
            @Override
            boolean covers(Object value) {
                return value.getClass() == Timestamp.class && inYears(Math.floorDiv(((Date) value).getTime(), 1000L));
            }

            @Override
            Object stored(Object value) {
                return asTimestamp((Date) value);
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                probes.add(Timestamp.from(at));
            }
        },
        /** A {@code java.util.Date} mapped as a timestamp: it may hold a {@code Timestamp}, and is read back as one. */
        UTIL_DATE {
            @Override
            boolean covers(Object value) {
                return (value.getClass() == Timestamp.class || value.getClass() == Date.class)
                        && inYears(Math.floorDiv(((Date) value).getTime(), 1000L));
            }

            @Override
            Object stored(Object value) {
                return asTimestamp((Date) value);
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                probes.add(Timestamp.from(at));
                probes.add(Date.from(at));
            }
        },
        /** An {@code OffsetDateTime}: read back at UTC. */
        OFFSET_DATE_TIME {
            @Override
            boolean covers(Object value) {
                return value instanceof OffsetDateTime o && inYears(o.toEpochSecond());
            }

            @Override
            Object stored(Object value) {
                OffsetDateTime o = (OffsetDateTime) value;
                return o.getOffset() == ZoneOffset.UTC && o.getNano() % NANOS_PER_MICRO == 0 ? o
                        : toMicros(o.toInstant()).atOffset(ZoneOffset.UTC);
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                probes.add(at.atOffset(ZoneOffset.UTC));
                probes.add(at.atOffset(ZoneOffset.ofHoursMinutes(5, 30)));
                probes.add(at.atOffset(ZoneOffset.ofHours(-3)));
            }
        },
        /** A {@code ZonedDateTime}: read back at UTC. */
        ZONED_DATE_TIME {
            @Override
            boolean covers(Object value) {
                return value instanceof ZonedDateTime z && inYears(z.toEpochSecond());
            }

            @Override
            Object stored(Object value) {
                ZonedDateTime z = (ZonedDateTime) value;
                return z.getZone() == ZoneOffset.UTC && z.getNano() % NANOS_PER_MICRO == 0 ? z
                        : ZonedDateTime.ofInstant(toMicros(z.toInstant()), ZoneOffset.UTC);
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                probes.add(at.atZone(ZoneOffset.UTC));
                probes.add(at.atZone(ZoneId.of("Europe/Berlin")));
                probes.add(at.atZone(ZoneId.of("America/Sao_Paulo")));
            }
        },
        /** Every value goes through the local database. */
        ROUND_TRIP {
            @Override
            boolean covers(Object value) {
                return false;
            }

            @Override
            Object stored(Object value) {
                throw new IllegalStateException("a round-trip type has no stored value in Java");
            }

            @Override
            void addProbes(Instant at, List<Object> probes) {
                throw new IllegalStateException("a round-trip type has no probes");
            }
        };

        private static final int NANOS_PER_MICRO = 1_000;
        /** The covered years, 1900 to 9999, as epoch seconds. */
        private static final long FIRST_SECOND = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        /**
         * Just below a microsecond's end and at its half (where truncating instead of rounding half up shows), just
         * below a second's, a day's and a year's end (where rounding carries into them), before 1970 (where rounding
         * toward zero instead of up shows), at a leap day's midnight, at both ends of the covered years, and values
         * with whole milliseconds and whole microseconds (that must come back unchanged).
         */
        static final List<Instant> PROBE_INSTANTS = List.of(
                Instant.parse("2026-03-04T18:26:07.123456789Z"),
                Instant.parse("2025-12-31T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.999500001Z"),
                Instant.parse("1955-06-30T12:00:00.000000001Z"),
                Instant.parse("2000-02-29T00:00:00.000999999Z"),
                Instant.parse("1900-01-01T00:00:00.000000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-01-01T00:00:00.001Z"),
                Instant.parse("2026-03-04T18:26:07.123456500Z"),
                Instant.parse("1969-12-31T23:59:59.999998500Z"),
                Instant.parse("2026-03-04T18:26:07.123456Z"));

        /** @return whether {@link #stored} gives the value's stored form (false for values outside the covered years) */
        abstract boolean covers(Object value);

        /** @return the stored form of a covered value; the value itself if it is already its stored form */
        abstract Object stored(Object value);

        /** Adds the probe values of this type for one probe instant. */
        abstract void addProbes(Instant at, List<Object> probes);

        /** @return {@code value} as a timestamp of whole microseconds; a timestamp that is one already is returned as it is */
        static Timestamp asTimestamp(Date value) {
            if (value instanceof Timestamp t) {
                return t.getNanos() % NANOS_PER_MICRO == 0 ? t : Timestamp.from(toMicros(t.toInstant()));
            }
            // a Date holds whole milliseconds, and is read back as a Timestamp
            return new Timestamp(value.getTime());
        }

        /** @return the instant rounded half up (toward the later instant) to the microsecond */
        static Instant toMicros(Instant instant) {
            int belowMicro = instant.getNano() % NANOS_PER_MICRO;
            if (belowMicro == 0) {
                return instant;
            }
            return instant.minusNanos(belowMicro).plusNanos(belowMicro >= NANOS_PER_MICRO / 2 ? NANOS_PER_MICRO : 0);
        }

        static boolean inYears(long epochSecond) {
            return epochSecond >= FIRST_SECOND && epochSecond <= LAST_SECOND;
        }

        /** @return the computation that may hold for {@code type}, to be verified, or {@link #ROUND_TRIP} */
        static InJava candidateFor(BasicType<?> type) {
            Class<?> javaClass = type.getJavaTypeDescriptor().getJavaTypeClass();
            int sqlType = type.getJdbcType().getDefaultSqlTypeCode();
            boolean timestamp = sqlType == SqlTypes.TIMESTAMP || sqlType == SqlTypes.TIMESTAMP_UTC
                    || sqlType == SqlTypes.TIMESTAMP_WITH_TIMEZONE;
            if (!timestamp) {
                return ROUND_TRIP;
            }
            if (javaClass == Instant.class) {
                return INSTANT;
            }
            if (javaClass == Timestamp.class) {
                return SQL_TIMESTAMP;
            }
            if (javaClass == Date.class) {
                return UTIL_DATE;
            }
            if (javaClass == OffsetDateTime.class) {
                return OFFSET_DATE_TIME;
            }
            if (javaClass == ZonedDateTime.class) {
                return ZONED_DATE_TIME;
            }
            return ROUND_TRIP;
        }
    }
}
