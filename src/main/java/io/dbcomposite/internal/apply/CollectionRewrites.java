package io.dbcomposite.internal.apply;

import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.PluralAttributeMapping;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay batch writes after its entity rows instead of with each one: the rows' generated values written again
 * ({@link #restoreLater}), the batch's whole-row inserts ({@link #inserts}) and, the bulk of it, the
 * collection-table rows of its upserts (an {@code @ElementCollection}, the owning side of a {@code @ManyToMany}, a
 * one-to-many with a join table). Hibernate's stateless upsert deletes and re-inserts an entity's collection rows right
 * after its row, so the
 * statements alternate and each JDBC batch holds one statement; kept aside, a batch's upserts go in one JDBC batch and
 * each collection's deletes and inserts in one more each.
 *
 * <p>Written, by {@link #write}, before anything that must see them: a delete (of an owner, or of a row a collection
 * row points at) and the end of the batch. An owner upserted again before that keeps only its latest collection (the
 * rows are deleted and re-inserted either way, and nothing in between reads them). One-to-many collections kept in the
 * elements' rows are not deferred: those rows are entity rows that later statements of the batch may write.
 */
public final class CollectionRewrites {

    private record Pending(CollectionPersister descriptor, Object owner, Object id, Object value) {
    }

    /**
     * An owner id compared as its Hibernate type compares it: an embedded id need not implement equals, and a reference
     * inside one (a to-one in an {@code @EmbeddedId}) is a new instance at every decode, equal by its id only through
     * the factory-aware comparison.
     */
    private record OwnerKey(Type type, Object id, SessionFactoryImplementor factory) {
        @Override
        public boolean equals(Object o) {
            return o instanceof OwnerKey k && type.isEqual(id, k.id, factory);
        }

        @Override
        public int hashCode() {
            return type.getHashCode(id, factory);
        }
    }

    /** Generated values of the batch's rows to write again by id at its end ({@link RowApplier}), in replay order. */
    private final GeneratedValueRestores restores = new GeneratedValueRestores();

    /** role to its owners' pending rows, in the order first seen */
    private final Map<String, Map<OwnerKey, Pending>> byRole = new LinkedHashMap<>();
    /** The batch's inserts that write the whole row (RowApplier), some in JDBC batches of their own: batch-scoped too. */
    private final WholeRowInserts inserts = new WholeRowInserts();

    /** The batch's upserts bound without the stateless session (Hibernate ORM 7.4 only: created when first asked). */
    private PreparedUpserts upserts;

    WholeRowInserts inserts() {
        return inserts;
    }

    PreparedUpserts upserts() {
        if (upserts == null) {
            upserts = new PreparedUpserts(this);
        }
        return upserts;
    }

    /**
     * Keeps the generated values ({@code @CreationTimestamp}, {@code @UpdateTimestamp}) that a row's upsert or insert
     * replaced with the replay's own, to write the source's again by id when the batch's rows have been sent. A row
     * written twice in the batch gets both, in order: the last one wins, as it would have one statement at a time.
     */
    void restoreLater(EntityPersister persister, Object id, List<String> names, List<Object> values) {
        restores.add(persister, id, names, values);
    }

    /**
     * Takes the deferrable collections of an instance about to be upserted: each is remembered and replaced by an
     * unloaded wrapper, which the upsert leaves alone (as it leaves a collection that was never loaded). A collection
     * that is already unloaded writes nothing, as in the upsert.
     */
    void takeFrom(EntityPersister persister, Object id, Object instance, SharedSessionContractImplementor s) {
        if (!persister.hasOwnedCollections()) {
            return;
        }
        persister.visitAttributeMappings(attribute -> {
            if (!attribute.isPluralAttributeMapping()) {
                return;
            }
            PluralAttributeMapping plural = attribute.asPluralAttributeMapping();
            CollectionPersister descriptor = plural.getCollectionDescriptor();
            if (descriptor.isInverse() || descriptor.isOneToMany()) {
                return;
            }
            Object value = plural.getPropertyAccess().getGetter().get(instance);
            if (value instanceof PersistentCollection<?> loaded && !loaded.wasInitialized()) {
                return;
            }
            byRole.computeIfAbsent(descriptor.getRole(), r -> new LinkedHashMap<>())
                    .put(new OwnerKey(persister.getIdentifierType(), id, s.getFactory()), new Pending(descriptor, instance, id, value));
            plural.getPropertyAccess().getSetter().set(instance,
                    descriptor.getCollectionSemantics().instantiateWrapper(id, descriptor, s));
        });
        // Hibernate's stateless writes leave the collections inside embeddables alone
        forEachNested(persister, instance, (descriptor, value) -> byRole.computeIfAbsent(descriptor.getRole(), r -> new LinkedHashMap<>())
                .put(new OwnerKey(persister.getIdentifierType(), id, s.getFactory()), new Pending(descriptor, instance, id, value)));
    }

    /** A collection inside an embeddable of an entity: its role, and its path from the entity that declares it. */
    private record Nested(String role, String owner, String path) {
    }

    /**
     * By factory and entity name, the owned collections inside the entity's embeddables. Names only, no persister: a
     * closed unit's factory is not kept reachable from here.
     */
    private static final Map<String, Map<String, List<Nested>>> NESTED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Calls {@code action} with each owned collection inside the entity's embeddables (an {@code @ElementCollection} of an
     * {@code @Embedded} value) and its value in {@code instance}: null where the embeddable is null (no rows), skipped
     * where it was not loaded (its rows stay). Hibernate's stateless insert and upsert write no such rows.
     */
    static void forEachNested(EntityPersister persister, Object instance,
                              java.util.function.BiConsumer<CollectionPersister, Object> action) {
        SessionFactoryImplementor factory = persister.getFactory();
        List<Nested> nested = NESTED.computeIfAbsent(factory.getUuid(), k -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(persister.getEntityName(), k -> nestedOf(persister));
        if (nested.isEmpty()) {
            return;
        }
        var metamodel = factory.getMappingMetamodel();
        for (Nested n : nested) {
            Object value;
            try {
                value = metamodel.getEntityDescriptor(n.owner()).getPropertyValue(instance, n.path());
            } catch (RuntimeException nullOnTheWay) {
                value = null; // an embeddable on the path is null
            }
            if (value instanceof PersistentCollection<?> loaded && !loaded.wasInitialized()) {
                continue;
            }
            action.accept(metamodel.getCollectionDescriptor(n.role()), value);
        }
    }

    /** Forgets what {@link #forEachNested} found for a factory (when it closes). */
    public static void forget(SessionFactoryImplementor factory) {
        NESTED.remove(factory.getUuid());
    }

    private static List<Nested> nestedOf(EntityPersister persister) {
        List<Nested> out = new ArrayList<>();
        persister.getFactory().getMappingMetamodel().forEachCollectionDescriptor(descriptor -> {
            EntityPersister owner = descriptor.getOwnerEntityPersister();
            if (descriptor.isInverse() || descriptor.isOneToMany() || owner == null
                    || !owner.getMappedClass().isAssignableFrom(persister.getMappedClass())
                    || !owner.getRootEntityName().equals(persister.getRootEntityName())) {
                return;
            }
            String path = descriptor.getRole().substring(owner.getEntityName().length() + 1);
            if (path.contains(".")) {
                out.add(new Nested(descriptor.getRole(), owner.getEntityName(), path));
            }
        });
        return List.copyOf(out);
    }

    /**
     * Deletes and re-inserts the rows kept aside: per collection, every owner's delete, then every owner's inserts; then
     * writes the generated values kept aside, after the batch's rows have been sent.
     */
    public void write(SharedSessionContractImplementor s) {
        if (!byRole.isEmpty()) {
            List<Map<OwnerKey, Pending>> roles = new ArrayList<>(byRole.values());
            byRole.clear();
            for (Map<OwnerKey, Pending> owners : roles) {
                for (Pending p : owners.values()) {
                    p.descriptor.remove(p.id, s);
                }
                for (Pending p : owners.values()) {
                    if (p.value != null) {
                        p.descriptor.recreate(RowApplier.wrap(p.descriptor, p.value, p.owner, p.id, s), p.id, s);
                    }
                }
            }
        }
        restores.write(s);
    }
}
