package io.dbcomposite.internal.apply;

import org.hibernate.StatelessSession;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.type.CollectionType;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The columns a one-to-many keeps in its elements' rows, which no state of the elements holds: the key column of a
 * unidirectional one-to-many and the order column of an inverse list. Hibernate writes them once the element rows of
 * its flush exist, while a change of the owner can come before its new elements in the sync log (an owner persisted
 * with its children). So a replay writes them after the last change of the local transaction, from the owner's last
 * state in it; a change of another transaction ({@link #endTransaction}) or the end of the apply writes them.
 */
public final class AssociationWrites {

    private record Write(String role, Object ownerId, List<Object> elementIds, List<Object> mapKeys) {
    }

    private final SessionFactoryImplementor target;
    /** By role and owner: the owner's latest state of each such collection in the current transaction. */
    private final Map<List<Object>, Write> pending = new LinkedHashMap<>();
    private String txId;

    /** @param target the side written to */
    public AssociationWrites(SessionFactoryImplementor target) {
        this.target = target;
    }

    /** Writes what the previous local transaction left, if {@code nextTxId} is another one. */
    public void beforeChangeOf(String nextTxId, StatelessSession session) {
        if (!Objects.equals(txId, nextTxId)) {
            endTransaction(session);
            txId = nextTxId;
        }
    }

    /** Keeps the columns of such collections a change's state holds (collections it left out did not change). */
    public void collect(EntityPersister persister, Object ownerId, Object[] state, SharedSessionContractImplementor session) {
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] instanceof CollectionType ct) {
                CollectionPersister cp = target.getMappingMetamodel().getCollectionDescriptor(ct.getRole());
                if (keptInElements(cp) && !(state[i] instanceof PersistentCollection<?> pc && !pc.wasInitialized())) {
                    List<Object> mapKeys = state[i] instanceof Map<?, ?> map ? new ArrayList<>(map.keySet()) : null;
                    pending.put(List.of(ct.getRole(), ownerId),
                            new Write(ct.getRole(), ownerId, elementIds(cp, state[i], session), mapKeys));
                }
            }
        }
    }

    /**
     * An owner row is deleted: what its collections would still write is dropped, and the rows a unidirectional
     * one-to-many points at it with stop doing so first, as Hibernate's own delete does (else the remote's foreign key
     * refuses the delete).
     */
    public void beforeDelete(EntityPersister persister, Object ownerId, StatelessSession session) {
        for (Type type : persister.getPropertyTypes()) {
            if (type instanceof CollectionType ct) {
                CollectionPersister cp = target.getMappingMetamodel().getCollectionDescriptor(ct.getRole());
                if (keptInElements(cp)) {
                    pending.remove(List.of(ct.getRole(), ownerId));
                    if (!cp.isInverse()) {
                        RowApplier.applyKeys(session, target, ct.getRole(), ownerId, List.of(), null);
                    }
                }
            }
        }
    }

    /** Writes what the current transaction left. */
    public void endTransaction(StatelessSession session) {
        for (Write w : pending.values()) {
            RowApplier.applyKeys(session, target, w.role(), w.ownerId(), w.elementIds(), w.mapKeys());
        }
        pending.clear();
    }

    /** @return true for a one-to-many whose columns are in its elements' rows: unidirectional, or an inverse ordered list */
    public static boolean keptInElements(CollectionPersister cp) {
        return cp.isOneToMany() && cp.getElementType().isEntityType() && (!cp.isInverse() || cp.hasIndex());
    }

    private List<Object> elementIds(CollectionPersister cp, Object collection, SharedSessionContractImplementor session) {
        List<Object> ids = new ArrayList<>();
        Collection<?> elements = collection instanceof Map<?, ?> map ? map.values()
                : collection instanceof Collection<?> c ? c : List.of();
        EntityPersister element = target.getMappingMetamodel()
                .getEntityDescriptor(((EntityType) cp.getElementType()).getAssociatedEntityName());
        for (Object e : elements) {
            ids.add(e == null ? null : e instanceof HibernateProxy proxy ? proxy.getHibernateLazyInitializer().getInternalIdentifier()
                    : element.getIdentifier(e, session));
        }
        return ids;
    }
}
