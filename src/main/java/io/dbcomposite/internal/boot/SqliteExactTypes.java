package io.dbcomposite.internal.boot;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * Makes the local SQLite side keep values exactly as the remote does: decimals with every digit and the column's
 * scale ({@link SqliteDecimalJdbcType}), timestamps with microseconds ({@link SqliteMicrosTimestamps}), a time of day without a date
 * ({@link SqliteTimeOfDay}), a floating
 * point NaN as NaN, not NULL ({@link SqliteNotANumber}).
 *
 * <p>A {@code TypeContributor} service, as {@link SqliteLobTypes}: it does something only on a side whose settings
 * carry {@link #SETTING} as {@code true}, which {@link SideFactoryBuilder} puts on the SQLite local side alone; the
 * remote, and plain Hibernate on the same class path, are left as they are. A {@code @JdbcTypeCode} or a converter on
 * an attribute still wins, and {@code false} for the setting turns it off (the local side then keeps SQLite
 * dialect's own forms: decimals as REAL, timestamps with milliseconds).
 */
public final class SqliteExactTypes implements TypeContributor {

    /**
     * The setting that turns this on for a side's SessionFactory; for the local side of a unit it is
     * {@code dbcomposite.local.hibernate.}{@code dbcomposite.sqlite_exact_values}.
     */
    public static final String SETTING = "hibernate.dbcomposite.sqlite_exact_values";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        if (!SideSettings.on(serviceRegistry, SETTING)) {
            return;
        }
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        registry.addDescriptor(SqlTypes.DECIMAL, SqliteDecimalJdbcType.INSTANCE);
        registry.addDescriptor(SqlTypes.NUMERIC, SqliteDecimalJdbcType.NUMERIC);
        registry.addDescriptor(SqlTypes.TIMESTAMP, SqliteMicrosTimestamps.Local.INSTANCE);
        registry.addDescriptor(SqlTypes.TIMESTAMP_UTC, SqliteMicrosTimestamps.Utc.INSTANCE);
        registry.addDescriptor(SqlTypes.TIME, SqliteTimeOfDay.INSTANCE);
        registry.addDescriptor(SqlTypes.DOUBLE, SqliteNotANumber.Double.INSTANCE);
        registry.addDescriptor(SqlTypes.FLOAT, SqliteNotANumber.Float.INSTANCE);
        registry.addDescriptor(SqlTypes.REAL, SqliteNotANumber.Real.INSTANCE);
    }

    // TypeContributor.ordinal() exists from Hibernate 7.3 on; without @Override this compiles against 7.2 too
    public int ordinal() {
        return Integer.MIN_VALUE;
    }
}
