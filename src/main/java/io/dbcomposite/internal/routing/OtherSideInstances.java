package io.dbcomposite.internal.routing;

import org.hibernate.Interceptor;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SessionImplementor;

import java.util.function.Supplier;

/**
 * Tells one side's session that an instance the other side's session of the same entity manager manages is not new.
 * An entity held by the local session until commit (or cascaded there) may refer to an instance the remote session
 * loaded, a {@code Jar} on a {@code Shelf} read from the remote: Hibernate finds no row of it in the local database and
 * would refuse the flush with {@code TransientPropertyValueException}, although the row exists where the reference is
 * written. Installed only where the unit configures no interceptor of its own (which it then leaves alone).
 */
final class OtherSideInstances implements Interceptor {

    private final Supplier<SessionImplementor> otherSide;

    private OtherSideInstances(Supplier<SessionImplementor> otherSide) {
        this.otherSide = otherSide;
    }

    /** @return the interceptor for a session of {@code factory}, or null if the unit configures one of its own */
    static Interceptor forSessionOf(SessionFactory factory, Supplier<SessionImplementor> otherSide) {
        Interceptor configured = ((SessionFactoryImplementor) factory).getSessionFactoryOptions().getInterceptor();
        // Hibernate's own no-op interceptor, if it gives one, is no interceptor of the unit's
        return configured == null || configured.getClass().getName().startsWith("org.hibernate.")
                ? new OtherSideInstances(otherSide) : null;
    }

    @Override
    public Boolean isTransient(Object entity) {
        return manages(entity) ? Boolean.FALSE : null; // else Hibernate decides, as without an interceptor
    }

    /** @return the other side's session of the same entity manager, or null if it is not open */
    SessionImplementor otherSession() {
        SessionImplementor other = otherSide.get();
        return other != null && other.isOpen() ? other : null;
    }

    /** @return whether the other side's session manages this instance */
    boolean manages(Object entity) {
        SessionImplementor other = otherSide.get();
        return entity != null && other != null && other.isOpen() && other.getPersistenceContextInternal().isEntryFor(entity);
    }
}
