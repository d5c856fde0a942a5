package io.dbcomposite.internal.routing;

import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.internal.remote.ConnectionFailures;
import io.dbcomposite.internal.remote.RemoteAvailability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads routed to the remote report a lost remote as {@link RemoteUnavailableException}, also when the connection
 * dies in the middle of a statement (the guarded data source covers only getting one): finds directly, queries
 * through a proxy that translates what their execution throws.
 */
final class RemoteCalls {

    private RemoteCalls() {
    }

    /** @return a RemoteUnavailableException for a connection failure (the outage noted), else the failure itself */
    static RuntimeException translate(RuntimeException e, RemoteAvailability availability) {
        if (e instanceof RemoteUnavailableException || !ConnectionFailures.isConnectionFailure(e)) {
            return e;
        }
        availability.failed(e, false);
        return availability.unavailable("Lost the remote database " + availability.remoteName() + " during a read: "
                + Failures.rootMessage(e), e);
    }

    /** @return the query, its every call translating a lost remote; calls returning the query return the proxy */
    static <Q> Q query(Q query, RemoteAvailability availability) {
        return query(query, availability, null);
    }

    /** The calls that run a query (and so flush first in {@code FlushModeType.AUTO}). */
    private static final Set<String> EXECUTIONS = Set.of("getResultList", "getSingleResult", "getSingleResultOrNull",
            "getResultStream", "getResultCount", "getKeyedResultList", "executeUpdate", "list", "stream", "scroll",
            "uniqueResult", "uniqueResultOptional");

    /**
     * @param beforeRun run before each call that executes the query, or null
     * @return the query, its every call translating a lost remote; calls returning the query return the proxy
     */
    @SuppressWarnings("unchecked")
    static <Q> Q query(Q query, RemoteAvailability availability, Runnable beforeRun) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = query.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                collect(i, interfaces);
            }
        }
        interfaces.removeIf(i -> !java.lang.reflect.Modifier.isPublic(i.getModifiers()));
        Object[] proxy = new Object[1];
        InvocationHandler handler = (self, method, args) -> {
            if (beforeRun != null && EXECUTIONS.contains(method.getName())) {
                beforeRun.run();
            }
            return invoke(query, proxy[0], method, args, availability);
        };
        proxy[0] = Proxy.newProxyInstance(query.getClass().getClassLoader(), interfaces.toArray(new Class<?>[0]), handler);
        return (Q) proxy[0];
    }

    private static void collect(Class<?> type, Set<Class<?>> out) {
        if (out.add(type)) {
            for (Class<?> parent : type.getInterfaces()) {
                collect(parent, out);
            }
        }
    }

    private static Object invoke(Object target, Object proxy, Method method, Object[] args, RemoteAvailability availability)
            throws Throwable {
        if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
            return proxy == args[0];
        }
        if (method.getDeclaringClass() == Object.class && method.getName().equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        try {
            Object result = method.invoke(target, args);
            return result == target ? proxy : result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? translate(r, availability) : cause;
        }
    }
}
