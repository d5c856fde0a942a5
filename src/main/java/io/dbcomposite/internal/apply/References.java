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
 * The rows a state refers to by foreign key: to-one associations (in embeddables too) and the elements of owned
 * entity collections (join-table rows); inverse ({@code mappedBy}) sides hold no key and are skipped.
 */
public final class References {

    private References() {
    }

    /** @return the row of an entity, as the sync log names it */
    public static RowRef rowOf(EntityPersister persister, Object id, SharedSessionContractImplementor session) {
        EntityPersister root = session.getFactory().getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
        return new RowRef(root.getJpaEntityName(), SnapshotCodec.encodeId(root, id, session));
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
     * @return whether a value of this type can refer to rows {@link #collect} reports: a to-one, an owned collection of
     *     entities, or an embeddable holding one. An element collection is not looked into, of basic values or of
     *     embeddables alike (nor a map's keys): a replay need not decode its changes to order them, since the batched
     *     replay writes collection rows after the batch's entity rows
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
            CollectionPersister persister = factory.getMappingMetamodel().getCollectionDescriptor(collection.getRole());
            return !persister.isInverse() && persister.getElementType().isEntityType();
        }
        return false;
    }

    private static void collectValue(Type type, Object value, SharedSessionContractImplementor session, Set<RowRef> out) {
        if (value == null) {
            return;
        }
        if (type instanceof EntityType entity) {
            EntityPersister target = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity.getAssociatedEntityName());
            Object id = value instanceof HibernateProxy proxy ? proxy.getHibernateLazyInitializer().getInternalIdentifier()
                    : target.getIdentifier(value, session);
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
            if (value instanceof PersistentCollection<?> pc && !pc.wasInitialized()) {
                return;
            }
            CollectionPersister persister = session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole());
            if (persister.isInverse() || !persister.getElementType().isEntityType()) {
                return;
            }
            Collection<?> elements = value instanceof Map<?, ?> map ? map.values() : value instanceof Collection<?> c ? c : null;
            if (elements != null) {
                for (Object element : elements) {
                    collectValue(persister.getElementType(), element, session, out);
                }
            }
        }
    }
}
