package io.dbcomposite.internal.boot;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.engine.jdbc.ClobImplementer;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.DateJavaType;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.ClobJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;
import org.hibernate.type.descriptor.java.MutabilityPlan;
import org.hibernate.type.descriptor.java.MutableMutabilityPlan;

import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Date;

/**
 * Types that make Hibernate ORM 7.2 keep and bind values as Hibernate ORM 7.4 does, where 7.2 made the two databases
 * of a unit differ or failed where 7.4 does not. Each is 7.4's own behaviour:
 *
 * <ul>
 * <li>the copies Hibernate keeps of a {@code java.util.Date} attribute's value (the state a session
 * loaded, which the capture sends as a change's before-image) keep what the value is, as Hibernate ORM 7.4 keeps it:
 * a {@code java.sql.Timestamp} with its nanoseconds, a {@code java.sql.Time}, a {@code java.sql.Date}. 7.2 copies any
 * of them into a plain {@code Date} of the same millisecond: a timestamp read back with microseconds had a
 * before-image of milliseconds, which the remote row (with the microseconds) no longer matched, and the replay of
 * its next update was refused as a conflict that never happened ({@link ExactCopies});</li>
 * <li>a {@code java.sql.Clob} that is not Hibernate's own (a {@code SerialClob}, another driver's) is bound as a
 * character stream where the dialect binds LOBs as streams (H2): 7.2 failed the flush with a
 * {@code ClassCastException} ({@code CharArrayReader} is not a {@code CharacterStream}) ({@link StreamedClobs}).</li>
 * </ul>
 *
 * <p>A {@code TypeContributor} service acting on a side whose settings carry {@link #SETTING} as {@code true}
 * ({@link SideFactoryBuilder} puts it on both sides), and only on Hibernate ORM before 7.4.
 */
public final class Hibernate72Types implements TypeContributor {

    /** The setting that turns this on for a side's SessionFactory. */
    public static final String SETTING = "hibernate.dbcomposite.hibernate72_types";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        if (HibernateVersion.runningAtLeast(4)) {
            return;
        }
        if (!SideSettings.on(serviceRegistry, SETTING)) {
            return;
        }
        contributions.contributeJavaType(ExactCopies.INSTANCE);
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        if (registry.getDescriptor(SqlTypes.CLOB) == ClobJdbcType.DEFAULT) {
            registry.addDescriptor(SqlTypes.CLOB, StreamedClobs.INSTANCE);
        }
    }

    // TypeContributor.ordinal() exists from Hibernate 7.3 on; without @Override this compiles against 7.2 too
    public int ordinal() {
        return Integer.MIN_VALUE;
    }

    /** Hibernate's {@code java.util.Date} type, with copies that keep the value's class and nanoseconds. */
    static final class ExactCopies extends DateJavaType {
        static final ExactCopies INSTANCE = new ExactCopies();

        @Override
        public MutabilityPlan<Date> getMutabilityPlan() {
            return Plan.INSTANCE;
        }
    }

    /** Hibernate's default {@code CLOB} type, binding a {@code Clob} that is not Hibernate's own as 7.4 does. */
    static final class StreamedClobs extends ClobJdbcType {
        static final StreamedClobs INSTANCE = new StreamedClobs();

        @Override
        public String toString() {
            return "ClobTypeDescriptor(DEFAULT, any Clob streamed)";
        }

        @Override
        public Class<?> getPreferredJavaTypeClass(WrapperOptions options) {
            return ClobJdbcType.DEFAULT.getPreferredJavaTypeClass(options);
        }

        @Override
        protected <X> BasicBinder<X> getClobBinder(JavaType<X> javaType) {
            ValueBinder<X> standard = ClobJdbcType.DEFAULT.getBinder(javaType);
            return new BasicBinder<>(javaType, this) {
                @Override
                protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                    if (streamed(value, options)) {
                        Clob clob = (Clob) value;
                        st.setCharacterStream(index, clob.getCharacterStream(), clob.length());
                    } else {
                        standard.bind(st, value, index, options);
                    }
                }

                @Override
                protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                    if (streamed(value, options)) {
                        Clob clob = (Clob) value;
                        st.setCharacterStream(name, clob.getCharacterStream(), clob.length());
                    } else {
                        standard.bind(st, value, name, options);
                    }
                }
            };
        }

        private static boolean streamed(Object value, WrapperOptions options) {
            return value instanceof Clob && !(value instanceof ClobImplementer) && options.useStreamForLobBinding();
        }
    }

    static final class Plan extends MutableMutabilityPlan<Date> {
        static final Plan INSTANCE = new Plan();

        @Override
        protected Date deepCopyNotNull(Date value) {
            if (value instanceof java.sql.Timestamp timestamp) {
                java.sql.Timestamp copy = new java.sql.Timestamp(timestamp.getTime());
                copy.setNanos(timestamp.getNanos());
                return copy;
            }
            if (value instanceof java.sql.Time) {
                return new java.sql.Time(value.getTime());
            }
            if (value instanceof java.sql.Date) {
                return new java.sql.Date(value.getTime());
            }
            return new Date(value.getTime());
        }
    }
}
