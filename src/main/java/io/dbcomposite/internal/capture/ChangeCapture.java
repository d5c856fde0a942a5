package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.internal.log.SyncLogRepository;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.CollectionType;
import org.hibernate.type.Type;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Captures local writes into the sync log: a {@link ChangeBuffer} per local transaction, written before
 * completion on the transaction's own connection, so the data and its log rows commit or roll back together.
 * A write outside a transaction (an auto-commit StatelessSession) is logged at once, right after it.
 */
public final class ChangeCapture {

    private final Map<SharedSessionContractImplementor, ChangeBuffer> buffers = new ConcurrentHashMap<>();
    private final Map<SharedSessionContractImplementor, SharedSessionContractImplementor> redirects = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SyncLogRepository log;
    private final StoredValues storedValues;
    private final RemoteLimits limits = new RemoteLimits();
    private final ColumnDefaults columnDefaults = new ColumnDefaults();
    private volatile Function<Class<?>, CaptureMode> modes = type -> CaptureMode.NEVER;

    /**
     * @param clock the clock of {@code createdAt} and {@code syncedAt}
     * @param log the sync log the buffers are written to
     * @param storedValues the unit's reader of values as the local database stores them
     */
    public ChangeCapture(Clock clock, SyncLogRepository log, StoredValues storedValues) {
        this.clock = clock;
        this.log = log;
        this.storedValues = storedValues;
    }

    /** Told after a local commit that wrote changes for the engine to replay; the job's nudge. */
    private volatile Runnable committed = () -> {
    };

    /** @param step runs after each local commit that wrote a change still to be replayed; cheap, never blocking */
    public void onCommitted(Runnable step) {
        this.committed = java.util.Objects.requireNonNull(step, "step");
    }

    /**
     * Writes a transaction's buffer to the log on the transaction's own connection.
     *
     * @return whether a written change waits for the engine (one not applied to the remote in the commit itself)
     */
    private boolean write(SharedSessionContractImplementor session, ChangeBuffer buffer) {
        java.util.List<ChangeBuffer.Change> changes = buffer.toWrite();
        if (changes.isEmpty()) {
            return false;
        }
        boolean pending = false;
        java.util.List<SyncLogRepository.NewRow> rows = new java.util.ArrayList<>(changes.size());
        for (ChangeBuffer.Change c : changes) {
            boolean synced = buffer.isSynced(c);
            pending |= !synced;
            rows.add(new SyncLogRepository.NewRow(c.persister().getJpaEntityName(), c.entityId(), c.operation(), c.payload(),
                    synced, c.base()));
        }
        log.insert(session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection(), buffer.txId(), rows,
                clock.instant());
        return pending;
    }

    /** @param modes the capture mode per entity class, known once the routing table is resolved */
    public void modes(Function<Class<?>, CaptureMode> modes) {
        this.modes = modes;
    }

    /** @return the unit's checks of the remote's column limits, on the local side */
    public RemoteLimits limits() {
        return limits;
    }

    CaptureMode modeOf(EntityPersister persister) {
        Class<?> type = persister.getMappedClass();
        if (type == SyncLogEntity.class) {
            return CaptureMode.NEVER;
        }
        return modes.apply(type);
    }

    /**
     * Sends what a helper session (a StatelessSession on the same connection) captures to the buffer of
     * the session whose transaction it works in.
     */
    public void redirect(SharedSessionContractImplementor helper, SharedSessionContractImplementor owner) {
        redirects.put(helper, owner);
    }

    /** Ends a {@link #redirect}. */
    public void endRedirect(SharedSessionContractImplementor helper) {
        redirects.remove(helper);
    }

    /** Sessions whose writes are never captured (the local copy of a remote row a conflict let win). */
    private final java.util.Set<SharedSessionContractImplementor> ignored = ConcurrentHashMap.newKeySet();

    /** Writes through this session are not captured until {@link #endIgnore}: they copy the remote, not change it. */
    public void ignore(SharedSessionContractImplementor session) {
        ignored.add(session);
    }

    /** Ends an {@link #ignore}. */
    public void endIgnore(SharedSessionContractImplementor session) {
        ignored.remove(session);
    }

    /** @return the reader of values local inserts left to column defaults */
    public ColumnDefaults columnDefaults() {
        return columnDefaults;
    }

    /** @return the buffer of the session's current transaction, or null if nothing was captured in it */
    public ChangeBuffer bufferOf(SharedSessionContractImplementor session) {
        return buffers.get(session);
    }

    /**
     * @param before the row's state before an update or a delete, as the session loaded it, or null if it did not
     */
    void record(SharedSessionContractImplementor session, EntityPersister persister, Object id, ChangeOperation op,
                Object[] state, Object[] before) {
        if (ignored.contains(session)) {
            return;
        }
        recordWrite(session, persister, id, op, state, before);
    }

    /**
     * Records a write the library itself ran through a helper session whose own events it ignores ({@link #ignore}):
     * a write the remote session's flush left for the local side, whose statements (an insert by Hibernate's insert
     * coordinator, a delete by id) fire no entity event, so that only this record captures it, once.
     *
     * @param state the row's state as written (null for a delete)
     * @param before the row's state before it, or null if not read
     */
    public void recordApplied(SharedSessionContractImplementor helper, EntityPersister persister, Object id,
                              ChangeOperation op, Object[] state, Object[] before) {
        recordWrite(helper, persister, id, op, state, before);
    }

    private void recordWrite(SharedSessionContractImplementor session, EntityPersister persister, Object id, ChangeOperation op,
                             Object[] state, Object[] before) {
        CaptureMode mode = modeOf(persister);
        if (mode == CaptureMode.NEVER) {
            return;
        }
        SharedSessionContractImplementor owner = redirects.getOrDefault(session, session);
        // the log holds what the local row holds (milliseconds, the zone it was read back in), not the instance's
        // in-memory values: the replay must give the remote exactly the local value
        Object[] stored = storedValues.asStored(persister,
                op == ChangeOperation.INSERT ? columnDefaults.fill(persister, id, state, session) : state, session);
        Object[] base = before == null || op == ChangeOperation.INSERT ? null
                : storedValues.asStored(persister, ChangeBuffer.withoutCollections(persister, before), session);
        if (!owner.isTransactionInProgress()) {
            ChangeBuffer once = new ChangeBuffer();
            once.record(session, persister, id, op, stored, base, mode);
            write(owner, once);
            return;
        }
        buffer(owner).record(session, persister, id, op, stored, base, mode);
    }

    /**
     * Records an update that fired no event (a forced version increment), if the entity's writes are captured.
     *
     * @param state the row's full state after the update, by the persister's property order
     */
    public void recordUpdate(SharedSessionContractImplementor session, EntityPersister persister, Object id, Object[] state) {
        record(session, persister, id, ChangeOperation.UPDATE, state, null);
    }

    /**
     * @param unloadedList an inverse ordered list of the owner that changed without being loaded, or null: its order is
     *     read from its rows, where Hibernate wrote it
     */
    void recordCollectionChange(SharedSessionContractImplementor session, EntityPersister owner, Object id, Object entity,
                                CollectionPersister unloadedList) {
        CaptureMode mode = modeOf(owner);
        if (mode == CaptureMode.NEVER || entity == null || (ignored != null && ignored.contains(session))) {
            return;
        }
        SharedSessionContractImplementor s = redirects.getOrDefault(session, session);
        if (s.isTransactionInProgress()) {
            Object[] state = owner.getValues(entity);
            if (unloadedList != null) {
                Type[] types = owner.getPropertyTypes();
                for (int i = 0; i < types.length; i++) {
                    if (types[i] instanceof CollectionType ct && ct.getRole().equals(unloadedList.getRole())) {
                        state[i] = new SnapshotCodec.ElementIds(InverseListOrder.read(session, unloadedList, id));
                    }
                }
            }
            buffer(s).recordCollectionChange(session, owner, id, state, mode, storedValues);
        }
    }

    /**
     * @return the buffer of the session's current transaction, opened (and hooked to its completion) if needed
     * @throws IllegalStateException if the session has no transaction in progress
     */
    public ChangeBuffer open(SharedSessionContractImplementor session) {
        if (!session.isTransactionInProgress()) {
            throw new IllegalStateException("No transaction in progress to capture changes in");
        }
        return buffer(session);
    }

    /**
     * Adds a change that never ran on the local side (a remote write queued because the remote failed) to the
     * buffer of the local session's transaction.
     */
    public void recordQueued(SharedSessionContractImplementor localSession, EntityPersister localPersister, Object id,
                             ChangeOperation op, Object[] state, Object[] before) {
        Object[] base = before == null || op == ChangeOperation.INSERT ? null
                : storedValues.asStored(localPersister, ChangeBuffer.withoutCollections(localPersister, before), localSession);
        buffer(localSession).record(localSession, localPersister, id, op, state, base, CaptureMode.ALWAYS);
    }

    private ChangeBuffer buffer(SharedSessionContractImplementor session) {
        ChangeBuffer existing = buffers.get(session);
        if (existing != null) {
            return existing;
        }
        ChangeBuffer created = new ChangeBuffer();
        buffers.put(session, created);
        TransactionCompletionCallbacks callbacks = session.getTransactionCompletionCallbacks();
        // each callback acts on the buffer it was registered for only: Hibernate ORM 7.2 keeps the before-completion
        // callbacks of a transaction that rolled back, and ran them again at the next commit, writing its buffer twice
        boolean[] pending = new boolean[1];
        callbacks.registerCallback((TransactionCompletionCallbacks.BeforeCompletionCallback) s -> {
            if (buffers.get(session) == created && !created.isEmpty()) {
                pending[0] = write(session, created);
            }
        });
        callbacks.registerCallback((TransactionCompletionCallbacks.AfterCompletionCallback) (success, s) -> {
            buffers.remove(session, created);
            if (success && pending[0]) {
                pending[0] = false;
                try {
                    committed.run();
                } catch (RuntimeException e) {
                    // the commit succeeded: a failed wake-up leaves the change to the job's interval, never to the caller
                    System.getLogger("io.dbcomposite.sync").log(System.Logger.Level.DEBUG,
                            "db-composite: the after-commit run could not be asked for", e);
                }
            }
        });
        return created;
    }

}
