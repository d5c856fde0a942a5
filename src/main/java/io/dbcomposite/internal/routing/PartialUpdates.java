package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeRoutingException;
import org.hibernate.StatelessSession;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.CollectionType;
import org.hibernate.type.ComponentType;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The update of a row through an instance another side loaded: a locally written entity reached from a remote-only one
 * (a {@code Dog}'s {@code home}) is loaded by the remote session, from a remote row that may lag the local one by
 * changes not yet synced. Such an update sets, on the local row, only what it changed (see {@link PendingWrite#changed}),
 * as the same change made through an instance loaded locally would: the row's other properties, the other parts of an
 * embeddable, and the elements a set or bag gained or lost locally meanwhile stay. A list or map changed on both sides
 * cannot be combined without losing one change and is refused; a row gone meanwhile fails as plain Hibernate's update
 * of a deleted row does.
 */
final class PartialUpdates {

    private PartialUpdates() {
    }

    /** In the base state of a partial update, the contents a collection changed in place held when it was loaded. */
    record Loaded(Object contents) {
    }

    /** In a base, a collection inside an embeddable that was replaced: written whole. */
    enum Whole { COLLECTION }

    /**
     * In the base of a partial update, an embeddable that changed: what it was loaded with, and for each of its parts
     * that is a collection or an embeddable, what that part's base is ({@link Loaded}, {@link Whole}, another
     * {@code LoadedParts}), or null where it did not change.
     */
    record LoadedParts(Object loaded, Object[] nested) {
    }

    /**
     * @param loaded the state the instance was loaded with
     * @param state the state it is flushed with
     * @param changed the properties the update sets
     * @param snapshot what a changed collection held when loaded, or null if unknown
     * @return the base to merge the update with: the state loaded; each collection changed in place replaced by the
     *     contents it was loaded with ({@link Loaded}), each collection replaced by null (written whole); each changed
     *     embeddable that holds collections or embeddables by its {@link LoadedParts}
     */
    static Object[] base(EntityPersister persister, Object[] loaded, Object[] state, boolean[] changed,
                         java.util.function.Function<PersistentCollection<?>, Loaded> snapshot) {
        Object[] base = loaded.clone();
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length && i < base.length; i++) {
            if (types[i] instanceof CollectionType) {
                base[i] = changed[i] ? inPlace(state[i], loaded[i], snapshot) : null;
            } else if (types[i] instanceof ComponentType component && changed[i]) {
                base[i] = parts(component, loaded[i], state[i], snapshot);
            }
        }
        return base;
    }

    /** @return what a collection changed in place held when loaded, or null if it was replaced or is unknown */
    private static Loaded inPlace(Object value, Object loaded, java.util.function.Function<PersistentCollection<?>, Loaded> snapshot) {
        return value instanceof PersistentCollection<?> pc && value == loaded ? snapshot.apply(pc) : null;
    }

    /** @return the base of a changed embeddable (see {@link LoadedParts}), or what it was loaded with if it holds no part to look into */
    static Object parts(ComponentType type, Object loaded, Object now,
                        java.util.function.Function<PersistentCollection<?>, Loaded> snapshot) {
        if (loaded == null || now == null) {
            return loaded;
        }
        Type[] subtypes = type.getSubtypes();
        Object[] before = type.getPropertyValues(loaded);
        Object[] after = type.getPropertyValues(now);
        Object[] nested = new Object[subtypes.length];
        for (int j = 0; j < subtypes.length; j++) {
            if (subtypes[j] instanceof CollectionType) {
                // changed in place, with what it held when loaded (the snapshot knows only changed ones), or replaced
                Loaded l = inPlace(after[j], before[j], snapshot);
                nested[j] = l != null ? l : collectionChanged(after[j], before[j]) ? Whole.COLLECTION : null;
            } else if (subtypes[j] instanceof ComponentType inner && nestedChange(inner, before[j], after[j])) {
                nested[j] = parts(inner, before[j], after[j], snapshot);
            }
        }
        return new LoadedParts(loaded, nested);
    }

    /** @return whether a collection property's value was changed in place or replaced since it was loaded */
    static boolean collectionChanged(Object value, Object loaded) {
        if (value instanceof PersistentCollection<?> pc) {
            return pc.isDirty() || value != loaded;
        }
        return value != loaded;
    }

    /** @return whether a collection inside the embeddable (at any depth) changed since it was loaded */
    static boolean nestedChange(ComponentType type, Object loaded, Object now) {
        if (loaded == null || now == null) {
            return false;
        }
        Type[] subtypes = type.getSubtypes();
        Object[] before = type.getPropertyValues(loaded);
        Object[] after = type.getPropertyValues(now);
        for (int j = 0; j < subtypes.length; j++) {
            if (subtypes[j] instanceof CollectionType ? collectionChanged(after[j], before[j])
                    : subtypes[j] instanceof ComponentType inner && nestedChange(inner, before[j], after[j])) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether a value other than a collection differs from the one loaded. A converted value compares as its
     *     column value: a converter's Java type without {@code equals} (Hibernate then counts it always dirty) would
     *     otherwise write a stale value over the local row's
     */
    static boolean differs(Type type, Object loaded, Object now, SharedSessionContractImplementor s) {
        if (!type.isDirty(loaded, now, s)) {
            return false;
        }
        if (type instanceof org.hibernate.type.BasicType<?> basic && basic.getValueConverter() != null) {
            @SuppressWarnings("unchecked")
            org.hibernate.type.descriptor.converter.spi.BasicValueConverter<Object, Object> converter =
                    (org.hibernate.type.descriptor.converter.spi.BasicValueConverter<Object, Object>) basic.getValueConverter();
            try {
                return !converter.getRelationalJavaType().areEqual(converter.toRelationalValue(loaded),
                        converter.toRelationalValue(now));
            } catch (RuntimeException cannotTell) {
                return true;
            }
        }
        return true;
    }

    /** @return what a loaded collection held when it was loaded (its stored snapshot), or null if it was never loaded */
    static Loaded loadedContents(Object value) {
        if (value instanceof PersistentCollection<?> pc && pc.wasInitialized() && pc.getStoredSnapshot() != null) {
            java.io.Serializable snapshot = pc.getStoredSnapshot();
            if (pc instanceof Map<?, ?> && snapshot instanceof Map<?, ?> map) {
                return new Loaded(new LinkedHashMap<>(map));
            }
            if (snapshot instanceof Map<?, ?> set) {
                return new Loaded(new ArrayList<>(set.values())); // a set's snapshot maps each element to its copy
            }
            if (snapshot instanceof Collection<?> elements) {
                return new Loaded(new ArrayList<>(elements));
            }
            if (snapshot.getClass().isArray()) {
                List<Object> elements = new ArrayList<>();
                for (int i = 0; i < java.lang.reflect.Array.getLength(snapshot); i++) {
                    elements.add(java.lang.reflect.Array.get(snapshot, i));
                }
                return new Loaded(elements);
            }
        }
        return null;
    }

    /** The state a partial update writes to the local row, and the row's state before it (the change's base). */
    record Merged(Object[] state, Object[] before) {
    }

    /**
     * @return the state to write to the local row: its own, every collection of it loaded, with what the update
     *     changed set over it; or null if the row is not there and the update may write it whole (a copy of a row the
     *     remote holds, see {@link PendingWrite#changed})
     * @throws jakarta.persistence.OptimisticLockException if the row is gone
     * @throws CompositeRoutingException if a list or map changed on both sides
     */
    static Merged merged(StatelessSession session, EntityPersister persister, PendingWrite w, boolean wholeIfMissing) {
        Object row = session.get(persister.getEntityName(), w.id());
        if (row == null) {
            if (wholeIfMissing) {
                return null;
            }
            throw new jakarta.persistence.OptimisticLockException("Row of entity '" + persister.getJpaEntityName() + "' with id "
                    + w.id() + " was changed through an instance the remote session loaded (an entity written locally,"
                    + " reached from one read remotely), but the local row is gone: it was deleted by a change not yet"
                    + " synced or by another transaction. Plain Hibernate's update of a deleted row fails the same way");
        }
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Object[] local = persister.getValues(row);
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < local.length; i++) {
            // the row's collections are written with it and logged with it: an unloaded one would be left out of the
            // log, and the transaction's earlier change of it with it (the log keeps a row's last state)
            fetchCollections(session, types[i], local[i]);
        }
        Object[] out = local.clone();
        boolean[] changed = w.changed();
        for (int i = 0; i < out.length; i++) {
            if (!changed[i]) {
                if (local[i] == null && types[i] instanceof EntityType) {
                    // a to-one the local side could not load (its target is not held locally: a remote-only entity)
                    // still has its key in the row: kept as the row holds it
                    out[i] = keptToOne(session, persister, i, w.id(), w.state()[i]);
                    local[i] = out[i]; // and the change's base: the row held it before the change
                }
                continue; // the local row's own value
            }
            if (types[i] instanceof ComponentType component) {
                out[i] = component(session, persister, w.id(), persister.getPropertyNames()[i], component, w.before()[i],
                        w.state()[i], local[i], s);
            } else if (types[i] instanceof CollectionType collection) {
                out[i] = collection(session, persister, w.id(), persister.getPropertyNames()[i], collection, w.before()[i],
                        w.state()[i], local[i]);
            } else {
                out[i] = w.state()[i];
            }
        }
        return new Merged(out, local);
    }

    /**
     * @return the to-one the local row's foreign key names: an instance standing for the row it names (only its id is
     *     read), or null where the key is null; {@code remote}, the instance loaded, where the key is not read here
     */
    private static Object keptToOne(StatelessSession session, EntityPersister persister, int property, Object id, Object remote) {
        return keptToOne((SharedSessionContractImplementor) session, persister, property, id, remote);
    }

    /** As {@link #keptToOne(StatelessSession, EntityPersister, int, Object, Object)}, on any session of the side. */
    static Object keptToOne(SharedSessionContractImplementor s, EntityPersister persister, int property, Object id, Object remote) {
        if (!(persister.getAttributeMapping(property) instanceof org.hibernate.metamodel.mapping.internal.ToOneAttributeMapping toOne)
                || toOne.getSideNature() != org.hibernate.metamodel.mapping.ForeignKeyDescriptor.Nature.KEY
                || !(persister instanceof org.hibernate.persister.entity.AbstractEntityPersister table)) {
            return null; // no key of its own (the other side's, a mappedBy one-to-one)
        }
        org.hibernate.metamodel.mapping.ForeignKeyDescriptor fk = toOne.getForeignKeyDescriptor();
        org.hibernate.metamodel.mapping.ValuedModelPart key = fk.getKeyPart();
        EntityPersister target = toOne.getEntityMappingType().getEntityPersister();
        String[] idColumns = table.getIdentifierColumnNames();
        if (key.getJdbcTypeCount() != 1 || !fk.getKeyTable().equals(table.getTableName())
                || !(fk.getTargetPart() instanceof org.hibernate.metamodel.mapping.EntityIdentifierMapping)) {
            return remote; // a composite or non-id key, or one in another table: as the instance loaded it
        }
        String sql = "select " + key.getSelectable(0).getSelectionExpression() + " from " + table.getTableName() + " where "
                + String.join(" = ? and ", idColumns) + " = ?";
        s.getJdbcCoordinator().executeBatch();
        java.sql.Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        Object targetId;
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            persister.getIdentifierType().nullSafeSet(ps, id, 1, s);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                targetId = rs.next() ? key.getJdbcMapping(0).getJdbcValueExtractor().extract(rs, 1, s) : null;
            }
        } catch (java.sql.SQLException e) {
            throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Could not read the key of " + persister.getJpaEntityName()
                    + "." + persister.getPropertyNames()[property] + " of the local row with id " + id, sql);
        }
        if (targetId == null) {
            return null;
        }
        return io.dbcomposite.internal.capture.SnapshotCodec.reference(target, targetId, s);
    }

    /** Loads the collections a value of this type holds (itself, or inside an embeddable) that are not loaded yet. */
    static void fetchCollections(StatelessSession session, Type type, Object value) {
        if (value == null) {
            return;
        }
        if (type instanceof CollectionType) {
            if (value instanceof PersistentCollection<?> pc && !pc.wasInitialized()) {
                session.fetch(value);
            }
        } else if (type instanceof ComponentType component) {
            Object[] parts = component.getPropertyValues(value);
            Type[] subtypes = component.getSubtypes();
            for (int j = 0; j < parts.length; j++) {
                fetchCollections(session, subtypes[j], parts[j]);
            }
        }
    }

    /** @return the local embeddable with the parts the update changed set over it */
    private static Object component(StatelessSession session, EntityPersister persister, Object id, String path,
                                    ComponentType type, Object base, Object now, Object local,
                                    SharedSessionContractImplementor s) {
        Object loaded = base instanceof LoadedParts lp ? lp.loaded() : base;
        Object[] nested = base instanceof LoadedParts lp ? lp.nested() : null;
        if (now == null || local == null) {
            return now; // cleared, or set where the local row has none: as a whole
        }
        Type[] subtypes = type.getSubtypes();
        // loaded as null (every column null): each part set now changed from null
        Object[] before = loaded == null ? new Object[subtypes.length] : type.getPropertyValues(loaded);
        Object[] after = type.getPropertyValues(now);
        Object[] parts = type.getPropertyValues(local).clone();
        String[] names = type.getPropertyNames();
        boolean any = false;
        for (int j = 0; j < parts.length; j++) {
            Object partBase = nested == null ? null : nested[j];
            if (subtypes[j] instanceof CollectionType collection) {
                if (partBase == null && !(loaded == null && after[j] != null)) {
                    continue; // unchanged: the local row's
                }
                parts[j] = collection(session, persister, id, path + "." + names[j], collection,
                        partBase instanceof Loaded ? partBase : null, after[j], parts[j]);
                any = true;
            } else if (subtypes[j] instanceof ComponentType inner) {
                if (partBase != null || differs(inner, before[j], after[j], s)) {
                    parts[j] = component(session, persister, id, path + "." + names[j], inner,
                            partBase != null ? partBase : before[j], after[j], parts[j], s);
                    any = true;
                }
            } else if (differs(subtypes[j], before[j], after[j], s)) {
                parts[j] = after[j];
                any = true;
            }
        }
        return any ? type.replacePropertyValues(type.deepCopy(local, s.getFactory()), parts, s) : local;
    }

    /**
     * @return the collection to write: the update's own where it was replaced, or where the local row's collection
     *     still holds what the instance was loaded with; else, for a set or bag, the local collection with the elements
     *     the update added and without those it removed
     */
    private static Object collection(StatelessSession session, EntityPersister persister, Object id, String property,
                                     CollectionType type, Object base, Object now, Object local) {
        if (!(base instanceof Loaded loaded) || !(now instanceof PersistentCollection<?>)) {
            return now; // replaced: written whole, as plain Hibernate writes a replaced collection
        }
        SessionFactoryImplementor factory = (SessionFactoryImplementor) session.getFactory();
        CollectionPersister cp = factory.getMappingMetamodel().getCollectionDescriptor(type.getRole());
        if (local instanceof PersistentCollection<?> pc && !pc.wasInitialized()) {
            session.fetch(local);
        }
        Object localContents = contents(local);
        if (same(cp, loaded.contents(), localContents, factory)) {
            return now;
        }
        org.hibernate.metamodel.CollectionClassification kind = cp.getCollectionSemantics().getCollectionClassification();
        boolean unordered = switch (kind) {
            case SET, SORTED_SET, ORDERED_SET, BAG, ID_BAG -> true;
            default -> false;
        };
        if (!unordered) {
            throw new CompositeRoutingException("Entity '" + persister.getJpaEntityName() + "' with id " + id + ": its "
                    + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " '" + property + "' was changed"
                    + " through an instance the remote session loaded (an entity written locally, reached from one read"
                    + " remotely), and the local row's '" + property + "' has changed since that remote copy (changes not"
                    + " yet synced): the two changes cannot be combined without losing one. Nothing was written. Change it"
                    + " through an instance loaded locally (em.find(" + persister.getMappedClass().getSimpleName()
                    + ".class, id)), or after the pending changes reached the remote");
        }
        @SuppressWarnings("unchecked") List<Object> result = new ArrayList<>((List<Object>) localContents);
        @SuppressWarnings("unchecked") List<Object> before = (List<Object>) loaded.contents();
        @SuppressWarnings("unchecked") List<Object> after = (List<Object>) contents(now);
        Type element = cp.getElementType();
        for (Object removed : minus(before, after, element, factory)) {
            removeOne(result, removed, element, factory);
        }
        boolean set = kind != org.hibernate.metamodel.CollectionClassification.BAG
                && kind != org.hibernate.metamodel.CollectionClassification.ID_BAG;
        for (Object added : minus(after, before, element, factory)) {
            if (!set || indexOf(result, added, element, factory) < 0) {
                result.add(added);
            }
        }
        @SuppressWarnings("unchecked")
        Collection<Object> plain = (Collection<Object>) cp.getCollectionSemantics().instantiateRaw(result.size(), cp);
        plain.addAll(result);
        return plain;
    }

    /** @return a collection's elements in its order, or a map's entries as a map */
    private static Object contents(Object collection) {
        if (collection == null) {
            return new ArrayList<>();
        }
        if (collection instanceof Map<?, ?> map) {
            return new LinkedHashMap<>(map);
        }
        if (collection instanceof PersistentCollection<?> pc && !(collection instanceof Collection<?>)) {
            collection = pc.getValue(); // an array's holder
        }
        List<Object> out = new ArrayList<>();
        if (collection instanceof Collection<?> c) {
            out.addAll(c);
        } else if (collection.getClass().isArray()) {
            for (int i = 0; i < java.lang.reflect.Array.getLength(collection); i++) {
                out.add(java.lang.reflect.Array.get(collection, i));
            }
        }
        return out;
    }

    private static boolean same(CollectionPersister cp, Object a, Object b, SessionFactoryImplementor factory) {
        Type element = cp.getElementType();
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            if (left.size() != right.size()) {
                return false;
            }
            Type index = cp.getIndexType();
            for (Map.Entry<?, ?> e : left.entrySet()) {
                Map.Entry<?, ?> match = null;
                for (Map.Entry<?, ?> f : right.entrySet()) {
                    if (equal(index, e.getKey(), f.getKey(), factory)) {
                        match = f;
                        break;
                    }
                }
                if (match == null || !equal(element, e.getValue(), match.getValue(), factory)) {
                    return false;
                }
            }
            return true;
        }
        if (!(a instanceof List<?> left) || !(b instanceof List<?> right) || left.size() != right.size()) {
            return false;
        }
        org.hibernate.metamodel.CollectionClassification kind = cp.getCollectionSemantics().getCollectionClassification();
        if (kind == org.hibernate.metamodel.CollectionClassification.LIST
                || kind == org.hibernate.metamodel.CollectionClassification.ARRAY) {
            for (int i = 0; i < left.size(); i++) {
                if (!equal(element, left.get(i), right.get(i), factory)) {
                    return false;
                }
            }
            return true;
        }
        return minus(left, right, element, factory).isEmpty();
    }

    /** @return the elements of {@code a} not matched one for one by an element of {@code b} */
    private static List<Object> minus(List<?> a, List<?> b, Type element, SessionFactoryImplementor factory) {
        List<Object> rest = new ArrayList<>(b);
        List<Object> out = new ArrayList<>();
        for (Object x : a) {
            if (!removeOne(rest, x, element, factory)) {
                out.add(x);
            }
        }
        return out;
    }

    private static boolean removeOne(List<Object> from, Object x, Type element, SessionFactoryImplementor factory) {
        int i = indexOf(from, x, element, factory);
        if (i >= 0) {
            from.remove(i);
            return true;
        }
        return false;
    }

    private static int indexOf(List<Object> in, Object x, Type element, SessionFactoryImplementor factory) {
        for (int i = 0; i < in.size(); i++) {
            if (equal(element, in.get(i), x, factory)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equal(Type type, Object a, Object b, SessionFactoryImplementor factory) {
        if (a == null || b == null) {
            return a == b;
        }
        return type instanceof EntityType ? type.isEqual(a, b, factory) : type.isEqual(a, b);
    }
}



