package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.internal.apply.VersionArithmetic;
import io.dbcomposite.internal.capture.ColumnDefaults;
import io.dbcomposite.internal.capture.StoredValues;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Listens to the flushes of the facade's sessions on one side. A change to an entity whose write targets
 * include the other side is recorded for it; a change flushed on a side that is not a write target of
 * the entity (an instance read from the remote whose writes go LOCAL) is vetoed here and recorded for its
 * write side instead.
 */
final class MirrorListener implements PreInsertEventListener, PreUpdateEventListener, PreDeleteEventListener,
        PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener,
        org.hibernate.event.spi.PostCollectionRecreateEventListener, org.hibernate.event.spi.PostCollectionUpdateEventListener,
        org.hibernate.event.spi.PreCollectionRemoveEventListener, org.hibernate.event.spi.PreCollectionUpdateEventListener,
        org.hibernate.event.spi.PreCollectionRecreateEventListener {

    private final Side side;
    private final SessionRegistry registry;
    private final Supplier<RoutingTable> routes;
    /** The unit's reader of values as the local database stores them; null on the remote side, which needs none. */
    private final StoredValues storedValues;
    /** Reads back the values an insert left to column defaults, for the other side. */
    private final ColumnDefaults columnDefaults;

    MirrorListener(Side side, SessionRegistry registry, Supplier<RoutingTable> routes, StoredValues storedValues,
                   ColumnDefaults columnDefaults) {
        this.columnDefaults = columnDefaults;
        this.side = side;
        this.registry = registry;
        this.routes = routes;
        this.storedValues = storedValues;
    }

    private Set<Side> targets(EntityPersister persister) {
        RoutingPlan p = routes.get().plan(persister.getMappedClass());
        return p == null ? Set.of(side) : p.writeTargets();
    }

    /** @return true when a write of this entity flushed on this side must not run here */
    private boolean vetoed(EntityPersister persister) {
        RoutingPlan p = routes.get().plan(persister.getMappedClass());
        return p != null && (!p.writeTargets().contains(side) || p.heldUntilCommit());
    }

    /**
     * Sets the values of the entity's in-memory generators ({@code @CreationTimestamp}, {@code @UpdateTimestamp}, an
     * application's own) into a write this side does not run, and into the instance, as Hibernate's insert or update
     * sets them when it runs the statement: the write, held here, reaches its sides with them (the library's own write
     * there keeps the values it is given, see {@code GivenGeneratedValues}).
     */
    private static void generateInMemory(org.hibernate.engine.spi.SharedSessionContractImplementor session,
                                         EntityPersister persister, Object entity, Object[] state,
                                         org.hibernate.generator.EventType event) {
        org.hibernate.generator.Generator[] generators = persister.getGenerators();
        int version = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        for (int i = 0; i < generators.length && i < state.length; i++) {
            org.hibernate.generator.Generator g = generators[i];
            boolean now = g != null && i != version
                    && (event == org.hibernate.generator.EventType.INSERT ? g.generatesOnInsert() : g.generatesOnUpdate())
                    && g instanceof org.hibernate.generator.BeforeExecutionGenerator before
                    && g.generatedBeforeExecution(entity, session);
            if (now) {
                state[i] = ((org.hibernate.generator.BeforeExecutionGenerator) g).generate(session, entity, state[i], event);
                persister.setValue(entity, i, state[i]);
            }
        }
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null) {
            return false;
        }
        if (!vetoed(event.getPersister())) {
            beforeReferringWrite(reg, event.getSession(), event.getPersister(), event.getId(), event.getState());
            return false;
        }
        // held until commit, or cascaded here from an entity of this side (a Pet kept locally saving its new Visit
        // written remotely): the insert does not run on this side; it is recorded for the entity's write sides and
        // applied there at commit, with what it refers to
        if (event.getId() == null) {
            throw new io.dbcomposite.CompositeRoutingException("Entity '" + routes.get().jpaName(event.getPersister().getEntityName())
                    + "' is written " + targets(event.getPersister()) + " but reached the " + side.label() + " session by a"
                    + " cascade, and its id is generated by the database (IDENTITY), which only the side that inserts it"
                    + " could give. Assign its ids (e.g. UUIDs), or persist it through the composite entity manager before"
                    + " the cascade reaches it");
        }
        EntityPersister persister = event.getPersister();
        generateInMemory(event.getSession(), persister, event.getEntity(), event.getState(), org.hibernate.generator.EventType.INSERT);
        String name = persister.getEntityName();
        Object readVersion = reg.work().mergedVersion(name, event.getId());
        if (readVersion != null && persister.isVersioned()) {
            // a detached instance read at a version: plain Hibernate's merge loads its row and fails on another version.
            // The write is the update of that row from that version to the next, so a row changed meanwhile fails the
            // commit, and a queued write's replay sees the conflict
            Object[] state = event.getState().clone();
            int v = persister.getVersionPropertyIndex();
            if (VersionArithmetic.counts(readVersion)) {
                state[v] = VersionArithmetic.next(readVersion);
                event.getState()[v] = state[v];
                persister.setValue(event.getEntity(), v, state[v]);
                // the managed copy is at that next version, as after plain Hibernate's update: a later change in this
                // transaction counts on from it
                org.hibernate.engine.spi.EntityEntry entry =
                        event.getSession().getPersistenceContextInternal().getEntry(event.getEntity());
                if (entry != null) {
                    entry.postUpdate(event.getEntity(), event.getState(), state[v]);
                }
            }
            for (Side target : targets(persister)) {
                reg.work().record(target, PendingWrite.ofDetached(name, event.getId(), state.clone(), readVersion));
            }
            return true;
        }
        for (Side target : targets(persister)) {
            reg.work().record(target, reg.work().wasMerged(name, event.getId())
                    ? new PendingWrite(name, event.getId(), ChangeOperation.INSERT, event.getState().clone(), null)
                    : PendingWrite.newRow(name, event.getId(), event.getState().clone()));
        }
        return true;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null) {
            return false;
        }
        if (!vetoed(event.getPersister())) {
            if (side == Side.LOCAL) {
                keepKeysToRowsNotHeldHere(event);
            }
            beforeReferringWrite(reg, event.getSession(), event.getPersister(), event.getId(), event.getState());
            return false;
        }
        Set<Side> targets = targets(event.getPersister());
        Object previous = version(event.getPersister(), event.getOldState());
        generateInMemory(event.getSession(), event.getPersister(), event.getEntity(), event.getState(),
                org.hibernate.generator.EventType.UPDATE);
        Object[] state = io.dbcomposite.internal.capture.SnapshotCodec.leavingOutFilteredCollections(event.getPersister(),
                event.getId(), event.getState(), event.getSession());
        for (Side target : targets) {
            // an instance the remote session loaded may lag the local row by changes not yet synced: the local side gets
            // the properties this change set, and keeps its own others
            reg.work().record(target, target == Side.LOCAL && side == Side.REMOTE
                    ? forLocal(event.getPersister(), event.getId(), event.getOldState(), state, previous, event.getSession(), false)
                    : new PendingWrite(event.getPersister().getEntityName(), event.getId(), ChangeOperation.UPDATE,
                            state.clone(), previous));
        }
        // a vetoed update skips what Hibernate does after an update it ran: without this the next flush (the commit's,
        // after an explicit flush) finds the instance dirty again and records the same change a second time, whose
        // version check then fails on the row the first one already wrote
        org.hibernate.engine.spi.EntityEntry entry = event.getSession().getPersistenceContextInternal().getEntry(event.getEntity());
        if (entry != null) {
            EntityPersister persister = event.getPersister();
            // a copy, as Hibernate's own update keeps it: an embeddable changed in place later must differ from it
            Object[] loaded = event.getState().clone();
            org.hibernate.type.Type[] types = persister.getPropertyTypes();
            for (int i = 0; i < loaded.length; i++) {
                loaded[i] = types[i].deepCopy(loaded[i], event.getSession().getFactory());
            }
            entry.postUpdate(event.getEntity(), loaded,
                    persister.isVersioned() ? event.getState()[persister.getVersionPropertyIndex()] : null);
        }
        return true;
    }

    /**
     * @return the properties an update sets, by index: those that differ from the state loaded (an embeddable also when
     *     a collection inside it changed), the collections changed or replaced, and the version; or null if the state
     *     loaded is not known (the whole state is then written)
     */
    private static boolean[] changed(EntityPersister persister, Object[] loaded, Object[] state,
                                     org.hibernate.engine.spi.SharedSessionContractImplementor session) {
        if (loaded == null) {
            return null;
        }
        org.hibernate.type.Type[] types = persister.getPropertyTypes();
        boolean[] out = new boolean[state.length];
        for (int i = 0; i < state.length; i++) {
            if (types[i] instanceof org.hibernate.type.CollectionType) {
                out[i] = PartialUpdates.collectionChanged(state[i], loaded[i]);
            } else {
                out[i] = PartialUpdates.differs(types[i], loaded[i], state[i], session)
                        || types[i] instanceof org.hibernate.type.ComponentType component
                        && PartialUpdates.nestedChange(component, loaded[i], state[i]);
            }
        }
        if (persister.isVersioned()) {
            out[persister.getVersionPropertyIndex()] = true;
        }
        return out;
    }

    /** What a collection about to be written held when loaded, if it changed (the base of a partial update). */
    private static PartialUpdates.Loaded dirtySnapshot(org.hibernate.collection.spi.PersistentCollection<?> pc) {
        return pc.isDirty() ? PartialUpdates.loadedContents(pc) : null;
    }

    /**
     * @return the write of an update flushed by the remote session to record for the local side: of the properties it
     *     changed only (see {@link PartialUpdates}), or of the whole state where the state loaded is not known
     * @param wholeIfMissing whether a local row that is not there is written whole (a copy of the remote's row) rather
     *     than refused
     */
    private static PendingWrite forLocal(EntityPersister persister, Object id, Object[] loaded, Object[] state,
                                         Object previous, org.hibernate.engine.spi.SharedSessionContractImplementor session,
                                         boolean wholeIfMissing) {
        boolean[] changed = changed(persister, loaded, state, session);
        if (changed == null) {
            return new PendingWrite(persister.getEntityName(), id, ChangeOperation.UPDATE, state.clone(), previous);
        }
        return PendingWrite.ofChanged(persister.getEntityName(), id, state.clone(), previous,
                PartialUpdates.base(persister, loaded, state, changed, MirrorListener::dirtySnapshot), changed, wholeIfMissing);
    }

    /** By entity name, its to-ones to entities whose rows this side does not hold (read and written elsewhere only). */
    private final java.util.Map<String, int[]> toRowsNotHeldHere = new java.util.concurrent.ConcurrentHashMap<>();

    private int[] toRowsNotHeldHere(EntityPersister persister) {
        return toRowsNotHeldHere.computeIfAbsent(persister.getEntityName(), name -> {
            org.hibernate.type.Type[] types = persister.getPropertyTypes();
            java.util.List<Integer> out = new java.util.ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                if (types[i] instanceof org.hibernate.type.EntityType to && !to.isCollectionType()) {
                    RoutingPlan target = routes.get().plan(persister.getFactory().getMappingMetamodel()
                            .getEntityDescriptor(to.getAssociatedEntityName()).getMappedClass());
                    if (target != null && target.readSide() != side && !target.writeTargets().contains(side)) {
                        out.add(i);
                    }
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        });
    }

    /**
     * A to-one to an entity whose rows this side does not hold (a local {@code Toy}'s remote-only {@code Pack}) loads as
     * null here, and Hibernate's update writes every column: the row's key would be set to null by any change of the
     * entity, silently, and the change logged so. Such a to-one, null when loaded and null now, is written as the key
     * the row holds (an instance standing for its target, in the statement's state only).
     */
    private void keepKeysToRowsNotHeldHere(PreUpdateEvent event) {
        int[] toOnes = toRowsNotHeldHere(event.getPersister());
        Object[] state = event.getState();
        Object[] loaded = event.getOldState();
        for (int i : toOnes) {
            // null when loaded and null now (the state kept after such a write holds null again: forgetKeptKeys)
            if (state[i] == null && (loaded == null || loaded[i] == null)) {
                state[i] = PartialUpdates.keptToOne(event.getSession(), event.getPersister(), i, event.getId(), null);
                if (state[i] != null) {
                    if (loaded != null) {
                        // the row held that key before this change too: the logged change's base says so, else its
                        // replay would take the remote's key for another writer's change (a false conflict)
                        loaded[i] = state[i];
                    }
                }
            }
        }
    }


    /** Whether an entity's id or state can refer to other rows, by entity name. */
    private final java.util.Map<String, Boolean> refersToRows = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The remote session is about to run a write of its own whose id or state refers to other rows (to-ones, join rows,
     * the to-ones inside element collections, entity map keys): those only the local side holds so far go first.
     */
    private void beforeReferringWrite(SessionRegistry.Registration reg, org.hibernate.engine.spi.SharedSessionContractImplementor session,
                                      EntityPersister persister, Object id, Object[] state) {
        if (side != Side.REMOTE || !refersToRows.computeIfAbsent(persister.getEntityName(),
                name -> io.dbcomposite.internal.apply.References.canRefer(persister))) {
            return;
        }
        UnitOfWork.ReferencedRows taker = reg.work().referencedRows();
        if (taker == null) {
            return;
        }
        Set<io.dbcomposite.internal.apply.RowRef> rows = new java.util.HashSet<>();
        io.dbcomposite.internal.apply.References.collect(persister, id, state, session, rows);
        if (!rows.isEmpty()) {
            taker.before(rows);
        }
    }

    @Override
    public boolean onPreDelete(PreDeleteEvent event) {
        SessionRegistry.Registration reg = registry.lookup(event.getSession());
        if (reg == null) {
            return false;
        }
        if (!vetoed(event.getPersister())) {
            if (side == Side.REMOTE) {
                reg.work().beforeRemoteLatePhase();
            }
            return false;
        }
        Set<Side> targets = targets(event.getPersister());
        for (Side target : targets) {
            reg.work().record(target, new PendingWrite(event.getPersister().getEntityName(), event.getId(),
                    ChangeOperation.DELETE, null, null));
        }
        return true;
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.INSERT, event.getState(), null, null);
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.UPDATE, event.getState(),
                version(event.getPersister(), event.getOldState()), event.getOldState());
        if (side == Side.LOCAL) {
            forgetKeptKeys(event);
        }
    }

    /**
     * After an update that wrote a key {@link #keepKeysToRowsNotHeldHere} kept, the state Hibernate keeps for the next
     * dirty check holds null there again, as the instance does: else the next flush would find the instance changed and
     * write (and count the version of) a row nobody changed.
     */
    private void forgetKeptKeys(PostUpdateEvent event) {
        int[] toOnes = toRowsNotHeldHere(event.getPersister());
        if (toOnes.length == 0) {
            return;
        }
        org.hibernate.engine.spi.EntityEntry entry = event.getSession().getPersistenceContextInternal().getEntry(event.getEntity());
        Object[] loaded = entry == null ? null : entry.getLoadedState();
        Object[] copy = null;
        for (int i : toOnes) {
            if (loaded != null && loaded[i] != null && event.getPersister().getValue(event.getEntity(), i) == null) {
                if (copy == null) {
                    copy = loaded.clone(); // the event's own state is the same array: the capture still reads it
                }
                copy[i] = null;
            }
        }
        if (copy != null) {
            entry.postUpdate(event.getEntity(), copy, entry.getVersion());
        }
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        mirror(event.getSession(), event.getPersister(), event.getId(), ChangeOperation.DELETE, null, null, null);
    }

    /** @param loaded for an update, the state the instance was loaded with, or null */
    private void mirror(org.hibernate.engine.spi.SharedSessionContractImplementor session, EntityPersister persister,
                        Object id, ChangeOperation op, Object[] state, Object previousVersion, Object[] loaded) {
        SessionRegistry.Registration reg = registry.lookup(session);
        if (reg == null) {
            return;
        }
        Set<Side> targets = targets(persister);
        if (targets.contains(Side.REMOTE)) {
            reg.work().touchedRemote(persister.getEntityName());
        }
        if (targets.size() == 1 && targets.contains(side)) {
            return; // written here only: nothing to read back for another side
        }
        // an insert's values the database took from column defaults (@DynamicInsert) are what the row holds
        Object[] written = op == ChangeOperation.INSERT ? columnDefaults.fill(persister, id, state, session) : state;
        Object expected = previousVersion;
        if (side == Side.LOCAL) {
            // the other side gets what the local row holds (times as the local database keeps them), and expects the
            // version the local row had, as stored: both sides then hold the same values and versions
            written = storedValues.asStored(persister, written, session);
            expected = storedValues.versionAsStored(persister, previousVersion, session);
        }
        if (op == ChangeOperation.UPDATE) {
            // a collection loaded through a session filter holds only some of its rows: unchanged, it is left as it is
            written = io.dbcomposite.internal.capture.SnapshotCodec.leavingOutFilteredCollections(persister, id, written, session);
        }
        RoutingPlan plan = routes.get().plan(persister.getMappedClass());
        for (Side target : targets) {
            if (target == side) {
                continue;
            }
            if (op == ChangeOperation.UPDATE && side == Side.REMOTE && target == Side.LOCAL && plan != null
                    && plan.capture() == io.dbcomposite.internal.capture.CaptureMode.ALWAYS) {
                // the local row may hold changes still pending for the remote (DUAL+QUEUE), which the instance the remote
                // session loaded lacks: the local side gets what this update changed (a row not there is written whole)
                reg.work().record(target, forLocal(persister, id, loaded, written, expected, session, true));
            } else {
                reg.work().record(target, new PendingWrite(persister.getEntityName(), id, op,
                        written == null ? null : written.clone(), expected));
            }
        }
    }

    @Override
    public void onPostRecreateCollection(org.hibernate.event.spi.PostCollectionRecreateEvent event) {
        collectionChanged(event, false);
    }

    @Override
    public void onPostUpdateCollection(org.hibernate.event.spi.PostCollectionUpdateEvent event) {
        collectionChanged(event, false);
    }

    @Override
    public void onPreRemoveCollection(org.hibernate.event.spi.PreCollectionRemoveEvent event) {
        beforeRemoteCollectionWrite(event);
        collectionChanged(event, true);
    }

    @Override
    public void onPreUpdateCollection(org.hibernate.event.spi.PreCollectionUpdateEvent event) {
        beforeRemoteCollectionWrite(event);
        rememberLoaded(event);
    }

    /**
     * The remote session is about to write a collection changed in place whose owner is written locally (reached from
     * an entity read remotely): what it held when loaded is kept, as the base of the owner's partial update
     * ({@link PartialUpdates}); once written, the collection's snapshot is its new contents.
     */
    private void rememberLoaded(org.hibernate.event.spi.AbstractCollectionEvent event) {
        if (side != Side.REMOTE || event.getCollection() == null || event.getAffectedOwnerEntityName() == null) {
            return;
        }
        SessionRegistry.Registration reg;
        try {
            reg = registry.lookup(event.getSession());
        } catch (NullPointerException statelessWrite) {
            return; // a StatelessSession's collection events carry no session (Hibernate ORM 7.4 throws, 7.2 gives null)
        }
        if (reg == null) {
            return;
        }
        EntityPersister owner = event.getSession().getFactory().getMappingMetamodel()
                .getEntityDescriptor(event.getAffectedOwnerEntityName());
        if (vetoed(owner) && targets(owner).contains(Side.LOCAL)) {
            reg.work().rememberLoaded(event.getCollection(),
                    PartialUpdates.loadedContents(event.getCollection()));
        }
    }

    @Override
    public void onPreRecreateCollection(org.hibernate.event.spi.PreCollectionRecreateEvent event) {
        beforeRemoteCollectionWrite(event);
    }

    /** The remote session's flush reached its collection writes: the writes recorded for the remote go first. */
    private void beforeRemoteCollectionWrite(org.hibernate.event.spi.AbstractCollectionEvent event) {
        if (side != Side.REMOTE) {
            return;
        }
        SessionRegistry.Registration reg;
        try {
            reg = registry.lookup(event.getSession());
        } catch (NullPointerException statelessWrite) {
            return; // a StatelessSession's collection events carry no session: our own applies, never a facade's
        }
        if (reg == null) {
            return;
        }
        reg.work().beforeRemoteLatePhase();
        if (event instanceof org.hibernate.event.spi.PreCollectionRemoveEvent || event.getCollection() == null
                || event.getCollection().getRole() == null || event.getAffectedOwnerEntityName() == null) {
            return;
        }
        org.hibernate.metamodel.MappingMetamodel metamodel = event.getSession().getFactory().getMappingMetamodel();
        org.hibernate.persister.collection.CollectionPersister cp = metamodel.getCollectionDescriptor(event.getCollection().getRole());
        UnitOfWork.ReferencedRows taker;
        if (!vetoed(metamodel.getEntityDescriptor(event.getAffectedOwnerEntityName()))
                && io.dbcomposite.internal.apply.References.refersThrough(cp, event.getSession().getFactory())
                && (taker = reg.work().referencedRows()) != null) {
            // the rows it writes may refer to rows only the local side holds so far (an element collection's to-ones,
            // an entity map key, join rows): those go first
            Set<io.dbcomposite.internal.apply.RowRef> rows = new java.util.HashSet<>();
            io.dbcomposite.internal.apply.References.collectCollection(cp, event.getCollection(), event.getSession(), rows);
            if (!rows.isEmpty()) {
                taker.before(rows);
            }
        }
    }

    /**
     * A collection's rows were written without an entity event of their owner whenever only the collection changed (an
     * unversioned owner, or a collection excluded from optimistic locking): the owner's full state is recorded for its
     * other sides, whose upsert rewrites the collection. A unidirectional one-to-many keeps its key in the element's
     * table, and an inverse list its order column, where no entity state holds them: when its elements are written on
     * another side too, those columns are recorded for that side.
     */
    private void collectionChanged(org.hibernate.event.spi.AbstractCollectionEvent event, boolean removed) {
        org.hibernate.event.spi.EventSource source;
        try {
            source = event.getSession();
        } catch (NullPointerException statelessWrite) {
            return; // a StatelessSession's collection events carry no session: our own applies, never a facade's
        }
        SessionRegistry.Registration reg = registry.lookup(source);
        if (reg == null || event.getCollection() == null || event.getCollection().getRole() == null) {
            return;
        }
        org.hibernate.persister.collection.CollectionPersister cp = source.getFactory().getMappingMetamodel()
                .getCollectionDescriptor(event.getCollection().getRole());
        if (side == Side.REMOTE && !cp.isInverse() && event.getAffectedOwnerEntityName() != null) {
            // the remote session wrote this collection's rows (or the keys in its elements' rows): its transaction
            // holds a write, even where no entity of it changed, so the commit must not end it as one that only read
            EntityPersister owner = source.getFactory().getMappingMetamodel().getEntityDescriptor(event.getAffectedOwnerEntityName());
            if (targets(owner).contains(Side.REMOTE) && !vetoed(owner)) {
                reg.work().touchedRemote(owner.getEntityName());
            }
        }
        if (cp.isOneToMany() && cp.getElementType() instanceof org.hibernate.type.EntityType element) {
            if (io.dbcomposite.internal.apply.AssociationWrites.keptInElements(cp)) {
                keys(event, reg, cp, element, removed);
            }
        } else if (!cp.isInverse()) {
            owner(event, reg, source);
        }
    }

    /** Records the owner of a changed element collection or join table for its other sides, unless a write of it is pending. */
    private void owner(org.hibernate.event.spi.AbstractCollectionEvent event, SessionRegistry.Registration reg,
                       org.hibernate.event.spi.EventSource source) {
        Object owner = event.getAffectedOwnerOrNull();
        Object ownerId = event.getAffectedOwnerIdOrNull();
        if (owner == null || ownerId == null) {
            return;
        }
        org.hibernate.engine.spi.EntityEntry entry = source.getPersistenceContextInternal().getEntry(owner);
        if (entry != null && entry.getStatus() == org.hibernate.engine.spi.Status.DELETED) {
            return; // its delete follows
        }
        EntityPersister persister = source.getFactory().getMappingMetamodel().getEntityDescriptor(event.getAffectedOwnerEntityName());
        Set<Side> targets = targets(persister);
        if (targets.contains(Side.REMOTE)) {
            reg.work().touchedRemote(persister.getEntityName());
        }
        if (targets.size() > 1 || !targets.contains(side)) {
            // loaded through a session filter, it holds only some of its rows: written elsewhere, it would lose the others
            io.dbcomposite.internal.capture.SnapshotCodec.refuseChangeThroughFilter(persister, event.getCollection(), source);
        }
        PartialUpdates.Loaded loaded = side == Side.REMOTE ? reg.work().takeLoaded(event.getCollection()) : null;
        for (Side target : targets) {
            if (target == side) {
                continue;
            }
            // through an instance the remote session loaded, which may lag the local row by changes not yet synced: the
            // local row gets this collection (see PartialUpdates), and keeps its own others
            int property = side == Side.REMOTE && target == Side.LOCAL ? propertyHolding(persister, owner, event.getCollection()) : -1;
            Object[] values = persister.getValues(owner);
            // the changed property's base: the collection's loaded contents, or its embeddable's with them inside
            java.util.function.Function<org.hibernate.collection.spi.PersistentCollection<?>, PartialUpdates.Loaded> snapshot =
                    pc -> pc == event.getCollection() ? loaded : null;
            Object propertyBase = property < 0 ? null
                    : persister.getPropertyTypes()[property] instanceof org.hibernate.type.ComponentType component
                    ? PartialUpdates.parts(component, values[property], values[property], snapshot) : loaded;
            if (reg.work().hasPending(target, persister.getEntityName(), ownerId)) {
                // a write of the row still pending holds the live collection, so it carries this change already
                if (property >= 0) {
                    reg.work().alsoChanged(target, persister.getEntityName(), ownerId, property, propertyBase);
                }
                continue;
            }
            Object version = persister.isVersioned() ? persister.getVersion(owner) : null;
            Object[] state = io.dbcomposite.internal.capture.SnapshotCodec.leavingOutFilteredCollections(persister, ownerId,
                    values, source);
            if (property >= 0) {
                boolean[] changed = new boolean[state.length];
                changed[property] = true;
                if (persister.isVersioned()) {
                    changed[persister.getVersionPropertyIndex()] = true;
                }
                Object[] base = state.clone();
                base[property] = propertyBase;
                reg.work().record(target, PendingWrite.ofChanged(persister.getEntityName(), ownerId, state, version, base,
                        changed, false));
            } else {
                reg.work().record(target, new PendingWrite(persister.getEntityName(), ownerId, ChangeOperation.UPDATE,
                        state, version));
            }
        }
    }

    /** @return the index of the owner's property that is this collection instance or holds it (an embeddable), or -1 */
    private static int propertyHolding(EntityPersister persister, Object owner, Object collection) {
        Object[] values = persister.getValues(owner);
        org.hibernate.type.Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < values.length; i++) {
            if (holds(types[i], values[i], collection)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean holds(org.hibernate.type.Type type, Object value, Object collection) {
        if (value == collection) {
            return true;
        }
        if (type instanceof org.hibernate.type.ComponentType component && value != null) {
            Object[] parts = component.getPropertyValues(value);
            org.hibernate.type.Type[] subtypes = component.getSubtypes();
            for (int j = 0; j < parts.length; j++) {
                if (holds(subtypes[j], parts[j], collection)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void keys(org.hibernate.event.spi.AbstractCollectionEvent event, SessionRegistry.Registration reg,
                      org.hibernate.persister.collection.CollectionPersister cp, org.hibernate.type.EntityType element,
                      boolean removed) {
        EntityPersister elementPersister = event.getSession().getFactory().getMappingMetamodel()
                .getEntityDescriptor(element.getAssociatedEntityName());
        Set<Side> others = new java.util.HashSet<>(targets(elementPersister));
        others.remove(side);
        RoutingPlan elementPlan = routes.get().plan(elementPersister.getMappedClass());
        if (side == Side.REMOTE && elementPlan != null && elementPlan.heldUntilCommit()) {
            // held elements reach the remote at commit, after this flush wrote their columns to rows not there yet (or
            // not at all, for elements the remote session does not manage): the columns are written again after them
            others.add(Side.REMOTE);
        }
        Object ownerId = event.getAffectedOwnerIdOrNull();
        if (others.isEmpty() || ownerId == null) {
            return;
        }
        java.util.List<Object> ids = new java.util.ArrayList<>();
        java.util.List<Object> mapKeys = null;
        if (!removed && !event.getCollection().wasInitialized()) {
            if (!cp.isInverse()) {
                return; // Hibernate writes no row of a collection it never loaded
            }
            if (side == Side.REMOTE && elementPlan != null && elementPlan.heldUntilCommit()) {
                // held elements added to a list that was never loaded (Hibernate queues the additions): their list
                // index was computed from rows the remote holds, without them, so it would be left null, silently
                throw new io.dbcomposite.CompositeRoutingException("Entity '" + routes.get().jpaName(elementPersister.getEntityName())
                        + "' is held by the local session until commit (read=REMOTE, write=REMOTE, onRemoteFail=QUEUE) and"
                        + " was added to the ordered list " + cp.getRole() + " of " + ownerId + ", which was never loaded:"
                        + " its list index cannot be computed. Load the list before adding to it (e.g. call size()), or"
                        + " route '" + routes.get().jpaName(elementPersister.getEntityName()) + "' with onRemoteFail=FAIL");
            }
            // elements added to an inverse list never loaded were numbered from its rows by Hibernate, which then
            // forgot them: what it wrote is in the rows, and reading them loads nothing
            ids = io.dbcomposite.internal.capture.InverseListOrder.read(event.getSession(), cp, ownerId);
        } else if (!removed) {
            java.util.Iterator<?> elements = event.getCollection().entries(cp);
            while (elements.hasNext()) {
                Object e = elements.next();
                if (e instanceof java.util.Map.Entry<?, ?> entry) {
                    if (mapKeys == null) {
                        mapKeys = new java.util.ArrayList<>();
                    }
                    mapKeys.add(entry.getKey());
                    e = entry.getValue();
                }
                // a null element keeps its place: the list index of the next ones counts it
                ids.add(e == null ? null : e instanceof org.hibernate.proxy.HibernateProxy proxy
                        ? proxy.getHibernateLazyInitializer().getInternalIdentifier()
                        : elementPersister.getIdentifier(e, event.getSession()));
            }
        }
        PartialUpdates.Loaded loaded = side == Side.REMOTE ? reg.work().takeLoaded(event.getCollection()) : null;
        for (Side target : others) {
            if (target == Side.LOCAL && side == Side.REMOTE && loaded != null && !removed && !cp.hasIndex()
                    && loaded.contents() instanceof java.util.List<?> elements) {
                // through an instance the remote session loaded, which may lag the local rows (an element added locally,
                // not yet synced): only the elements added and removed since it was loaded are written
                java.util.List<Object> loadedIds = new java.util.ArrayList<>();
                for (Object e : elements) {
                    loadedIds.add(e == null ? null : e instanceof org.hibernate.proxy.HibernateProxy proxy
                            ? proxy.getHibernateLazyInitializer().getInternalIdentifier()
                            : elementPersister.getIdentifier(e, event.getSession()));
                }
                reg.work().record(target, PendingWrite.keyChanges(cp.getRole(), elementPersister.getEntityName(), ownerId, ids,
                        loadedIds));
            } else {
                reg.work().record(target, PendingWrite.keys(cp.getRole(), elementPersister.getEntityName(), ownerId, ids, mapKeys));
            }
        }
    }

    private static Object version(EntityPersister persister, Object[] oldState) {
        if (!persister.isVersioned() || oldState == null) {
            return null;
        }
        return oldState[persister.getVersionPropertyIndex()];
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }
}


