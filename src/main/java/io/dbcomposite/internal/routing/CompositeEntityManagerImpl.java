package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.Read;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.CacheStoreMode;
import jakarta.persistence.ConnectionConsumer;
import jakarta.persistence.ConnectionFunction;
import jakarta.persistence.EntityGraph;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.FindOption;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockOption;
import jakarta.persistence.Query;
import jakarta.persistence.RefreshOption;
import jakarta.persistence.StoredProcedureQuery;
import jakarta.persistence.TypedQuery;
import jakarta.persistence.TypedQueryReference;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.CriteriaSelect;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.metamodel.Metamodel;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.query.spi.SqmQuery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing facade: one Hibernate session per side (the remote one opened on first use), each call sent
 * to the side the entity's routing names, and one {@link CompositeTransaction} over both.
 */
final class CompositeEntityManagerImpl implements CompositeEntityManager {

    private final CompositeEntityManagerFactoryImpl factory;
    private final RoutingTable routes;
    private final SessionImplementor local;
    private final UnitOfWork work = new UnitOfWork();
    private final CompositeTransaction transaction;
    private final Map<String, Object> properties;
    private SessionImplementor remote;
    private FlushModeType flushMode;
    /** Session state set through the routed session, applied to the remote session when it opens. */
    private org.hibernate.FlushMode hibernateFlushMode;
    private Boolean defaultReadOnly;
    private org.hibernate.CacheMode cacheMode;
    private SessionImplementor routedSession;
    private boolean open = true;
    /** The container's transactions (a JTA unit), or null. */
    private final JtaTransactions jta;
    /** JTA: whether this entity manager joins the container's transaction by itself ({@code SYNCHRONIZED}). */
    private final boolean autoJoin;
    /** JTA: closed by the application while joined; the sessions close when the container's transaction ends. */
    private boolean closeWhenCompleted;

    CompositeEntityManagerImpl(CompositeEntityManagerFactoryImpl factory, Map<?, ?> properties) {
        this(factory, properties, jakarta.persistence.SynchronizationType.SYNCHRONIZED);
    }

    CompositeEntityManagerImpl(CompositeEntityManagerFactoryImpl factory, Map<?, ?> properties,
                               jakarta.persistence.SynchronizationType synchronization) {
        this.factory = factory;
        this.routes = factory.routes();
        this.properties = new HashMap<>();
        this.jta = factory.jta();
        this.autoJoin = synchronization == jakarta.persistence.SynchronizationType.SYNCHRONIZED;
        this.local = openSession(factory.localFactory(), () -> remote, true);
        if (properties != null && !properties.isEmpty()) {
            properties.forEach((k, v) -> this.properties.put(String.valueOf(k), v));
            this.properties.forEach(local::setProperty);
        }
        factory.registry().register(local, Side.LOCAL, work);
        this.transaction = new CompositeTransaction(this, work, jta);
        if (jta != null && autoJoin) {
            try {
                joinCurrent(); // created inside a container's transaction: joined to it, as a container expects
            } catch (RuntimeException | Error e) {
                factory.registry().unregister(local);
                local.close();
                throw e;
            }
        }
    }

    // ---- sides ------------------------------------------------------------------------------------

    /**
     * Opens one side's session, told which instances the other side's session manages (see {@link OtherSideInstances}).
     *
     * @param autoJoin false for a JTA unit's remote session, which joins the container's transaction with the composite
     */
    private static SessionImplementor openSession(org.hibernate.SessionFactory side,
                                                  java.util.function.Supplier<SessionImplementor> otherSide, boolean autoJoin) {
        org.hibernate.Interceptor interceptor = OtherSideInstances.forSessionOf(side, otherSide);
        if (interceptor == null && autoJoin) {
            return (SessionImplementor) side.openSession();
        }
        org.hibernate.SessionBuilder builder = side.withOptions();
        if (interceptor != null) {
            builder = builder.interceptor(interceptor);
        }
        if (!autoJoin) {
            builder = builder.autoJoinTransactions(false);
        }
        return (SessionImplementor) builder.openSession();
    }

    // ---- JTA --------------------------------------------------------------------------------------

    /** Joins the calling thread's JTA transaction, if there is one and this is not joined to it yet. */
    private void joinCurrent() {
        jakarta.transaction.Transaction current = jta.current();
        if (current != null && !transaction.follows(current)) {
            if (transaction.isActive()) {
                throw new IllegalStateException("This entity manager is still joined to an earlier JTA transaction that"
                        + " has not completed; an entity manager follows one transaction at a time");
            }
            transaction.joinJta(current);
        }
    }

    /** The container's transaction this followed has ended: a close the application asked for meanwhile happens now. */
    void afterJtaCompletion() {
        if (closeWhenCompleted) {
            closeWhenCompleted = false;
            closeSessions();
        }
    }

    SessionImplementor localSession() {
        return local;
    }

    /** @return the remote session if it was opened, else null */
    SessionImplementor remoteSessionIfOpen() {
        return remote;
    }

    /** Opens the remote session on first use and joins it to a running transaction. */
    SessionImplementor remoteSession() {
        if (closeWhenCompleted) {
            // closed by the application while joined: the commit of the container's transaction still uses it
        } else {
            checkOpen();
        }
        if (remote == null) {
            SessionImplementor s = openSession(factory.remoteFactory(), () -> local, jta == null);
            properties.forEach(s::setProperty);
            if (flushMode != null) {
                s.setFlushMode(flushMode);
            }
            if (hibernateFlushMode != null) {
                s.setHibernateFlushMode(hibernateFlushMode);
            }
            if (defaultReadOnly != null) {
                s.setDefaultReadOnly(defaultReadOnly);
            }
            if (cacheMode != null) {
                s.setCacheMode(cacheMode);
            }
            factory.registry().register(s, Side.REMOTE, work);
            remote = s;
        }
        transaction.joinRemote();
        return remote;
    }

    CompositeEntityManagerFactoryImpl factory() {
        return factory;
    }

    private Session side(Side side) {
        return side == Side.REMOTE ? remoteSession() : local;
    }

    /** A bulk statement runs on the remote session: the remote commits first, and a remote failure fails the commit. */
    private Session mutationSide(Side side) {
        if (side == Side.REMOTE) {
            work.usedRemoteDirectly();
        }
        return side(side);
    }

    /** @return true if the entity is read from the remote (a local read then allocates nothing more than Hibernate's) */
    private boolean readsRemotely(Class<?> type) {
        RoutingPlan p = routes.plan(type);
        return p != null && p.readSide() == Side.REMOTE;
    }

    /** Runs a read on the remote session; a remote that is lost says so with RemoteUnavailableException. */
    private <T> T remoteRead(java.util.function.Function<Session, T> call) {
        try {
            return call.apply(remoteSession());
        } catch (RuntimeException e) {
            throw RemoteCalls.translate(e, factory.availability());
        }
    }

    /** @return the query, made to report a lost remote as RemoteUnavailableException if it runs there */
    private <Q> Q routed(Side side, Q query) {
        return side == Side.REMOTE ? RemoteCalls.query(query, factory.availability(), this::heldWritesBeforeRemoteQuery) : query;
    }

    /**
     * Before a query runs on the remote in a transaction with automatic flushing: the writes the local session holds for
     * the remote (entities held until commit, persisted, changed or removed since the last flush) are flushed and sent
     * into the remote transaction, as plain Hibernate flushes before a query, so the query sees them. Without this a
     * count after a persist, flush and remove of a held entity still counted the removed row.
     */
    private void heldWritesBeforeRemoteQuery() {
        // a held entity loaded by a remote query is managed by the remote session, whose removal waits in that session's
        // action queue and becomes a held write only at flush: so actions queued there count too
        if (!transaction.isActive() || !factory.routes().holdsAny()
                || local.getPersistenceContextInternal().getNumberOfManagedEntities() == 0 && !work.hasPending(Side.REMOTE)
                        && (remote == null || !remote.getActionQueue().hasAnyQueuedActions())) {
            return;
        }
        FlushModeType mode = getFlushMode();
        if (mode != FlushModeType.AUTO || local.getHibernateFlushMode() == org.hibernate.FlushMode.MANUAL) {
            return;
        }
        transaction.flushAndMirror();
    }

    private Session readSide(Class<?> type) {
        return readsRemotely(type) ? remoteSession() : local;
    }

    /**
     * The session a new or detached instance joins: its read side, unless that side never receives its writes
     * or the entity queues its remote writes (it is then held locally and written to the remote at commit).
     */
    private Session homeFor(Object entity) {
        RoutingPlan p = routes.planOfInstance(entity);
        return p != null && p.home() == Side.REMOTE ? remoteSession() : local;
    }

    /** @return the session managing the instance, or null */
    private Session owner(Object entity) {
        checkOpen();
        if (local.contains(entity)) {
            return local;
        }
        if (remote != null && remote.contains(entity)) {
            return remote;
        }
        return null;
    }

    private Session ownerOrHome(Object entity) {
        Session owner = owner(entity);
        return owner != null ? owner : homeFor(entity);
    }

    // ---- for the routed session -------------------------------------------------------------------

    /** @return the session managing the instance, or the one it would join */
    Session sessionOf(Object entity) {
        return ownerOrHome(entity);
    }

    /** @return the session the entity class is read from */
    Session readSessionOf(Class<?> type) {
        checkOpen();
        return readSide(type);
    }

    void setHibernateFlushMode(org.hibernate.FlushMode mode) {
        checkOpen();
        hibernateFlushMode = mode;
        local.setHibernateFlushMode(mode);
        if (remote != null) {
            remote.setHibernateFlushMode(mode);
        }
    }

    void setDefaultReadOnly(boolean readOnly) {
        checkOpen();
        defaultReadOnly = readOnly;
        local.setDefaultReadOnly(readOnly);
        if (remote != null) {
            remote.setDefaultReadOnly(readOnly);
        }
    }

    void setCacheMode(org.hibernate.CacheMode mode) {
        checkOpen();
        cacheMode = mode;
        local.setCacheMode(mode);
        if (remote != null) {
            remote.setCacheMode(mode);
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("This entity manager is closed");
        }
        if (jta != null && autoJoin) {
            joinCurrent(); // SYNCHRONIZED: joins the container's transaction on its first use in it
        }
    }

    // ---- CompositeEntityManager ------------------------------------------------------------------

    @Override
    public EntityManager local() {
        checkOpen();
        return local;
    }

    @Override
    public EntityManager remote() {
        SessionImplementor s = remoteSession();
        work.usedRemoteDirectly(); // what the caller writes through it is unknown: the remote commits first
        return s;
    }

    @Override
    public CompositeEntityManagerFactory getEntityManagerFactory() {
        return factory;
    }

    // ---- entity operations ------------------------------------------------------------------------

    @Override
    public void persist(Object entity) {
        try {
            ownerOrHome(entity).persist(entity);
        } catch (io.dbcomposite.RemoteUnavailableException down) {
            throw refusedWrite(entity, "persist", down);
        }
    }

    /**
     * The contract's outage rule for a write of an instance that needs the remote (a {@code FAIL} entity written there,
     * or an instance its cascade reaches): a remote that cannot be reached for it fails the write with
     * {@code RemoteWriteException} caused by {@code RemoteUnavailableException}, not with the bare outage a read gets,
     * and the transaction is marked for rollback, as a failed commit rolls back both sides. Nothing of it was written:
     * the remote session never got a connection.
     *
     * @return the exception to throw
     */
    private RemoteWriteException refusedWrite(Object entity, String operation, io.dbcomposite.RemoteUnavailableException down) {
        transaction.markRollbackOnly();
        return remoteFailure("Remote write of " + entityNameOf(entity) + " (" + operation + ") failed; nothing of it was"
                + " written, and the transaction is marked for rollback", down);
    }

    /** @return the instance's entity name, or its class's name if it is no entity of the unit */
    private String entityNameOf(Object entity) {
        if (entity == null) {
            return "null";
        }
        try {
            return local.getEntityPersister(null, entity).getJpaEntityName();
        } catch (RuntimeException notAnEntity) {
            return entity.getClass().getName();
        }
    }

    @Override
    public <T> T merge(T entity) {
        try {
            return mergeRouted(entity);
        } catch (io.dbcomposite.RemoteUnavailableException down) {
            throw refusedWrite(entity, "merge", down);
        }
    }

    private <T> T mergeRouted(T entity) {
        Session target = ownerOrHome(entity);
        if (target == local && entity != null && !local.contains(entity)) {
            RoutingPlan plan = routes.planOfInstance(entity);
            if (plan != null && plan.heldUntilCommit()) {
                // the local session cannot tell whether the remote has the row: its insert is applied as an upsert
                org.hibernate.persister.entity.EntityPersister persister = local.getEntityPersister(null, entity);
                Object id = persister.getIdentifier(entity, local);
                if (id != null) {
                    // the local session takes the instance for a new one: the version it was read at goes along
                    work.merged(persister.getEntityName(), id, persister.isVersioned() ? persister.getVersion(entity) : null);
                }
            }
        }
        return target.merge(entity);
    }

    @Override
    public void remove(Object entity) {
        Session owner = owner(entity);
        if (owner == null && detachedOnReadSide(entity)) {
            // as Hibernate's JPA delete listener refuses it (Jakarta Persistence 3.2, 3.2.3)
            throw new IllegalArgumentException(new org.hibernate.DetachedObjectException(
                    "Given entity is not associated with the persistence context"));
        }
        try {
            (owner != null ? owner : homeFor(entity)).remove(entity);
        } catch (io.dbcomposite.RemoteUnavailableException down) {
            throw refusedWrite(entity, "remove", down);
        }
    }

    /**
     * An instance no session manages joins its home session; where that is not the side its rows are read from (an
     * entity held locally until commit) the home session would take a detached instance for a new one (it finds no row)
     * and ignore it, so the read side tells detached from new.
     */
    private boolean detachedOnReadSide(Object entity) {
        RoutingPlan p = routes.planOfInstance(entity);
        if (p == null || p.readSide() == p.home() || p.readSide() != Side.REMOTE) {
            return false;
        }
        return remoteRead(s -> {
            SessionImplementor session = (SessionImplementor) s;
            return !org.hibernate.engine.internal.ForeignKeys.isTransient(session.bestGuessEntityName(entity), entity,
                    null, session);
        });
    }

    @Override
    public <T> T find(Class<T> entityClass, Object primaryKey) {
        checkOpen();
        T held = heldLocally(entityClass, primaryKey);
        if (held != null) {
            return held;
        }
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.find(entityClass, primaryKey))
                : local.find(entityClass, primaryKey);
    }

    @Override
    public <T> T find(Class<T> entityClass, Object primaryKey, Map<String, Object> properties) {
        checkOpen();
        T held = heldLocally(entityClass, primaryKey);
        if (held != null) {
            return held;
        }
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.find(entityClass, primaryKey, properties))
                : local.find(entityClass, primaryKey, properties);
    }

    /**
     * An entity held by the local session until commit ({@code read=REMOTE, write=REMOTE, onRemoteFail=QUEUE}) and
     * persisted in this entity manager is not on the remote yet: a find of it returns the managed instance, as plain
     * Hibernate's does, instead of asking the remote, which does not know it.
     *
     * @return the managed instance persisted here, or null
     */
    private <T> T heldLocally(Class<T> type, Object id) {
        if (id == null || local.getPersistenceContextInternal().getNumberOfManagedEntities() == 0) {
            return null;
        }
        RoutingPlan plan = routes.plan(type);
        if (plan == null || !plan.heldUntilCommit()) {
            return null;
        }
        org.hibernate.persister.entity.EntityPersister persister = local.getFactory().getMappingMetamodel()
                .getEntityDescriptor(type);
        Object entity = local.getPersistenceContextInternal().getEntity(local.generateEntityKey(id, persister));
        if (entity == null || !type.isInstance(entity)) {
            return null;
        }
        org.hibernate.engine.spi.EntityEntry entry = local.getPersistenceContextInternal().getEntry(entity);
        return entry != null && entry.getStatus() == org.hibernate.engine.spi.Status.MANAGED ? type.cast(entity) : null;
    }

    @Override
    public <T> T find(Class<T> entityClass, Object primaryKey, LockModeType lockMode) {
        checkOpen();
        if (ForcedIncrements.forces(lockMode)) {
            return lockFound(find(entityClass, primaryKey, ForcedIncrements.toLoad(lockMode)), lockMode);
        }
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.find(entityClass, primaryKey, lockMode))
                : local.find(entityClass, primaryKey, lockMode);
    }

    @Override
    public <T> T find(Class<T> entityClass, Object primaryKey, LockModeType lockMode, Map<String, Object> properties) {
        checkOpen();
        if (ForcedIncrements.forces(lockMode)) {
            return lockFound(find(entityClass, primaryKey, ForcedIncrements.toLoad(lockMode), properties), lockMode);
        }
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.find(entityClass, primaryKey, lockMode, properties))
                : local.find(entityClass, primaryKey, lockMode, properties);
    }

    @Override
    public <T> T find(Class<T> entityClass, Object primaryKey, FindOption... options) {
        checkOpen();
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.find(entityClass, primaryKey, options))
                : local.find(entityClass, primaryKey, options);
    }

    @Override
    public <T> T find(EntityGraph<T> entityGraph, Object primaryKey, FindOption... options) {
        checkOpen();
        Class<T> type = ((org.hibernate.graph.Graph<T>) entityGraph).getGraphedType().getJavaType();
        return readsRemotely(type)
                ? remoteRead(s -> s.find(entityGraph, primaryKey, options))
                : local.find(entityGraph, primaryKey, options);
    }

    @Override
    public <T> T getReference(Class<T> entityClass, Object primaryKey) {
        checkOpen();
        return readsRemotely(entityClass)
                ? remoteRead(s -> s.getReference(entityClass, primaryKey))
                : local.getReference(entityClass, primaryKey);
    }

    @Override
    public <T> T getReference(T entity) {
        Session owner = owner(entity);
        if (owner != null) {
            return owner.getReference(entity);
        }
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) org.hibernate.Hibernate.getClassLazy(entity);
        return readsRemotely(type) ? remoteRead(s -> s.getReference(entity)) : local.getReference(entity);
    }

    @Override
    public void refresh(Object entity) {
        ownerOrHome(entity).refresh(entity);
    }

    @Override
    public void refresh(Object entity, Map<String, Object> properties) {
        ownerOrHome(entity).refresh(entity, properties);
    }

    @Override
    public void refresh(Object entity, LockModeType lockMode) {
        if (ForcedIncrements.forces(lockMode)) {
            refresh(entity, ForcedIncrements.toLoad(lockMode));
            lock(entity, lockMode);
            return;
        }
        ownerOrHome(entity).refresh(entity, lockMode);
    }

    @Override
    public void refresh(Object entity, LockModeType lockMode, Map<String, Object> properties) {
        if (ForcedIncrements.forces(lockMode)) {
            refresh(entity, ForcedIncrements.toLoad(lockMode), properties);
            lock(entity, lockMode);
            return;
        }
        ownerOrHome(entity).refresh(entity, lockMode, properties);
    }

    @Override
    public void refresh(Object entity, RefreshOption... options) {
        ownerOrHome(entity).refresh(entity, options);
    }

    @Override
    public void lock(Object entity, LockModeType lockMode) {
        Session owner = ownerOrHome(entity);
        completesOnRemote(owner, entity, lockMode);
        if (!ForcedIncrements.lock(this, (SessionImplementor) owner, entity, lockMode)) {
            owner.lock(entity, lockMode);
        }
    }

    @Override
    public void lock(Object entity, LockModeType lockMode, Map<String, Object> properties) {
        Session owner = ownerOrHome(entity);
        completesOnRemote(owner, entity, lockMode);
        if (!ForcedIncrements.lock(this, (SessionImplementor) owner, entity, lockMode)) {
            owner.lock(entity, lockMode, properties);
        }
    }

    @Override
    public void lock(Object entity, LockModeType lockMode, LockOption... options) {
        Session owner = ownerOrHome(entity);
        completesOnRemote(owner, entity, lockMode);
        if (!ForcedIncrements.lock(this, (SessionImplementor) owner, entity, lockMode)) {
            owner.lock(entity, lockMode, options);
        }
    }

    /**
     * A lock that Hibernate completes when the remote transaction commits (the version check of {@code OPTIMISTIC}, the
     * increment of {@code OPTIMISTIC_FORCE_INCREMENT}) or that has already written there ({@code
     * PESSIMISTIC_FORCE_INCREMENT}) makes the transaction a remote writer: the remote commits first, and a remote failure
     * fails the commit (an increment cannot wait in the sync log: the lock is the remote row's). Without this a
     * transaction that wrote nothing else ended the remote transaction with a rollback, and the increment or the check
     * was lost.
     */
    private void completesOnRemote(Session owner, Object entity, LockModeType lockMode) {
        if (owner == remote && remote != null && (lockMode == LockModeType.OPTIMISTIC
                || lockMode == LockModeType.OPTIMISTIC_FORCE_INCREMENT || lockMode == LockModeType.PESSIMISTIC_FORCE_INCREMENT)
                && transaction.isActive()) {
            work.usedRemoteDirectly();
            work.touchedRemote(remote.getEntityName(entity));
        }
    }

    /**
     * A find or refresh with a forced increment is a load with the lock that comes with it, then the increment through
     * {@link #lock}: the facade takes over the increments it must record.
     */
    private <T> T lockFound(T entity, LockModeType lockMode) {
        if (entity != null) {
            lock(entity, lockMode);
        }
        return entity;
    }

    /** @return the side a session of this entity manager belongs to */
    Side sideOf(SessionImplementor session) {
        return session == local ? Side.LOCAL : Side.REMOTE;
    }

    UnitOfWork work() {
        return work;
    }

    @Override
    public LockModeType getLockMode(Object entity) {
        return ownerOrHome(entity).getLockMode(entity);
    }

    @Override
    public void detach(Object entity) {
        ownerOrHome(entity).detach(entity);
    }

    @Override
    public boolean contains(Object entity) {
        checkOpen();
        return local.contains(entity) || (remote != null && remote.contains(entity));
    }

    @Override
    public void flush() {
        checkOpen();
        transaction.flushAndMirror();
    }

    @Override
    public void clear() {
        checkOpen();
        local.clear();
        if (remote != null) {
            remote.clear();
        }
    }

    @Override
    public void setFlushMode(FlushModeType flushMode) {
        checkOpen();
        this.flushMode = flushMode;
        local.setFlushMode(flushMode);
        if (remote != null) {
            remote.setFlushMode(flushMode);
        }
    }

    @Override
    public FlushModeType getFlushMode() {
        checkOpen();
        return local.getFlushMode();
    }

    @Override
    public void setCacheRetrieveMode(CacheRetrieveMode mode) {
        local.setCacheRetrieveMode(mode);
        if (remote != null) {
            remote.setCacheRetrieveMode(mode);
        }
    }

    @Override
    public void setCacheStoreMode(CacheStoreMode mode) {
        local.setCacheStoreMode(mode);
        if (remote != null) {
            remote.setCacheStoreMode(mode);
        }
    }

    @Override
    public CacheRetrieveMode getCacheRetrieveMode() {
        return local.getCacheRetrieveMode();
    }

    @Override
    public CacheStoreMode getCacheStoreMode() {
        return local.getCacheStoreMode();
    }

    @Override
    public void setProperty(String name, Object value) {
        checkOpen();
        properties.put(name, value);
        local.setProperty(name, value);
        if (remote != null) {
            remote.setProperty(name, value);
        }
    }

    @Override
    public Map<String, Object> getProperties() {
        checkOpen();
        return local.getProperties();
    }

    // ---- queries ----------------------------------------------------------------------------------

    @Override
    public Query createQuery(String qlString) {
        checkOpen();
        Side side = factory.queries().route(qlString);
        if (side == Side.LOCAL && factory.queries().spansSyncLog(qlString)) {
            return local.createQuery(factory.queries().selectWithoutSyncLog(qlString, null));
        }
        return routed(side, (factory.queries().isMutation(qlString) ? mutationSide(side) : side(side)).createQuery(qlString));
    }

    @Override
    public <T> TypedQuery<T> createQuery(String qlString, Class<T> resultClass) {
        checkOpen();
        Side side = factory.queries().route(qlString);
        if (side == Side.LOCAL && factory.queries().spansSyncLog(qlString)) {
            return local.createQuery(factory.queries().selectWithoutSyncLog(qlString, resultClass));
        }
        return routed(side, side(side).createQuery(qlString, resultClass));
    }

    // A criteria object built by either side's builder runs on both: the other side's interpreter resolves its
    // roots and attributes by name (re-issuing it as HQL through toHqlString() loses count(root) and unnamed
    // parameters, so the object itself is passed on).

    @Override
    public <T> TypedQuery<T> createQuery(CriteriaQuery<T> criteriaQuery) {
        checkOpen();
        Side side = factory.queries().route(Criteria.statement(criteriaQuery));
        return routed(side, side(side).createQuery(criteriaQuery));
    }

    @Override
    public <T> TypedQuery<T> createQuery(CriteriaSelect<T> selectQuery) {
        checkOpen();
        Side side = factory.queries().route(Criteria.statement(selectQuery));
        return routed(side, side(side).createQuery(selectQuery));
    }

    @Override
    public Query createQuery(CriteriaUpdate<?> updateQuery) {
        checkOpen();
        return mutationSide(factory.queries().route(Criteria.statement(updateQuery))).createQuery(updateQuery);
    }

    @Override
    public Query createQuery(CriteriaDelete<?> deleteQuery) {
        checkOpen();
        return mutationSide(factory.queries().route(Criteria.statement(deleteQuery))).createQuery(deleteQuery);
    }

    @Override
    public Query createNamedQuery(String name) {
        checkOpen();
        Query probe = local.createNamedQuery(name);
        Side side = sideOfNamed(probe);
        if (side == Side.REMOTE && probe instanceof SqmQuery<?> sqm
                && sqm.getSqmStatement() instanceof org.hibernate.query.sqm.tree.SqmDmlStatement<?>) {
            work.usedRemoteDirectly();
        }
        return side == Side.LOCAL ? probe : routed(side, remoteSession().createNamedQuery(name));
    }

    @Override
    public <T> TypedQuery<T> createNamedQuery(String name, Class<T> resultClass) {
        checkOpen();
        TypedQuery<T> probe = local.createNamedQuery(name, resultClass);
        Side side = sideOfNamed(probe);
        return side == Side.LOCAL ? probe : routed(side, remoteSession().createNamedQuery(name, resultClass));
    }

    @Override
    public <T> TypedQuery<T> createQuery(TypedQueryReference<T> reference) {
        checkOpen();
        TypedQuery<T> probe = local.createQuery(reference);
        Side side = sideOfNamed(probe);
        return side == Side.LOCAL ? probe : routed(side, remoteSession().createQuery(reference));
    }

    private Side sideOfNamed(Query query) {
        if (query instanceof SqmQuery<?> sqm) {
            return factory.queries().route(sqm.getSqmStatement());
        }
        return Side.LOCAL; // native named queries run locally, like every native query
    }

    @Override
    public Query createNativeQuery(String sqlString) {
        checkOpen();
        return local.createNativeQuery(sqlString);
    }

    @Override
    public <T> Query createNativeQuery(String sqlString, Class<T> resultClass) {
        checkOpen();
        return local.createNativeQuery(sqlString, resultClass);
    }

    @Override
    public Query createNativeQuery(String sqlString, String resultSetMapping) {
        checkOpen();
        return local.createNativeQuery(sqlString, resultSetMapping);
    }

    @Override
    public StoredProcedureQuery createNamedStoredProcedureQuery(String name) {
        checkOpen();
        return local.createNamedStoredProcedureQuery(name);
    }

    @Override
    public StoredProcedureQuery createStoredProcedureQuery(String procedureName) {
        checkOpen();
        return local.createStoredProcedureQuery(procedureName);
    }

    @Override
    public StoredProcedureQuery createStoredProcedureQuery(String procedureName, Class<?>... resultClasses) {
        checkOpen();
        return local.createStoredProcedureQuery(procedureName, resultClasses);
    }

    @Override
    public StoredProcedureQuery createStoredProcedureQuery(String procedureName, String... resultSetMappings) {
        checkOpen();
        return local.createStoredProcedureQuery(procedureName, resultSetMappings);
    }

    @Override
    public CriteriaBuilder getCriteriaBuilder() {
        checkOpen();
        return factory.getCriteriaBuilder();
    }

    @Override
    public Metamodel getMetamodel() {
        checkOpen();
        return factory.getMetamodel();
    }

    @Override
    public <T> EntityGraph<T> createEntityGraph(Class<T> rootType) {
        checkOpen();
        return readSide(rootType).createEntityGraph(rootType);
    }

    @Override
    public EntityGraph<?> createEntityGraph(String graphName) {
        checkOpen();
        return local.createEntityGraph(graphName);
    }

    @Override
    public EntityGraph<?> getEntityGraph(String graphName) {
        checkOpen();
        return local.getEntityGraph(graphName);
    }

    @Override
    public <T> List<EntityGraph<? super T>> getEntityGraphs(Class<T> entityClass) {
        checkOpen();
        return local.getEntityGraphs(entityClass);
    }

    // ---- transactions, connections, lifecycle -----------------------------------------------------

    @Override
    public EntityTransaction getTransaction() {
        checkOpen();
        if (jta != null) {
            throw new IllegalStateException("Persistence unit '" + factory.getName() + "' is of transaction-type JTA: its"
                    + " entity managers follow the container's transactions (UserTransaction, @Transactional, EJB);"
                    + " getTransaction() is for RESOURCE_LOCAL units");
        }
        return transaction;
    }

    @Override
    public void joinTransaction() {
        checkOpen();
        if (jta == null) {
            local.joinTransaction();
            return;
        }
        if (jta.current() == null) {
            throw new jakarta.persistence.TransactionRequiredException("No JTA transaction is active on this thread:"
                    + " joinTransaction() joins one begun with UserTransaction, @Transactional or by an EJB");
        }
        joinCurrent();
    }

    @Override
    public boolean isJoinedToTransaction() {
        checkOpen();
        if (jta != null) {
            jakarta.transaction.Transaction current = jta.current();
            return current != null && transaction.follows(current);
        }
        return transaction.isActive();
    }

    @Override
    public <C> void runWithConnection(ConnectionConsumer<C> action) {
        checkOpen();
        local.runWithConnection(action);
    }

    @Override
    public <C, T> T callWithConnection(ConnectionFunction<C, T> function) {
        checkOpen();
        return local.callWithConnection(function);
    }

    /**
     * The composite itself for the types it is (EntityManager, CompositeEntityManager); the routed session for
     * Hibernate's session interfaces ({@code Session}, {@code SessionImplementor}, {@code SharedSessionContract}, ...),
     * see {@link RoutedSession}; a refusal naming {@code local()} and {@code remote()} for anything else, as one side's
     * session or its internals would silently read and write that side only.
     */
    @Override
    public <T> T unwrap(Class<T> cls) {
        checkOpen();
        if (cls.isInstance(this)) {
            return cls.cast(this);
        }
        if (cls.isAssignableFrom(SessionImplementor.class)) {
            return cls.cast(routedSession());
        }
        throw new io.dbcomposite.CompositeRoutingException("A composite entity manager cannot be unwrapped to " + cls.getName()
                + ": it is two Hibernate sessions, one per database. Unwrap Session or SessionImplementor for a session"
                + " that routes (or refuses) each call, or take one side's entity manager:"
                + " ((CompositeEntityManager) em).local().unwrap(" + cls.getSimpleName() + ".class) or"
                + " .remote().unwrap(" + cls.getSimpleName() + ".class)");
    }

    private SessionImplementor routedSession() {
        if (routedSession == null) {
            routedSession = RoutedSession.of(this);
        }
        return routedSession;
    }

    /** The routed session (see {@link #unwrap(Class)}). */
    @Override
    public Object getDelegate() {
        checkOpen();
        return routedSession();
    }

    @Override
    public void close() {
        if (!open) {
            return; // a second close does nothing, as in plain Hibernate
        }
        open = false;
        if (jta != null && transaction.isActive()) {
            // Jakarta Persistence: joined to an active JTA transaction, the persistence context stays managed until the
            // transaction completes (a container closes its entity managers at the end of their transaction this way)
            closeWhenCompleted = true;
            return;
        }
        closeSessions();
    }

    private void closeSessions() {
        try {
            if (transaction.isActive()) {
                transaction.rollbackQuietly();
            }
        } finally {
            factory.registry().unregister(local);
            local.close();
            if (remote != null) {
                factory.registry().unregister(remote);
                remote.close();
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open && factory.isOpen();
    }

    /** @return a RemoteWriteException naming what could not reach the remote */
    static RemoteWriteException remoteFailure(String what, Throwable cause) {
        return new RemoteWriteException(what + ": " + cause.getMessage(), cause);
    }
}
