package io.dbcomposite.internal.apply;

import org.hibernate.StatelessSession;

import java.util.List;
import java.util.Set;

/**
 * The sync log as a commit that writes to the remote needs it: the pending changes of the rows its remote writes
 * refer to go first, in the same remote transaction, and are marked SYNCED with it (contract, "Mixed routing and
 * foreign keys"). Implemented by the sync engine's side, which owns the log.
 */
public interface PendingChanges {

    /**
     * Applies, through {@code remote} (a session on the caller's remote connection, inside its transaction), every
     * PENDING or FAILED change of the log that the given rows need: their own changes, whole local transactions at a
     * time, and, the same way, the changes of the rows those refer to; in log order.
     *
     * @param excludeTxId a local transaction whose logged changes the caller applies itself, or null
     * @param taken log ids the caller's remote transaction already holds (taken along earlier): not applied again
     * @return what was taken along: the log ids to mark SYNCED once the remote transaction has committed; while it is
     *         open, no other applier (the sync engine, here or in another JVM) works on the log. Close it once the marks
     *         are done, or the remote transaction failed
     * @throws io.dbcomposite.RemoteWriteException if a needed row is held back by a FAILED, DEAD or CONFLICT change,
     *         naming that change, or another applier kept the log for too long
     */
    Taken applyPrerequisites(StatelessSession remote, Set<RowRef> rows, String excludeTxId, Set<Long> taken);

    /**
     * @return the rows of the log's PENDING, FAILED, DEAD and CONFLICT changes but those already taken along: the rows
     *     only the log holds so far (a read of the unsynced part of the log, when there is one; a new set)
     * @param taken log ids the caller's remote transaction already holds
     */
    Set<RowRef> unsyncedRows(Set<Long> taken);

    /** Changes taken along by a remote write, and the applier lock held for them (if any were). */
    interface Taken extends AutoCloseable {
        /** Nothing taken, no lock held. */
        Taken NONE = new Taken() {
            @Override
            public List<Long> ids() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };

        /** @return the log ids applied */
        List<Long> ids();

        /**
         * Gives the applier lock back from a thread other than the one that took it (which ended without doing so).
         *
         * @param holder the thread that took the changes along
         */
        default void closeFor(Thread holder) {
            close();
        }

        /** Releases the applier lock; idempotent. */
        @Override
        void close();
    }

    /**
     * @return changes captured in this transaction in the order the remote's foreign keys accept, as the replay orders a
     *     transaction's changes (an insert referred to by an earlier change of the transaction moves before it)
     */
    List<io.dbcomposite.internal.capture.ChangeBuffer.Change> inReplayOrder(StatelessSession remote,
                                                                           List<io.dbcomposite.internal.capture.ChangeBuffer.Change> captured);

    /** Adds the row of a change captured in this transaction (not yet in the log) and the rows it refers to. */
    void collectCaptured(StatelessSession remote, io.dbcomposite.internal.capture.ChangeBuffer.Change change, Set<RowRef> out);

    /**
     * Starts applying changes captured in this transaction through {@code remote}, as the replay would, except for the
     * identity sequences (the caller moves them once for its whole remote step, {@link IdentityCatchUp}). The columns
     * one-to-many associations keep in their elements' rows are written at {@link CapturedApply#finish()}, after every
     * change applied (their new elements among them).
     */
    CapturedApply applyCaptured(StatelessSession remote, String txId);

    /** Captured changes applied one at a time, between the other writes of a remote step. */
    interface CapturedApply {
        /** Applies one captured change. */
        void apply(io.dbcomposite.internal.capture.ChangeBuffer.Change change);

        /** Writes the association columns the changes applied left. */
        void finish();
    }

    /**
     * Replays one local transaction already committed locally (its changes PENDING in the log) through {@code remote},
     * with the pending changes its rows need first, none later than its own: the remote step of a commit whose local
     * side commits first. Holds the applier lock until the Taken is closed.
     *
     * @return the log ids applied (its own and those taken along); none if the engine replayed it meanwhile
     * @throws io.dbcomposite.RemoteWriteException if a needed row is held back, or another applier kept the log
     */
    Taken replayTransaction(StatelessSession remote, String txId);

    /**
     * Marks these log rows SYNCED on the caller's local connection, inside its open transaction (they commit with it).
     */
    void markSyncedOn(java.sql.Connection local, List<Long> logIds);

    /** Marks these log rows SYNCED (their changes are on the remote); a failure is logged, the rows replay again. */
    void markSynced(List<Long> logIds);

    /**
     * The remote step of a local transaction already committed ({@link #replayTransaction}) failed, and the remote
     * answered (not an outage): the error is written on the transaction's changes still PENDING, so the log says why
     * they did not reach the remote. They stay PENDING, due at once, and use no attempt: the contract leaves them to
     * the background sync, whose replay marks them as any replay (FAILED with its error, or SYNCED). A failure to
     * write the error is logged.
     */
    void noteFailure(String txId, RuntimeException cause);

}
