package io.dbcomposite.conflict;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.testing.DatabasePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The paths that write a logged change to the remote inside a commit detect conflicts too: the remote step of a
 * {@code DUAL}+{@code QUEUE} commit, and the pending changes a {@code DUAL}+{@code FAIL} write takes along. There a
 * conflict fails the remote step (never overwrites) and the engine settles it afterwards.
 */
class ConflictInCommitTest {

    private ConflictTestSupport db;

    @AfterEach
    void dropSchema() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aDualQueueCommitWhoseRowWasEditedOnTheRemoteCommitsLocallyAndLeavesTheConflictToTheEngine() {
        db = new ConflictTestSupport(DatabasePair.SQLITE_POSTGRESQL, "conflict_dual_queue");
        ConflictTestSupport.Unit unit = db.open("FAIL");
        UUID id = UUID.randomUUID();
        unit.tx(em -> em.persist(new Ticket(id, "first")));
        assertThat(unit.last("Ticket", id).getStatus()).as("applied in the call").isEqualTo(ChangeStatus.SYNCED);
        assertThat(db.remoteUpdate("update ticket set title = 'remote edit' where id = ?", id)).isEqualTo(1);

        unit.tx(em -> em.find(Ticket.class, id).setTitle("local edit"));

        assertThat(db.remote("select title from ticket where id = ?", id).get(0)).containsEntry("title", "remote edit");
        SyncLogEntity change = unit.last("Ticket", id);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(change.getLastError()).contains("Conflict", "Ticket#" + id);

        unit.emf.sync();

        assertThat(unit.last("Ticket", id).getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(db.remote("select title from ticket where id = ?", id).get(0)).containsEntry("title", "remote edit");
    }

    @Test
    void aDualFailWriteThatTakesAlongAConflictingChangeFailsAndWritesNothing() {
        db = new ConflictTestSupport(DatabasePair.SQLITE_POSTGRESQL, "conflict_take_along");
        ConflictTestSupport.Unit unit = db.open("FAIL");
        long memo = ConflictPolicyTest.Kind.UNVERSIONED.create(unit, "m1");
        unit.emf.sync();
        ConflictPolicyTest.Kind.UNVERSIONED.editRemotely(db, memo, "remote edit");
        ConflictPolicyTest.Kind.UNVERSIONED.edit(unit, memo, "local edit"); // pending: the entry's write takes it along

        UUID entry = UUID.randomUUID();
        assertThatThrownBy(() -> unit.tx(em -> em.persist(new Entry(entry, em.find(Memo.class, memo), "x"))))
                .isInstanceOf(RemoteWriteException.class)
                .hasStackTraceContaining("Memo#" + memo)
                .hasStackTraceContaining("Conflict");

        assertThat(db.remote("select count(*) as n from entry").get(0).get("n")).isEqualTo(0L);
        assertThat(unit.local("select count(*) as n from entry").get(0).get("n")).isIn(0, 0L);
        assertThat(db.remote("select text from memo where id = ?", memo).get(0)).containsEntry("text", "remote edit");

        // the engine settles it; once discarded (the local memo takes the remote's state) the entry goes through
        unit.emf.sync();
        SyncLogEntity conflict = unit.last("Memo", memo);
        assertThat(conflict.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThatThrownBy(() -> unit.tx(em -> em.persist(new Entry(UUID.randomUUID(), em.find(Memo.class, memo), "y"))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("CONFLICT")
                .hasMessageContaining("emf.discard(" + conflict.getId() + ")");
        unit.emf.discard(conflict.getId());
        unit.tx(em -> em.persist(new Entry(entry, em.find(Memo.class, memo), "x")));
        assertThat(db.remote("select count(*) as n from entry").get(0).get("n")).isEqualTo(1L);
    }

    /**
     * A pending row the commit needs whose own change is PENDING, held by a conflict of another row of its local
     * transaction (transactions reach the remote whole): the error names the change that holds it and how to settle it.
     */
    @Test
    void aDualFailWriteWhosePendingRowIsHeldByAConflictElsewhereInItsTransactionNamesTheConflict() {
        db = new ConflictTestSupport(DatabasePair.SQLITE_POSTGRESQL, "conflict_held_tx");
        ConflictTestSupport.Unit unit = db.open("FAIL");
        long memo = ConflictPolicyTest.Kind.UNVERSIONED.create(unit, "m1");
        unit.emf.sync();
        ConflictPolicyTest.Kind.UNVERSIONED.editRemotely(db, memo, "remote edit");
        Memo added = new Memo("added with the edit", 1);
        unit.tx(em -> {
            em.find(Memo.class, memo).setText("local edit");
            em.persist(added);
        });
        unit.emf.sync();
        SyncLogEntity conflict = unit.last("Memo", memo);
        assertThat(conflict.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(unit.last("Memo", added.getId()).getStatus()).isEqualTo(ChangeStatus.PENDING);

        assertThatThrownBy(() -> unit.tx(em -> em.persist(new Entry(UUID.randomUUID(), em.find(Memo.class, added.getId()), "z"))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("Memo#" + added.getId())
                .hasMessageContaining("change #" + conflict.getId())
                .hasMessageContaining("CONFLICT")
                .hasMessageContaining("emf.discard(" + conflict.getId() + ")");
        assertThat(db.remote("select count(*) as n from entry").get(0).get("n")).isEqualTo(0L);
        assertThat(db.remote("select text from memo where id = ?", memo).get(0)).containsEntry("text", "remote edit");
    }
}
