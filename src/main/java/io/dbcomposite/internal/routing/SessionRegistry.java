package io.dbcomposite.internal.routing;

import org.hibernate.engine.spi.SharedSessionContractImplementor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the unit of work of the composite entity manager that owns a session, so listeners fired inside
 * that session know where to put what must reach the other side. Sessions opened outside the facade are
 * not registered and are left alone.
 */
final class SessionRegistry {

    private final ConcurrentHashMap<Object, Registration> bySession = new ConcurrentHashMap<>();

    record Registration(Side side, UnitOfWork work) {
    }

    void register(SharedSessionContractImplementor session, Side side, UnitOfWork work) {
        bySession.put(session, new Registration(side, work));
    }

    void unregister(SharedSessionContractImplementor session) {
        bySession.remove(session);
    }

    Registration lookup(SharedSessionContractImplementor session) {
        return session == null ? null : bySession.get(session);
    }
}
