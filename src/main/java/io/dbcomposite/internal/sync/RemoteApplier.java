package io.dbcomposite.internal.sync;

import io.dbcomposite.internal.log.LoggedChange;
import io.dbcomposite.ChangeOperation;
import io.dbcomposite.CompositeException;
import io.dbcomposite.internal.capture.SnapshotCodec;
import io.dbcomposite.internal.apply.AssociationWrites;
import io.dbcomposite.internal.apply.CollectionRewrites;
import io.dbcomposite.internal.apply.IdentityCatchUp;
import io.dbcomposite.internal.apply.References;
import io.dbcomposite.internal.apply.RowApplier;
import io.dbcomposite.internal.apply.RowRef;
import io.dbcomposite.internal.apply.VersionArithmetic;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies logged changes to the remote in one remote transaction, in id order, through a StatelessSession:
 * an upsert that keeps the local id and writes the local version, an idempotent delete. Replaying a change
 * the remote already holds changes nothing.
 */
final class RemoteApplier {

    /** The smallest JDBC batch size of a batched apply (statements of one kind sent in one round trip). */
    static final int MIN_JDBC_BATCH = 5_000;

    private final SessionFactoryImplementor remote;
    /** The remote persister of each entity name the log holds (the metamodel's lookup is a tree search). */
    private final Map<String, EntityPersister> persisters = new ConcurrentHashMap<>();

    private final ConflictDetector detector;
    /** Whether the replay reads the rows of inserts too before it writes ({@link RowApplier#writesBetterKnowingTheRow}). */
    private final boolean knowTheRow;

    /**
     * @param policies the resolved {@code onConflict} of each JPA entity name
     * @param resolver the unit's conflict resolver, or null
     * @param later the log's later changes of a row
     */
    RemoteApplier(SessionFactoryImplementor remote,
                  java.util.function.Function<String, io.dbcomposite.OnConflict> policies, io.dbcomposite.ConflictResolver resolver,
                  ConflictDetector.LaterChanges later) {
        this.remote = remote;
        this.knowTheRow = RowApplier.writesBetterKnowingTheRow(remote);
        this.detector = new ConflictDetector(this::persister, this::rowOf, policies, resolver, later);
    }

    /**
     * Applies the changes in one remote transaction; all or nothing, but for the transactions a conflict holds
     * ({@link ConflictDetector}: those are not written at all, and the plan says which). The writes are sent in JDBC
     * batches (a StatelessSession ignores {@code hibernate.jdbc.batch_size}), with the rows of updates and deletes read
     * first, one query per entity; a batch that fails for any reason but a lost connection (an insert that finds its row
     * there among them) is decided again with every row read and applied one statement at a time, where any other
     * error surfaces on the change that caused it.
     *
     * @return the conflicts found and how they were settled, and the transactions held
     */
    ConflictDetector.Plan apply(List<LoggedChange> changes) {
        return apply(changes, java.util.Set.of(), null);
    }

    /**
     * @param heldInserts rows whose insert a conflict holds (in the log): a transaction referring to one waits with it
     * @param run what the run this batch belongs to knows of the remote's id generators, or null
     */
    ConflictDetector.Plan apply(List<LoggedChange> changes, java.util.Set<RowRef> heldInserts, IdentityCatchUp.Run run) {
        try {
            return apply(changes, true, heldInserts, run);
        } catch (RuntimeException batchFailed) {
            if (io.dbcomposite.internal.remote.ConnectionFailures.isConnectionFailure(batchFailed)) {
                throw batchFailed;
            }
            return apply(changes, false, heldInserts, run);
        }
    }

    private ConflictDetector.Plan apply(List<LoggedChange> changes, boolean batched, java.util.Set<RowRef> heldInserts,
                                        IdentityCatchUp.Run run) {
        try (StatelessSession session = remote.openStatelessSession()) {
            if (batched) {
                // up to 5,000 statements of a kind in one JDBC batch: a change's collection can bring many rows (two
                // labels each is twice as many inserts as changes), which a limit of the change count split in two or
                // more; a batch of one change is batched too (its collection rows), as batches of two or more always were
                session.setJdbcBatchSize(Math.max(changes.size(), MIN_JDBC_BATCH));
            }
            Transaction tx = session.beginTransaction();
            try {
                ConflictDetector.Plan plan = applyAll(session, changes, batched, true, heldInserts);
                IdentityCatchUp.afterInserts(session, insertedIds(changes, session, run != null), run);
                tx.commit();
                if (run != null) {
                    run.committed();
                }
                return plan;
            } catch (RuntimeException | AssertionError e) {
                if (run != null) {
                    run.rolledBack(); // a generator row moved in this transaction is back where it was
                }
                RuntimeException translated = e instanceof AssertionError ? lostConnection((AssertionError) e, session) : null;
                if (tx.isActive()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException ignored) {
                        // a lost connection is rolled back by the server
                    }
                }
                if (translated != null) {
                    throw translated;
                }
                throw e;
            }
        }
    }

    /**
     * Ends a replay run on the remote: the id generators a batch of the run did not ask about are caught up once
     * more ({@link IdentityCatchUp#afterRun}), in a transaction of their own. Nothing to do, and no connection taken, when
     * every batch asked.
     */
    void afterRun(IdentityCatchUp.Run run) {
        if (run == null || !run.skippedAny()) {
            return;
        }
        try (StatelessSession session = remote.openStatelessSession()) {
            Transaction tx = session.beginTransaction();
            try {
                IdentityCatchUp.afterRun(session, run);
                tx.commit();
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException ignored) {
                        // a lost connection is rolled back by the server
                    }
                }
                throw e;
            }
        }
    }

    /**
     * pgjdbc asserts that a connection it has just closed on an I/O error is still open when a batch fails
     * ({@code BatchResultHandler.isAutoCommit}); with {@code -ea} that is an AssertionError instead of the
     * connection failure. Told apart by the connection: if it is no longer valid, it is an outage.
     *
     * @return the connection failure to report or, if the connection still works, the assertion as a failure
     *     of the changes (never an Error that would stop every later run without a status)
     */
    private static RuntimeException lostConnection(AssertionError e, StatelessSession session) {
        try {
            Connection c = ((SharedSessionContractImplementor) session).getJdbcCoordinator()
                    .getLogicalConnection().getPhysicalConnection();
            if (c != null && c.isValid(2)) {
                return new CompositeException("The remote apply failed an assertion: " + e.getMessage(), e);
            }
        } catch (SQLException | RuntimeException invalid) {
            // no connection to ask: it is lost
        }
        return new CompositeException("The remote connection was lost during a batch",
                new SQLNonTransientConnectionException(e.getMessage(), "08006", e));
    }

    /**
     * Reads the payloads of a page as far as that needs no session (thread-safe; the engine's helper thread
     * calls it for the next page while this page is applied). A payload that cannot be read is left for
     * {@link #apply}, which reports the error on its change.
     */
    List<LoggedChange> readAhead(List<LoggedChange> page) {
        List<LoggedChange> out = new ArrayList<>(page.size());
        for (LoggedChange change : page) {
            SnapshotCodec.Parsed parsed = null;
            if (change.operation() != ChangeOperation.DELETE && change.payload() != null) {
                try {
                    parsed = SnapshotCodec.parse(persister(change.entityName()), change.payload());
                } catch (RuntimeException unreadable) {
                    // decoded again, and reported, when the change is applied
                }
            }
            out.add(parsed == null ? change : change.withParsed(parsed));
        }
        return out;
    }

    /**
     * Applies changes through a session the caller opened on its own remote connection, inside its transaction
     * (nothing is committed or rolled back here), one statement at a time; then moves the id generators of the
     * tables written past their ids.
     */
    void applyOn(StatelessSession session, List<LoggedChange> changes) {
        applyAll(session, changes, false, false, java.util.Set.of());
        IdentityCatchUp.afterInserts(session, insertedIds(changes, session, false), null);
    }

    /**
     * Applies changes through the caller's session, one statement at a time, leaving two things to the caller, who
     * does them once for its whole remote step: the association columns of the last local transaction among them
     * (they stay in {@code associations}) and the id generators ({@link IdentityCatchUp}).
     */
    void applyOn(StatelessSession session, List<LoggedChange> changes, AssociationWrites associations) {
        ConflictDetector.Plan plan = detector.decide(session, changes, true, false, java.util.Set.of(), null);
        for (LoggedChange change : changes) {
            associations.beforeChangeOf(change.txId(), session);
            applyOne(session, change, false, associations, plan.of(change), null);
        }
    }

    /**
     * @param withIds whether the highest ids are wanted (a replay run's batch): they are read only for entities whose
     *        remote id generator's catch-up a run can skip ({@link IdentityCatchUp#skippable})
     * @return the remote entity names of the entities the changes insert, each with the highest id inserted when every
     *     id of it is a number that fits a long and is wanted (else null)
     */
    private Map<String, Long> insertedIds(List<LoggedChange> changes, StatelessSession session, boolean withIds) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        java.util.Set<String> untold = new java.util.HashSet<>();
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        for (LoggedChange change : changes) {
            if (change.operation() != ChangeOperation.INSERT) {
                continue;
            }
            EntityPersister persister = persister(change.entityName());
            String name = persister.getEntityName();
            Long id = null;
            if (withIds && !untold.contains(name) && IdentityCatchUp.skippable(persister)) {
                try {
                    id = asLong(SnapshotCodec.decodeId(persister, change.entityId(), s));
                } catch (RuntimeException unreadable) {
                    // reported where the change is applied; here the table is caught up as a whole
                }
            }
            if (id == null) {
                untold.add(name);
                out.put(name, null);
            } else if (!untold.contains(name)) {
                out.merge(name, id, Math::max);
            }
        }
        return out;
    }

    /** @return an integral id as a long, or null for any other id */
    private static Long asLong(Object id) {
        if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
            return ((Number) id).longValue();
        }
        return id instanceof java.math.BigInteger big && big.bitLength() < 64 ? big.longValue() : null;
    }

    /** @return an empty set of association columns to write on the remote */
    AssociationWrites associationWrites() {
        return new AssociationWrites(remote);
    }

    /**
     * Applies changes in order, as the conflict plan decides; the columns one-to-many associations keep in their elements'
     * rows follow each transaction.
     *
     * @param settle whether conflicts are settled by policy here (the engine); false for a commit's remote step, which
     *        fails on the first conflict ({@link ConflictDetector.ConflictFound}) and leaves it to the engine
     */
    private ConflictDetector.Plan applyAll(StatelessSession session, List<LoggedChange> changes, boolean batched, boolean settle,
                                           java.util.Set<RowRef> heldInserts) {
        List<LoggedChange> ordered = inReplayOrder(session, changes);
        // where the upsert is not one batched statement, the rows of inserts are read too (one query per entity): a row
        // known to be missing is then inserted, and one known to be there updated, in the JDBC batch (RowApplier)
        boolean readInserts = !batched || knowTheRow;
        ConflictDetector.Plan plan = detector.decide(session, ordered, readInserts, settle, heldInserts, change -> {
            java.util.Set<RowRef> refs = new java.util.HashSet<>();
            try {
                collectReferences(session, change, refs);
            } catch (RuntimeException unreadable) {
                // reported when the change is applied
            }
            return refs;
        });
        AssociationWrites associations = associationWrites();
        // batched, the collection-table rows of the upserts go after the entity rows (CollectionRewrites); one statement at
        // a time, with each row, so that an error surfaces on the change that caused it
        CollectionRewrites later = batched ? new CollectionRewrites() : null;
        for (LoggedChange change : ordered) {
            if (plan.heldTxIds.contains(change.txId())) {
                continue;
            }
            associations.beforeChangeOf(change.txId(), session);
            applyOne(session, change, batched, associations, plan.of(change), later);
        }
        if (later != null) {
            later.write((SharedSessionContractImplementor) session);
        }
        associations.endTransaction(session);
        return plan;
    }

    /**
     * The changes in the order the remote's foreign keys accept. The log keeps a transaction's changes in the order
     * Hibernate wrote them, with consecutive changes of a row merged: a row's insert carries its final state, the join
     * rows of a many-to-many and a to-one that Hibernate set by a later update included. A row the transaction inserted
     * after it (an element persisted after it joined the collection) is then referred to before its own insert. Such an
     * insert moves to just before the first change of its transaction that refers to it, unless it refers to that
     * change's row itself (a cycle no order resolves; it stays where it was); a moved insert is looked at in turn, so a
     * chain (a refers to b, b to c, inserted a, b, c) ends in the order c, b, a. Changes of entities without associations
     * are never decoded here, so a batch of them costs nothing.
     */
    List<LoggedChange> inReplayOrder(StatelessSession session, List<LoggedChange> changes) {
        List<LoggedChange> out = null;
        List<LoggedChange> current = changes;
        int end = 0; // the end of the transaction change i is in, found once per transaction
        int lastInsert = -1; // its last insert (moves keep it where it was or leave it an upper bound)
        java.util.Set<RowRef> insertedHere = null; // the rows its inserts write, read once it is needed
        java.util.Map<LoggedChange, java.util.Set<RowRef>> memo = new java.util.IdentityHashMap<>();
        for (int i = 0; i < current.size(); i++) {
            LoggedChange change = current.get(i);
            if (i >= end) {
                end = i;
                insertedHere = null;
                while (end < current.size() && current.get(end).txId().equals(change.txId())) {
                    if (current.get(end).operation() == ChangeOperation.INSERT) {
                        lastInsert = end;
                    }
                    end++;
                }
            }
            if (lastInsert <= i || change.operation() == ChangeOperation.DELETE || !refersToRows(change.entityName())) {
                continue;
            }
            java.util.Set<RowRef> refs = refsOf(session, change, memo);
            if (refs == null) {
                continue; // reported when the change is applied
            }
            if (refs.isEmpty()) {
                continue; // (an element collection of values, a null to-one): nothing to move before it
            }
            if (insertedHere == null) {
                // moves reorder the transaction's changes but never change which rows it inserts
                insertedHere = new java.util.HashSet<>();
                for (int k = i; k < end; k++) {
                    if (current.get(k).operation() == ChangeOperation.INSERT) {
                        insertedHere.add(rowOf(current.get(k)));
                    }
                }
            }
            if (java.util.Collections.disjoint(refs, insertedHere)) {
                continue; // it refers to no row its transaction inserts: the scan below would move nothing
            }
            RowRef self = rowOf(change);
            for (int j = i + 1; j < end; j++) {
                LoggedChange later = current.get(j);
                RowRef inserted = later.operation() == ChangeOperation.INSERT ? rowOf(later) : null;
                if (inserted == null || !refs.contains(inserted) || rowChangedBetween(current, i, j, inserted)) {
                    continue; // a delete of the row before its insert keeps its place: the insert must follow it
                }
                java.util.Set<RowRef> itsRefs = refsOf(session, later, memo);
                if (itsRefs == null) {
                    continue;
                }
                if (itsRefs.contains(self) || refersToRowInsertedBetween(current, i, j, itsRefs)) {
                    continue; // moved, it would run before a row it needs
                }
                if (out == null) {
                    out = new ArrayList<>(changes);
                    current = out;
                }
                out.remove(j);
                out.add(i, later);
                // the moved insert may refer to inserts after it in turn (a chain): it is looked at next, then the
                // change that referred to it again. Every move takes an insert to an earlier place, so this ends
                i--;
                break;
            }
        }
        return out == null ? changes : out;
    }

    private java.util.Set<RowRef> refsOf(StatelessSession session, LoggedChange change,
                                         java.util.Map<LoggedChange, java.util.Set<RowRef>> memo) {
        if (memo.containsKey(change)) {
            return memo.get(change);
        }
        java.util.Set<RowRef> refs = new java.util.HashSet<>();
        try {
            collectReferences(session, change, refs);
        } catch (RuntimeException unreadable) {
            refs = null;
        }
        memo.put(change, refs);
        return refs;
    }

    private boolean refersToRowInsertedBetween(List<LoggedChange> changes, int from, int to, java.util.Set<RowRef> refs) {
        for (int k = from + 1; k < to; k++) {
            if (changes.get(k).operation() == ChangeOperation.INSERT && refs.contains(rowOf(changes.get(k)))) {
                return true;
            }
        }
        return false;
    }

    private boolean rowChangedBetween(List<LoggedChange> changes, int from, int to, RowRef row) {
        for (int k = from + 1; k < to; k++) {
            if (rowOf(changes.get(k)).equals(row)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Entity names whose id or state can refer to other rows (to-ones, owned collections, embeddables holding them), as
     * {@link References} finds them, learned per name.
     */
    private final Map<String, Boolean> refersToRows = new ConcurrentHashMap<>();

    private boolean refersToRows(String entityName) {
        return refersToRows.computeIfAbsent(entityName, name -> References.canRefer(persister(name)));
    }

    /** @return the row of an entity name and id of the log, as {@link References} names rows */
    RowRef rowOf(String entityName, String entityId) {
        EntityPersister persister = persister(entityName);
        EntityPersister root = remote.getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
        return new RowRef(root.getJpaEntityName(), entityId);
    }

    /** @return the row a change is of, as {@link References} names rows */
    RowRef rowOf(LoggedChange change) {
        EntityPersister persister = persister(change.entityName());
        EntityPersister root = remote.getMappingMetamodel().getEntityDescriptor(persister.getRootEntityName());
        return new RowRef(root.getJpaEntityName(), change.entityId());
    }

    /** Adds the rows a change's state refers to. */
    void collectReferences(StatelessSession session, LoggedChange change, java.util.Set<RowRef> out) {
        if (change.operation() == ChangeOperation.DELETE || change.payload() == null) {
            return;
        }
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        EntityPersister persister = persister(change.entityName());
        Object id = SnapshotCodec.decodeId(persister, change.entityId(), s);
        References.collect(persister, id, state(persister, id, change, s), s, out);
    }

    private void applyOne(StatelessSession session, LoggedChange change, boolean batched, AssociationWrites associations,
                          ConflictDetector.Decision decision, CollectionRewrites later) {
        if (decision.action() == ConflictDetector.Action.SKIP) {
            return; // already on the remote, a delete of a missing row, or a conflict the remote won
        }
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        EntityPersister persister = persister(change.entityName());
        Object id = SnapshotCodec.decodeId(persister, change.entityId(), s);
        if (change.operation() == ChangeOperation.DELETE) {
            // the batched writes before it go first: the delete must follow them, not overtake them
            if (later != null) {
                later.write(s);
            }
            s.getJdbcCoordinator().executeBatch();
            associations.beforeDelete(persister, id, session);
            RowApplier.delete(session, persister, id);
            return;
        }
        Object[] state = state(persister, id, change, s);
        associations.collect(persister, id, state, s);
        if (decision.action() == ConflictDetector.Action.WRITE && !decision.present()) {
            if (change.operation() == ChangeOperation.INSERT) {
                // the row was read and is missing, or the entity counts its versions: its upsert then matches a row
                // only at the version before the inserted one, so a row already there (another unit's, or edited on the
                // remote) fails it, and the batch is decided again with every row read. An insert whose version moved
                // on before its commit (persist, flush, change) would match a new row of another unit: looked for first
                int v = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
                if (!decision.known() && v >= 0 && VersionArithmetic.counts(state[v])
                        && ((Number) VersionArithmetic.previous(state[v])).longValue() >= 0 && RowApplier.exists(s, persister, id)) {
                    throw new CompositeException("The row of the INSERT of " + change.entityName() + "#" + change.entityId()
                            + " is on the remote already; the batch is checked again row by row");
                }
                RowApplier.upsert(session, persister, id, state, null, later, presence(decision));
                return;
            }
            if (decision.known()) {
                // an update whose row is gone, not a conflict: nothing was expected of the row (no base recorded)
                RowApplier.overwrite(session, persister, id, state, later, presence(decision));
                return;
            }
        }
        if (decision.action() == ConflictDetector.Action.FORCE) {
            RowApplier.overwrite(session, persister, id, state, later, presence(decision));
            return;
        }
        // the row is as the change expects: the upsert moves it on from the version it holds
        Object previous = null;
        int v = persister.isVersioned() ? persister.getVersionPropertyIndex() : -1;
        if (v >= 0 && VersionArithmetic.counts(state[v])) {
            previous = VersionArithmetic.previous(state[v]);
            Long based = baseVersion(persister, change);
            if (based != null && based != ((Number) previous).longValue()) {
                // the transaction moved the version more than once: the row is at its base, the upsert wants one less
                s.getJdbcCoordinator().executeBatch();
                RowApplier.setVersion(session, persister, id, previous);
            }
        }
        RowApplier.upsert(session, persister, id, state, previous, later, presence(decision));
    }

    /** @return whether the row is there, if the conflict check read it (locked) in this transaction; else null */
    private static Boolean presence(ConflictDetector.Decision decision) {
        return decision.known() ? decision.present() : null;
    }

    /** @return the counted version the change was based on (from its recorded base), or null if none was recorded */
    private static Long baseVersion(EntityPersister persister, LoggedChange change) {
        if (change.base() == null || LoggedChange.OVERWRITE.equals(change.base())) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode base = SnapshotCodec.tree(change.base());
        com.fasterxml.jackson.databind.JsonNode v = base == null ? null
                : base.get(persister.getPropertyNames()[persister.getVersionPropertyIndex()]);
        return v == null || !v.isIntegralNumber() ? null : v.asLong();
    }

    /** The change's state for the remote: from the payload read ahead if there is one, else from its JSON. */
    private static Object[] state(EntityPersister persister, Object id, LoggedChange change, SharedSessionContractImplementor s) {
        return change.parsed() != null ? SnapshotCodec.decode(persister, id, (SnapshotCodec.Parsed) change.parsed(), s)
                : SnapshotCodec.decode(persister, id, change.payload(), s);
    }

    private EntityPersister persister(String entityName) {
        return persisters.computeIfAbsent(entityName, name -> {
            try {
                return remote.getMappingMetamodel().getEntityDescriptor(remote.getJpaMetamodel().entity(name).getJavaType());
            } catch (IllegalArgumentException e) {
                throw new CompositeException("The sync log names entity '" + name + "', which the remote side does not map", e);
            }
        });
    }
}
