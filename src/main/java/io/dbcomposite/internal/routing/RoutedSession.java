package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeRoutingException;
import jakarta.persistence.EntityManager;
import org.hibernate.CacheMode;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionImplementor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * What {@code unwrap(Session.class)} (or {@code SessionImplementor}, {@code SharedSessionContract}) of a composite entity
 * manager gives: a Hibernate session that routes what it can and refuses the rest, so that no call silently reads or
 * writes the wrong database.
 * <ul>
 *   <li>Every {@link EntityManager} method goes to the composite entity manager, routed as there.</li>
 *   <li>Native calls on one managed instance ({@code isReadOnly(entity)}, {@code evict}, ...) go to the session managing it.</li>
 *   <li>Native loads by entity class ({@code get}, {@code byId}, {@code byNaturalId}, ...) go to the class's read side;
 *       {@code createSelectionQuery} and {@code createMutationQuery} of HQL are routed like {@code createQuery}.</li>
 *   <li>Session state ({@code setHibernateFlushMode}, {@code setDefaultReadOnly}, {@code setCacheMode}) is set on both
 *       sides; its getters, the JDBC coordinator and the session factory are the local side's. This is what Spring's
 *       {@code HibernateJpaDialect} uses, so its transactions, read-only flags and JDBC connection exposure (of the
 *       local database) work.</li>
 *   <li>Anything else is refused with a {@link CompositeRoutingException} naming {@code local()} and {@code remote()}.</li>
 * </ul>
 */
final class RoutedSession implements InvocationHandler {

    /** Native calls whose first argument is a managed instance: they belong to the session managing it. */
    private static final Set<String> ON_INSTANCE = Set.of("isReadOnly", "setReadOnly", "evict", "getEntityName",
            "getIdentifier", "getCurrentLockMode");
    /** Native loads whose first argument is the entity class: they go to its read side. */
    private static final Set<String> BY_CLASS = Set.of("get", "byId", "byMultipleIds", "byNaturalId", "bySimpleNaturalId",
            "findMultiple");
    /** Getters of the session's own state or services, answered by the local session. */
    private static final Set<String> LOCAL_STATE = Set.of("getHibernateFlushMode", "isDefaultReadOnly", "getCacheMode",
            "getJdbcCoordinator", "isConnected", "getFactory", "getSessionFactory", "getTenantIdentifier",
            "getTenantIdentifierValue", "getJdbcServices", "getSessionIdentifier");

    private final CompositeEntityManagerImpl em;

    private RoutedSession(CompositeEntityManagerImpl em) {
        this.em = em;
    }

    /** @return the routed session of the entity manager */
    static SessionImplementor of(CompositeEntityManagerImpl em) {
        return (SessionImplementor) Proxy.newProxyInstance(RoutedSession.class.getClassLoader(),
                new Class<?>[] {SessionImplementor.class}, new RoutedSession(em));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        Object[] a = args == null ? new Object[0] : args;
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> proxy == a[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "RoutedSession of " + em;
            };
        }
        switch (name) {
            case "setHibernateFlushMode" -> {
                em.setHibernateFlushMode((FlushMode) a[0]);
                return null;
            }
            case "setDefaultReadOnly" -> {
                em.setDefaultReadOnly((Boolean) a[0]);
                return null;
            }
            case "setCacheMode" -> {
                em.setCacheMode((CacheMode) a[0]);
                return null;
            }
            default -> {
                // answered below
            }
        }
        Method onManager = entityManagerMethod(method);
        if (onManager != null) {
            return fitting(method, call(onManager, em, a));
        }
        if (a.length > 0 && a[0] instanceof String hql && (name.equals("createSelectionQuery") && a.length == 1
                || name.equals("createMutationQuery") && a.length == 1)) {
            return fitting(method, em.createQuery(hql)); // routed (and its result is Hibernate's query either way)
        }
        if (name.equals("createSelectionQuery") && a.length == 2 && a[0] instanceof String hql && a[1] instanceof Class<?> type) {
            return fitting(method, em.createQuery(hql, type));
        }
        if (LOCAL_STATE.contains(name) && a.length == 0) {
            return call(method, em.localSession(), a);
        }
        if (ON_INSTANCE.contains(name) && a.length > 0 && a[0] != null && !(a[0] instanceof String)) {
            return call(method, em.sessionOf(a[0]), a);
        }
        if (BY_CLASS.contains(name) && a.length > 0 && a[0] instanceof Class<?> type) {
            return call(method, em.readSessionOf(type), a);
        }
        throw refused(method);
    }

    /** @return the result, if it is what the session method promises (else the call is refused) */
    private static Object fitting(Method method, Object result) {
        if (result == null || method.getReturnType().isPrimitive() || method.getReturnType().isInstance(result)) {
            return result;
        }
        throw refused(method);
    }

    /** @return the EntityManager method of the same signature, or null */
    private static Method entityManagerMethod(Method method) {
        try {
            return EntityManager.class.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException notJpa) {
            return null;
        }
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static CompositeRoutingException refused(Method method) {
        String call = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        return new CompositeRoutingException("The session unwrapped from a composite entity manager does not route "
                + call + ": it would run on one of the two databases without regard to where the entities are read."
                + " Call it on the session of one side: ((CompositeEntityManager) em).local().unwrap(" + Session.class.getSimpleName()
                + ".class) or .remote().unwrap(" + Session.class.getSimpleName() + ".class); or use the EntityManager"
                + " methods (find, createQuery, ...), which are routed");
    }
}
