package io.dbcomposite.internal.capture;

import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.BasicType;
import org.hibernate.type.ComponentType;
import org.hibernate.type.Type;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The temporal values of an entity state as the local database holds them, which is what a re-read of the entity
 * from the local side returns, not what the instance holds in memory.
 *
 * <p>The two differ: SQLite keeps timestamps as text with milliseconds while an instance may hold nanoseconds;
 * Hibernate rounds a {@code LocalTime} to milliseconds and drops the fraction of an {@code OffsetTime} on the way to
 * the driver; a {@code Calendar} is written in its own zone and read back in the JDBC time zone. A change replayed
 * (or mirrored) with the in-memory values would give the remote another value than the local row has. So each
 * temporal value goes through the local side's own JDBC binding and extraction once, as a {@code select ?} on the
 * transaction's connection: the driver formats it exactly as it formatted the row and parses it back as a re-read
 * would. One statement serves all the temporal values of a state; a state without any costs no statement.
 */
public final class StoredValues {

    private StoredValues() {
    }

    /**
     * @param persister the local persister
     * @param state the state the local side just wrote (or writes now)
     * @param session a local session; its connection runs the round trip
     * @return {@code state} itself if it holds no temporal value, else a copy with each temporal value (embeddables'
     *     too) as the local database returns it
     */
    public static Object[] asStored(EntityPersister persister, Object[] state, SharedSessionContractImplementor session) {
        if (state == null) {
            return null;
        }
        Type[] types = persister.getPropertyTypes();
        int present = count(types, state);
        if (present == 0) {
            return state;
        }
        StringBuilder sql = new StringBuilder("select ?");
        sql.append(", ?".repeat(present - 1));
        Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(types, state, ps, new int[] {1}, session);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return readBack(types, state, rs, new int[] {1}, session);
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot read back the time values of entity '" + persister.getEntityName()
                    + "' as the local database stores them", e);
        }
    }

    /** @return how many temporal values {@code values} holds, those of embeddables included */
    private static int count(Type[] types, Object[] values) {
        int n = 0;
        for (int i = 0; i < types.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (isTemporal(types[i])) {
                n++;
            } else if (types[i] instanceof ComponentType component) {
                n += count(component.getSubtypes(), component.getPropertyValues(values[i]));
            }
        }
        return n;
    }

    private static void bind(Type[] types, Object[] values, PreparedStatement ps, int[] at,
                             SharedSessionContractImplementor session) throws SQLException {
        for (int i = 0; i < types.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (isTemporal(types[i])) {
                bind((BasicType<?>) types[i], ps, values[i], at[0]++, session);
            } else if (types[i] instanceof ComponentType component) {
                bind(component.getSubtypes(), component.getPropertyValues(values[i]), ps, at, session);
            }
        }
    }

    /**
     * @return a copy of {@code values} with each temporal value as the database returned it; an embeddable that holds
     *     one is copied first (the entity's own instance is left as it is)
     */
    private static Object[] readBack(Type[] types, Object[] values, ResultSet rs, int[] at,
                                     SharedSessionContractImplementor session) throws SQLException {
        Object[] out = values.clone();
        for (int i = 0; i < types.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (isTemporal(types[i])) {
                out[i] = ((BasicType<?>) types[i]).getJdbcValueExtractor().extract(rs, at[0]++, session);
            } else if (types[i] instanceof ComponentType component) {
                Object[] parts = component.getPropertyValues(values[i]);
                if (count(component.getSubtypes(), parts) > 0) {
                    Object copy = component.deepCopy(values[i], session.getFactory());
                    out[i] = component.replacePropertyValues(copy, readBack(component.getSubtypes(), parts, rs, at, session),
                            session);
                }
            }
        }
        return out;
    }

    /**
     * @param version a {@code @Version} value of {@code persister}'s entity, or null
     * @return the version as the local database holds it (a timestamp version in milliseconds)
     */
    public static Object versionAsStored(EntityPersister persister, Object version, SharedSessionContractImplementor session) {
        if (version == null || version instanceof Number || !persister.isVersioned()) {
            return version;
        }
        Object[] state = new Object[persister.getPropertyTypes().length];
        state[persister.getVersionPropertyIndex()] = version;
        return asStored(persister, state, session)[persister.getVersionPropertyIndex()];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bind(BasicType<?> type, PreparedStatement ps, Object value, int index,
                             SharedSessionContractImplementor session) throws SQLException {
        ((org.hibernate.type.descriptor.ValueBinder) type.getJdbcValueBinder()).bind(ps, value, index, session);
    }

    /** A plain (unconverted) attribute the database keeps as a date, time or timestamp. */
    private static boolean isTemporal(Type type) {
        return type instanceof BasicType<?> basic && basic.getValueConverter() == null && basic.getJdbcType().isTemporal();
    }
}
