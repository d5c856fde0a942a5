package io.dbcomposite.internal.apply;

import io.dbcomposite.internal.capture.SnapshotCodec;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.type.CollectionType;
import org.hibernate.type.ComponentType;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The rows a state refers to by foreign key: to-one associations (in embeddables too), the elements of owned entity
 * collections (join-table rows), the to-ones inside the embeddables of element collections and the entity keys of
 * maps; inverse ({@code mappedBy}) sides hold no key and are skipped.
 */
public final class References {

    private References() {
    }

    /** @return the row of an entity, as the sync log names it */
    public static RowRef rowOf(EntityPersister persister, Object id, SharedSessionContractImplementor session) {
        EntityPersister root = session.getFactory().getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
        return new RowRef(root.getJpaEntityName(), SnapshotCodec.encodeId(root, id, session));
    }

    /**
     * Adds to {@code out} every row an entity's id and {@code state} (by {@code persister}'s property order) refer to:
     * a to-one that is the id or part of it (derived identity) as well as those of the state.
     *
     * @param id the entity's id, or null when only the state is looked at
     */
    public static void collect(EntityPersister persister, Object id, Object[] state, SharedSessionContractImplementor session,
                               Set<RowRef> out) {
        if (id != null && canRefer(persister.getIdentifierType(), session.getFactory())) {
            collectValue(persister.getIdentifierType(), id, session, out);
        }
        collect(persister, state, session, out);
    }

    /** Adds to {@code out} every row {@code state} (by {@code persister}'s property order) refers to. */
    public static void collect(EntityPersister persister, Object[] state, SharedSessionContractImplementor session, Set<RowRef> out) {
        if (state == null) {
            return;
        }
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length && i < state.length; i++) {
            collectValue(types[i], state[i], session, out);
        }
    }

    /**
     * @return whether a value of this type can refer to rows {@link #collect} reports: a to-one, an embeddable holding
     *     one, or an owned collection whose elements or map keys can (entities, embeddables holding a to-one). A
     *     collection of basic values with basic keys cannot: a replay need not decode such an entity's changes to order
     *     them
     */
    public static boolean canRefer(Type type, org.hibernate.engine.spi.SessionFactoryImplementor factory) {
        if (type instanceof EntityType) {
            return true;
        }
        if (type instanceof ComponentType component) {
            for (Type subtype : component.getSubtypes()) {
                if (canRefer(subtype, factory)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof CollectionType collection) {
            return refersThrough(factory.getMappingMetamodel().getCollectionDescriptor(collection.getRole()), factory);
        }
        return false;
    }

    /** @return whether an entity's id or state can refer to rows {@link #collect} reports */
    public static boolean canRefer(EntityPersister persister) {
        org.hibernate.engine.spi.SessionFactoryImplementor factory = persister.getFactory();
        if (canRefer(persister.getIdentifierType(), factory)) {
            return true;
        }
        for (Type type : persister.getPropertyTypes()) {
            if (canRefer(type, factory)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the rows of an owned collection can hold a key of another row (in its elements or map keys) */
    public static boolean refersThrough(CollectionPersister persister, org.hibernate.engine.spi.SessionFactoryImplementor factory) {
        return !persister.isInverse() && (canRefer(persister.getElementType(), factory)
                || persister.hasIndex() && canRefer(persister.getIndexType(), factory));
    }

    /**
     * Adds to {@code out} every row the rows of a collection refer to: its entity elements, the to-ones inside its
     * embeddable elements, its entity (or embeddable) map keys. An uninitialized collection or an inverse one adds nothing.
     */
    public static void collectCollection(CollectionPersister persister, Object value, SharedSessionContractImplementor session,
                                         Set<RowRef> out) {
        if (value == null || value instanceof PersistentCollection<?> pc && !pc.wasInitialized()
                || !refersThrough(persister, session.getFactory())) {
            return;
        }
        if (value instanceof PersistentCollection<?> pc && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
            value = pc.getValue(); // an array's holder
        }
        Type element = persister.getElementType();
        Type index = persister.hasIndex() ? persister.getIndexType() : null;
        boolean keys = index != null && canRefer(index, session.getFactory());
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (keys) {
                    collectValue(index, e.getKey(), session, out);
                }
                collectValue(element, e.getValue(), session, out);
            }
        } else if (value instanceof Collection<?> elements) {
            for (Object e : elements) {
                collectValue(element, e, session, out);
            }
        } else if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            for (Object e : (Object[]) value) {
                collectValue(element, e, session, out);
            }
        }
    }

    /**
     * @return the id of a to-one's value: of the target or its proxy; the value itself where a to-one inside an id class
     *     holds the target's id; null for anything else (a lazy attribute not fetched, which changed nothing)
     */
    private static Object idOf(EntityPersister target, Object value, SharedSessionContractImplementor session) {
        if (value instanceof HibernateProxy proxy) {
            return proxy.getHibernateLazyInitializer().getInternalIdentifier();
        }
        if (target.getMappedClass().isInstance(value)) {
            return target.getIdentifier(value, session);
        }
        return target.getIdentifierType().getReturnedClass().isInstance(value) ? value : null;
    }

    private static void collectValue(Type type, Object value, SharedSessionContractImplementor session, Set<RowRef> out) {
        if (value == null) {
            return;
        }
        if (type instanceof EntityType entity) {
            EntityPersister target = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity.getAssociatedEntityName());
            Object id = idOf(target, value, session);
            if (id != null) {
                out.add(rowOf(target, id, session));
            }
        } else if (type instanceof ComponentType component) {
            Object[] values = component.getPropertyValues(value);
            Type[] subtypes = component.getSubtypes();
            for (int i = 0; i < subtypes.length; i++) {
                collectValue(subtypes[i], values[i], session, out);
            }
        } else if (type instanceof CollectionType collection) {
            collectCollection(session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole()),
                    value, session, out);
        }
    }
}
