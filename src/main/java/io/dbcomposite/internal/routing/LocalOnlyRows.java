package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.apply.References;
import io.dbcomposite.internal.apply.RowRef;
import io.dbcomposite.internal.capture.ChangeBuffer;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rows only the local side may hold so far, for a transaction that writes to the remote, and what holds them: its
 * captured changes not yet sent there, the inserts recorded for the remote and not yet sent, and (when read) the sync
 * log's unsynced changes not taken along. Found once for a remote step, so that what one write needs costs the rows it
 * needs, not the size of the transaction or of the log.
 */
final class LocalOnlyRows {

    /** The captured changes of each row, in recording order. */
    private final Map<RowRef, List<ChangeBuffer.Change>> captured = new HashMap<>();
    private final Map<ChangeBuffer.Change, Integer> position = new IdentityHashMap<>();
    /** The inserts recorded for the remote and not sent, by row. */
    private final Map<RowRef, PendingWrite> recorded = new HashMap<>();
    /** The rows of the log's unsynced changes, or null when the log was not read. */
    private final Set<RowRef> logged;

    private LocalOnlyRows(Set<RowRef> logged) {
        this.logged = logged;
    }

    /**
     * @param unsent captured changes not sent to the remote, in recording order
     * @param recordedWrites writes recorded for the remote and not sent
     * @param logged the rows of the log's unsynced changes not taken along, or null if not read
     * @param remote a session of the remote's factory (rows are named as {@link References} names them)
     */
    static LocalOnlyRows of(List<ChangeBuffer.Change> unsent, List<PendingWrite> recordedWrites, Set<RowRef> logged,
                            SharedSessionContractImplementor remote) {
        LocalOnlyRows rows = new LocalOnlyRows(logged);
        var metamodel = remote.getFactory().getMappingMetamodel();
        for (ChangeBuffer.Change c : unsent) {
            // named as the log names its row: the root entity and the id as encoded when captured
            RowRef row = new RowRef(metamodel.getEntityDescriptor(c.persister().getRootEntityName()).getJpaEntityName(), c.entityId());
            rows.captured.computeIfAbsent(row, r -> new ArrayList<>(1)).add(c);
            rows.position.put(c, rows.position.size());
        }
        for (PendingWrite w : recordedWrites) {
            // a row new in the transaction; another write leaves a row where a key finds it (a key write is no row)
            if (w.keys() == null && w.operation() == io.dbcomposite.ChangeOperation.INSERT) {
                rows.recorded.put(References.rowOf(metamodel.getEntityDescriptor(w.entityName()), w.id(), remote), w);
            }
        }
        return rows;
    }

    boolean isEmpty() {
        return captured.isEmpty() && recorded.isEmpty() && (logged == null || logged.isEmpty());
    }

    /** Keeps of {@code rows} those listed here. */
    void retainListed(Set<RowRef> rows) {
        rows.removeIf(r -> !captured.containsKey(r) && !recorded.containsKey(r) && (logged == null || !logged.contains(r)));
    }

    /**
     * @return the inserts recorded for the remote of the rows and, to a fixed point, of the rows they refer to, no longer
     *     listed here (the caller sends them); the rows found are added to {@code rows}
     * @param referencesOf adds the rows a recorded write refers to
     */
    Set<PendingWrite> takeInserts(Set<RowRef> rows, BiConsumer<PendingWrite, Set<RowRef>> referencesOf) {
        if (recorded.isEmpty()) {
            return Set.of();
        }
        Set<PendingWrite> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RowRef> todo = new ArrayList<>(rows);
        for (int i = 0; i < todo.size(); i++) {
            PendingWrite w = recorded.remove(todo.get(i));
            if (w == null) {
                continue;
            }
            taken.add(w);
            Set<RowRef> refs = new HashSet<>();
            referencesOf.accept(w, refs);
            for (RowRef r : refs) {
                if (rows.add(r)) {
                    todo.add(r);
                }
            }
        }
        return taken;
    }

    /** @return whether the log may hold a change of one of the rows (always, when it was not read) */
    boolean anyLogged(Set<RowRef> rows) {
        return logged == null || !Collections.disjoint(logged, rows);
    }

    /**
     * @return the captured changes the rows need, and, to a fixed point, those of the rows they refer to in turn, in
     *     recording order; the rows found are added to {@code rows}
     * @param referencesOf adds a change's row and the rows it refers to
     * @param sent changes already sent: skipped
     */
    List<ChangeBuffer.Change> neededBy(Set<RowRef> rows, BiConsumer<ChangeBuffer.Change, Set<RowRef>> referencesOf,
                                       Set<ChangeBuffer.Change> sent) {
        Set<ChangeBuffer.Change> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RowRef> todo = new ArrayList<>(rows);
        for (int i = 0; i < todo.size(); i++) {
            List<ChangeBuffer.Change> holders = captured.get(todo.get(i));
            if (holders == null) {
                continue;
            }
            for (ChangeBuffer.Change c : holders) {
                if (sent.contains(c) || !needed.add(c)) {
                    continue;
                }
                // only a change needed is decoded for the rows it refers to in turn
                Set<RowRef> refs = new HashSet<>();
                referencesOf.accept(c, refs);
                for (RowRef r : refs) {
                    if (rows.add(r)) {
                        todo.add(r);
                    }
                }
            }
        }
        List<ChangeBuffer.Change> out = new ArrayList<>(needed);
        out.sort(java.util.Comparator.comparingInt(position::get));
        return out;
    }

    /** These rows went to the remote: a later write that refers to one needs nothing more for it. */
    void sent(Set<RowRef> rows) {
        for (RowRef r : rows) {
            captured.remove(r);
            if (logged != null) {
                logged.remove(r);
            }
        }
    }

}
