package io.dbcomposite.differential;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OneToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Tuple;
import jakarta.persistence.TupleElement;
import org.hibernate.Hibernate;
import org.hibernate.LazyInitializationException;
import org.hibernate.proxy.HibernateProxy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what an operation returned into one canonical string, so a result of plain Hibernate and one of the composite
 * can be compared with {@code equals}. An entity becomes its class and every field value; a to-one becomes the target's
 * id (never initialized here); a collection its elements (sorted unless it is a {@code List} with an order column, or
 * the caller says the top-level result is ordered). Numbers, dates and enums keep their Java type in the string: both
 * worlds of one comparison read the same database product, so a different type or scale is a real difference.
 *
 * <p>The one substitution: ids generated as random UUIDs differ between two databases by construction, so a UUID
 * is shown as the business key (label) of the row it identifies, registered with {@link #alias}. A UUID nobody
 * registered shows as itself and so makes the comparison fail: a missing alias is a visible test bug.
 */
final class ResultNormaliser {

    private final Map<UUID, String> aliases = new ConcurrentHashMap<>();

    void alias(UUID id, String key) {
        if (id != null) {
            aliases.put(id, key);
        }
    }

    String of(Object value, boolean ordered) {
        if (value instanceof List<?> list && !ordered) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(of(v)));
            parts.sort(null);
            return "unordered" + parts;
        }
        return of(value);
    }

    String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof HibernateProxy proxy && !Hibernate.isInitialized(proxy)) {
            return "uninitialized-ref " + proxy.getHibernateLazyInitializer().getEntityName().replaceAll(".*\\.", "")
                    + "#" + of(proxy.getHibernateLazyInitializer().getInternalIdentifier());
        }
        value = Hibernate.unproxy(value);
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof UUID u) {
            String alias = aliases.get(u);
            return alias == null ? "uuid:" + u : "uuid-of(" + alias + ")";
        }
        if (value instanceof byte[] bytes) {
            return "hex:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Object[] array) {
            List<String> parts = new ArrayList<>();
            for (Object o : array) {
                parts.add(of(o));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        if (value instanceof Tuple tuple) {
            List<String> parts = new ArrayList<>();
            for (TupleElement<?> e : tuple.getElements()) {
                parts.add(e.getAlias() + "=" + of(tuple.get(e)));
            }
            return "tuple(" + String.join(", ", parts) + ")";
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(of(v)));
            return parts.toString();
        }
        if (value instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(v -> parts.add(of(v)));
            parts.sort(null);
            return "set" + parts;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(of(k), of(v)));
            return "map" + sorted;
        }
        Class<?> type = value.getClass();
        if (type.isAnnotationPresent(Entity.class)) {
            return entity(value);
        }
        if (type.isAnnotationPresent(Embeddable.class)) {
            return fields(value);
        }
        if (type.isRecord()) {
            List<String> parts = new ArrayList<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                try {
                    parts.add(rc.getName() + "=" + of(rc.getAccessor().invoke(value)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return type.getSimpleName() + parts;
        }
        if (value instanceof Boolean || value instanceof Enum<?>) {
            return value.toString();
        }
        // numbers, temporals, converted application types: their text and their type
        return value + ":" + type.getSimpleName();
    }

    private String entity(Object entity) {
        return fields(entity);
    }

    private String fields(Object object) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<String> parts = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(object);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                parts.add(f.getName() + "=" + field(f, v));
            }
        }
        return object.getClass().getSimpleName() + "{" + String.join(", ", parts) + "}";
    }

    private String field(Field f, Object v) {
        if (v == null) {
            return "null";
        }
        if (f.isAnnotationPresent(ManyToOne.class) || f.isAnnotationPresent(OneToOne.class)) {
            return "->" + ref(v);
        }
        if (f.isAnnotationPresent(OneToMany.class) || f.isAnnotationPresent(ManyToMany.class)
                || f.isAnnotationPresent(ElementCollection.class)) {
            if (!Hibernate.isInitialized(v)) {
                try {
                    Hibernate.initialize(v);
                } catch (LazyInitializationException e) {
                    return "<not loaded>";
                }
            }
            boolean entities = !f.isAnnotationPresent(ElementCollection.class);
            if (v instanceof Map<?, ?> map) {
                Map<String, String> sorted = new TreeMap<>();
                map.forEach((k, e) -> sorted.put(of(k), entities ? ref(e) : of(e)));
                return "map" + sorted;
            }
            List<String> parts = new ArrayList<>();
            for (Object e : (Collection<?>) v) {
                parts.add(entities ? ref(e) : of(e));
            }
            if (!(v instanceof List<?> && f.isAnnotationPresent(OrderColumn.class))) {
                parts.sort(null);
            }
            return (v instanceof Set<?> ? "set" : "list") + parts;
        }
        return of(v);
    }

    /** An entity reference: its id, read without initializing a proxy. */
    private String ref(Object target) {
        if (target == null) {
            return "null";
        }
        if (target instanceof HibernateProxy proxy) {
            return "#" + of(proxy.getHibernateLazyInitializer().getInternalIdentifier());
        }
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Id.class)) {
                    f.setAccessible(true);
                    try {
                        return "#" + of(f.get(target));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return of(target);
    }
}
