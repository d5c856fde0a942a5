package io.dbcomposite.internal.boot;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.descriptor.java.DateJavaType;
import org.hibernate.type.descriptor.java.MutabilityPlan;
import org.hibernate.type.descriptor.java.MutableMutabilityPlan;

import java.util.Date;

/**
 * On Hibernate ORM 7.2, the copies Hibernate keeps of a {@code java.util.Date} attribute's value (the state a session
 * loaded, which the capture sends as a change's before-image) keep what the value is, as Hibernate ORM 7.4 keeps it:
 * a {@code java.sql.Timestamp} with its nanoseconds, a {@code java.sql.Time}, a {@code java.sql.Date}. 7.2 copies any
 * of them into a plain {@code Date} of the same millisecond: a timestamp read back with microseconds had a
 * before-image of milliseconds, which the remote row (with the microseconds) no longer matched, and the replay of
 * its next update was refused as a conflict that never happened.
 *
 * <p>A {@code TypeContributor} service acting on a side whose settings carry {@link #SETTING} as {@code true}
 * ({@link SideFactoryBuilder} puts it on both sides), and only on Hibernate ORM before 7.4: it puts a
 * {@link DateJavaType} with that copy in place of Hibernate's for {@code java.util.Date}.
 */
public final class DateStateCopies implements TypeContributor {

    /** The setting that turns this on for a side's SessionFactory. */
    public static final String SETTING = "hibernate.dbcomposite.date_state_copies";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        if (HibernateVersion.runningAtLeast(4)) {
            return;
        }
        ConfigurationService configuration = serviceRegistry.getService(ConfigurationService.class);
        Object on = configuration == null ? null : configuration.getSettings().get(SETTING);
        if (on == null || !Boolean.parseBoolean(on.toString())) {
            return;
        }
        contributions.contributeJavaType(ExactCopies.INSTANCE);
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
