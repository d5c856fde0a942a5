package io.dbcomposite.conflict;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.ChangeStatus;
import io.dbcomposite.ConflictResolver;
import io.dbcomposite.OnConflict;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.DatabasePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract's conflict table, row by row, for an entity with a {@code @Version} ({@link Account}: told by the
 * version) and one without ({@link Memo}: told by the column values), on SQLite + PostgreSQL. A remote row is edited
 * or deleted straight on the remote, as another application would, between a local change and its replay.
 * {@link SqliteMariadbConflictPolicyTest} runs the same table on SQLite + MariaDB.
 */
class ConflictPolicyTest {

    private ConflictTestSupport db;

    /** The two kinds of entity, with what the tests do to them. */
    enum Kind {
        VERSIONED("Account", "account", "owner"),
        UNVERSIONED("Memo", "memo", "text");

        final String entity;
        final String table;
        final String column;

        Kind(String entity, String table, String column) {
            this.entity = entity;
            this.table = table;
            this.column = column;
        }

        long create(ConflictTestSupport.Unit unit, String value) {
            long[] id = new long[1];
            unit.tx(em -> {
                if (this == VERSIONED) {
                    Account a = new Account(value, 100);
                    em.persist(a);
                    em.flush();
                    id[0] = a.getId();
                } else {
                    Memo m = new Memo(value, 1);
                    em.persist(m);
                    em.flush();
                    id[0] = m.getId();
                }
            });
            return id[0];
        }

        void edit(ConflictTestSupport.Unit unit, long id, String value) {
            unit.tx(em -> {
                if (this == VERSIONED) {
                    em.find(Account.class, id).setOwner(value);
                } else {
                    em.find(Memo.class, id).setText(value);
                }
            });
        }

        void remove(ConflictTestSupport.Unit unit, long id) {
            unit.tx(em -> em.remove(this == VERSIONED ? em.find(Account.class, id) : em.find(Memo.class, id)));
        }

        /** Edits the row on the remote as another application would (a versioned one moves its version on). */
        void editRemotely(ConflictTestSupport db, long id, String value) {
            int n = db.remoteUpdate("update " + table + " set " + column + " = ?"
                    + (this == VERSIONED ? ", version = version + 1" : "") + " where id = ?", value, id);
            assertThat(n).isEqualTo(1);
        }

        String local(ConflictTestSupport.Unit unit, long id) {
            List<Map<String, Object>> rows = unit.local("select " + column + " as v from " + table + " where id = ?", id);
            return rows.isEmpty() ? null : (String) rows.get(0).get("v");
        }

        String remote(ConflictTestSupport db, long id) {
            List<Map<String, Object>> rows = db.remote("select " + column + " as v from " + table + " where id = ?", id);
            return rows.isEmpty() ? null : (String) rows.get(0).get("v");
        }

        long remoteVersion(ConflictTestSupport db, long id) {
            return ((Number) db.remote("select version as v from account where id = ?", id).get(0).get("v")).longValue();
        }

        long localVersion(ConflictTestSupport.Unit unit, long id) {
            return ((Number) unit.local("select version as v from account where id = ?", id).get(0).get("v")).longValue();
        }
    }

    @AfterEach
    void dropSchema() {
        if (db != null) {
            db.close();
        }
    }

    /** The databases; SQLite + PostgreSQL here, other pairs in subclasses. */
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }

    private ConflictTestSupport.Unit unit(String onConflict) {
        db = new ConflictTestSupport(pair(), "conflict_policy");
        return db.open(onConflict);
    }

    // ---- detection ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoStoresThatGenerateTheSameIdentityIdGiveTheSecondAConflictAndKeepTheFirstRow(Kind kind) {
        ConflictTestSupport.Unit first = unit("FAIL");
        ConflictTestSupport.Unit second = db.open("update", Map.of(), null);
        long a = kind.create(first, "first's");
        long b = kind.create(second, "second's");
        assertThat(b).as("both local stores start their IDENTITY ids at 1").isEqualTo(a);

        assertThat(first.emf.sync().applied()).isEqualTo(1);
        SyncResult r = second.emf.sync();

        assertThat(r.applied()).isZero();
        assertThat(kind.remote(db, a)).as("the first store's row is intact").isEqualTo("first's");
        SyncLogEntity change = second.last(kind.entity, b);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(change.getOperation()).isEqualTo(ChangeOperation.INSERT);
        assertThat(change.getRemoteState()).contains("first's");
        assertThat(change.getLastError()).contains(kind.entity + "#" + b).contains("expected no remote row");
        SyncStatus status = second.emf.getSyncStatus();
        assertThat(status.conflictCount()).isEqualTo(1);
        assertThat(status.pendingChanges()).isZero();
        assertThat(status.lastError()).contains("Conflict");
        assertThat(second.emf.sync().applied()).as("a conflict is not retried by itself").isZero();
        assertThat(kind.remote(db, a)).isEqualTo("first's");
    }

    @Test
    void aRowReferringToAnInsertHeldByAConflictWaitsWithItInsteadOfPointingAtTheOtherStoresRow() {
        ConflictTestSupport.Unit first = unit("FAIL");
        ConflictTestSupport.Unit second = db.open("update", Map.of(), null);
        long a = Kind.UNVERSIONED.create(first, "first's");
        first.emf.sync();
        long b = Kind.UNVERSIONED.create(second, "second's");
        assertThat(b).isEqualTo(a);
        long[] remark = new long[1];
        second.tx(em -> {
            Remark r = new Remark(em.find(Memo.class, b));
            em.persist(r);
            em.flush();
            remark[0] = r.getId();
        });

        second.emf.sync();
        second.emf.sync();

        assertThat(second.last("Memo", b).getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(second.last("Remark", remark[0]).getStatus()).as("waits with the memo it refers to")
                .isEqualTo(ChangeStatus.PENDING);
        assertThat(((Number) db.remote("select count(*) as n from remark").get(0).get("n")).longValue()).isZero();

        // settled: the second store's memo wins, and the remark follows it
        second.emf.retry(second.last("Memo", b).getId());
        second.emf.sync();
        assertThat(Kind.UNVERSIONED.remote(db, b)).isEqualTo("second's");
        assertThat(((Number) db.remote("select count(*) as n from remark where memo_id = ?", b).get(0).get("n")).longValue())
                .isEqualTo(1);
        assertThat(second.last("Remark", remark[0]).getStatus()).isEqualTo(ChangeStatus.SYNCED);
    }

    @Test
    void aRowReferringToAnInsertWaitingBehindAConflictWaitsToo() {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long y = Kind.UNVERSIONED.create(unit, "y");
        unit.emf.sync();
        Kind.UNVERSIONED.editRemotely(db, y, "remote edit");
        Kind.UNVERSIONED.edit(unit, y, "local edit"); // a conflict
        long[] z = new long[1];
        unit.tx(em -> { // waits behind the conflicting row, with the memo it inserts
            em.find(Memo.class, y).setText("local edit 2");
            Memo m = new Memo("z", 1);
            em.persist(m);
            em.flush();
            z[0] = m.getId();
        });
        long[] remark = new long[1];
        unit.tx(em -> { // touches neither row, but refers to the memo inserted behind the conflict
            Remark r = new Remark(em.find(Memo.class, z[0]));
            em.persist(r);
            em.flush();
            remark[0] = r.getId();
        });

        unit.emf.sync();
        unit.emf.sync(); // a later run: the transaction behind the conflict is not even claimed now

        assertThat(unit.last("Memo", y).getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(unit.log("Memo", y).get(1).getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(unit.last("Remark", remark[0]).getStatus()).as("waits, never fails on the missing memo")
                .isEqualTo(ChangeStatus.PENDING);
        assertThat(unit.emf.getSyncStatus().failedCount()).isZero();

        unit.emf.retry(unit.log("Memo", y).get(1).getId());
        unit.emf.sync();
        assertThat(unit.last("Remark", remark[0]).getStatus()).isEqualTo(ChangeStatus.SYNCED);
        assertThat(Kind.UNVERSIONED.remote(db, y)).isEqualTo("local edit 2");
    }

    @Test
    void anInsertWhoseVersionMovedOnBeforeItsCommitDoesNotOverwriteAnotherStoresRow() {
        ConflictTestSupport.Unit first = unit("FAIL");
        ConflictTestSupport.Unit second = db.open("update", Map.of(), null);
        long a = Kind.VERSIONED.create(first, "first's");
        first.emf.sync();
        long[] b = new long[1];
        second.tx(em -> {
            Account account = new Account("second's", 5);
            em.persist(account);
            em.flush();
            account.setOwner("second's, changed before the commit"); // logged as one insert at version 1
            em.flush();
            b[0] = account.getId();
        });
        assertThat(b[0]).isEqualTo(a);

        second.emf.sync();

        assertThat(Kind.VERSIONED.remote(db, a)).isEqualTo("first's");
        assertThat(second.last("Account", b[0]).getStatus()).isEqualTo(ChangeStatus.CONFLICT);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failLeavesTheRemoteEditAndHoldsLaterChangesOfTheRow(Kind kind) {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.edit(unit, id, "local edit");
        kind.edit(unit, id, "later local edit");
        long other = kind.create(unit, "unrelated");

        unit.emf.sync();

        assertThat(kind.remote(db, id)).isEqualTo("remote edit");
        List<SyncLogEntity> log = unit.log(kind.entity, id);
        assertThat(log).extracting(SyncLogEntity::getStatus)
                .containsExactly(ChangeStatus.SYNCED, ChangeStatus.CONFLICT, ChangeStatus.PENDING);
        assertThat(log.get(1).getRemoteState()).contains("remote edit");
        assertThat(kind.remote(db, other)).as("other rows keep flowing").isEqualTo("unrelated");
        assertThat(unit.emf.getSyncStatus().conflictCount()).isEqualTo(1);
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isEqualTo(1);

        // retried, the conflict overwrites the remote, and the change that waited follows
        assertThat(unit.emf.retry(log.get(1).getId())).isEqualTo(1);
        unit.emf.sync();
        assertThat(kind.remote(db, id)).isEqualTo("later local edit");
        assertThat(unit.log(kind.entity, id)).extracting(SyncLogEntity::getStatus)
                .containsExactly(ChangeStatus.SYNCED, ChangeStatus.SYNCED, ChangeStatus.SYNCED);
        if (kind == Kind.VERSIONED) {
            assertThat(kind.remoteVersion(db, id)).as("the remote takes the local version").isEqualTo(kind.localVersion(unit, id));
        }
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void discardOfAConflictGivesTheLocalRowTheRemoteStateWithoutANewChange(Kind kind) {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.edit(unit, id, "local edit");
        unit.emf.sync();
        SyncLogEntity conflict = unit.last(kind.entity, id);
        assertThat(conflict.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        int logRows = unit.log(kind.entity, id).size();

        assertThat(unit.emf.discard(conflict.getId())).isEqualTo(1);

        assertThat(kind.local(unit, id)).isEqualTo("remote edit");
        if (kind == Kind.VERSIONED) {
            assertThat(kind.localVersion(unit, id)).isEqualTo(kind.remoteVersion(db, id));
        }
        assertThat(unit.log(kind.entity, id)).as("no echo").hasSize(logRows);
        assertThat(unit.last(kind.entity, id).getStatus()).isEqualTo(ChangeStatus.DISCARDED);
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
        assertThat(unit.emf.sync().applied()).isZero();
        assertThat(kind.remote(db, id)).isEqualTo("remote edit");
        // the local row can be changed again on top of the remote's state
        kind.edit(unit, id, "after discard");
        unit.emf.sync();
        assertThat(kind.remote(db, id)).isEqualTo("after discard");
        assertThat(unit.last(kind.entity, id).getStatus()).isEqualTo(ChangeStatus.SYNCED);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void discardingAConflictAlsoDiscardsTheLaterChangesMadeOnTopOfIt(Kind kind) {
        // the remote edit moves a version to the number the later local change expects: only the discard keeps it out
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.edit(unit, id, "local edit");
        kind.edit(unit, id, "later local edit");
        unit.emf.sync();
        List<SyncLogEntity> log = unit.log(kind.entity, id);
        assertThat(log).extracting(SyncLogEntity::getStatus)
                .containsExactly(ChangeStatus.SYNCED, ChangeStatus.CONFLICT, ChangeStatus.PENDING);

        assertThat(unit.emf.discard(log.get(1).getId())).isEqualTo(1);
        unit.emf.sync();

        assertThat(unit.log(kind.entity, id)).extracting(SyncLogEntity::getStatus)
                .containsExactly(ChangeStatus.SYNCED, ChangeStatus.DISCARDED, ChangeStatus.DISCARDED);
        assertThat(kind.remote(db, id)).isEqualTo("remote edit");
        assertThat(kind.local(unit, id)).isEqualTo("remote edit");
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void localWinsGivesTheRemoteRowTheLocalStateAndVersion(Kind kind) {
        ConflictTestSupport.Unit unit = unit("LOCAL_WINS");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.editRemotely(db, id, "remote edit 2");
        kind.edit(unit, id, "local edit");

        unit.emf.sync();

        assertThat(kind.remote(db, id)).isEqualTo("local edit");
        if (kind == Kind.VERSIONED) {
            assertThat(kind.remoteVersion(db, id)).isEqualTo(kind.localVersion(unit, id));
        }
        assertThat(unit.last(kind.entity, id).getStatus()).isEqualTo(ChangeStatus.SYNCED);
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void remoteWinsGivesTheLocalRowTheRemoteStateAndDiscardsTheChange(Kind kind) {
        ConflictTestSupport.Unit unit = unit("REMOTE_WINS");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.edit(unit, id, "local edit");
        int logRows = unit.log(kind.entity, id).size();

        unit.emf.sync();

        assertThat(kind.remote(db, id)).isEqualTo("remote edit");
        assertThat(kind.local(unit, id)).isEqualTo("remote edit");
        if (kind == Kind.VERSIONED) {
            assertThat(kind.localVersion(unit, id)).isEqualTo(kind.remoteVersion(db, id));
        }
        SyncLogEntity change = unit.last(kind.entity, id);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.DISCARDED);
        assertThat(change.getRemoteState()).contains("remote edit");
        assertThat(unit.log(kind.entity, id)).as("no new change captured for the copy").hasSize(logRows);
        assertThat(unit.logCount(ChangeStatus.PENDING)).isZero();
        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
        assertThat(unit.emf.sync().applied()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDeleteOfARowEditedRemotelyIsAConflict(Kind kind) {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.remove(unit, id);

        unit.emf.sync();

        assertThat(kind.remote(db, id)).as("the remote edit survives").isEqualTo("remote edit");
        SyncLogEntity change = unit.last(kind.entity, id);
        assertThat(change.getOperation()).isEqualTo(ChangeOperation.DELETE);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.CONFLICT);

        assertThat(unit.emf.discard(change.getId())).isEqualTo(1);
        assertThat(kind.local(unit, id)).as("the local row comes back with the remote's state").isEqualTo("remote edit");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDeleteOfARowEditedRemotelyUnderLocalWinsDeletesIt(Kind kind) {
        ConflictTestSupport.Unit unit = unit("LOCAL_WINS");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        kind.editRemotely(db, id, "remote edit");
        kind.remove(unit, id);

        unit.emf.sync();

        assertThat(kind.remote(db, id)).isNull();
        assertThat(unit.last(kind.entity, id).getStatus()).isEqualTo(ChangeStatus.SYNCED);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUpdateOfARowDeletedRemotelyIsAConflict(Kind kind) {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = kind.create(unit, "v1");
        unit.emf.sync();
        db.remoteUpdate("delete from " + kind.table + " where id = ?", id);
        kind.edit(unit, id, "local edit");

        unit.emf.sync();

        assertThat(kind.remote(db, id)).as("not inserted again behind the remote's back").isNull();
        SyncLogEntity change = unit.last(kind.entity, id);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(change.getRemoteState()).isEqualTo("null");
        assertThat(change.getLastError()).contains("deleted");

        // REMOTE's state is "no row": discarding removes the local row, without a new change
        unit.emf.discard(change.getId());
        assertThat(kind.local(unit, id)).isNull();
        assertThat(unit.logCount(ChangeStatus.PENDING)).isZero();
    }

    @Test
    void anUnversionedRowEditedRemotelyInAnotherColumnIsStillAConflict() {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long id = Kind.UNVERSIONED.create(unit, "v1");
        unit.emf.sync();
        db.remoteUpdate("update memo set priority = 9 where id = ?", id);
        Kind.UNVERSIONED.edit(unit, id, "local edit");

        unit.emf.sync();

        SyncLogEntity change = unit.last("Memo", id);
        assertThat(change.getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(change.getLastError()).contains("priority: 1 -> 9");
        assertThat(db.remote("select priority as p, text as t from memo where id = ?", id).get(0))
                .containsEntry("p", 9).containsEntry("t", "v1");
    }

    @Test
    void aConflictInTheMiddleOfABatchLetsTheRestThrough() {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long x = Kind.VERSIONED.create(unit, "x");
        unit.emf.sync();
        Kind.VERSIONED.editRemotely(db, x, "remote edit");
        long before = Kind.UNVERSIONED.create(unit, "before");
        // one transaction: a conflicting update and an insert, held together
        long[] sameTx = new long[1];
        unit.tx(em -> {
            em.find(Account.class, x).setOwner("local edit");
            Memo m = new Memo("same transaction", 2);
            em.persist(m);
            em.flush();
            sameTx[0] = m.getId();
        });
        long after = Kind.UNVERSIONED.create(unit, "after");

        SyncResult r = unit.emf.sync();

        assertThat(r.applied()).isEqualTo(2);
        assertThat(Kind.UNVERSIONED.remote(db, before)).isEqualTo("before");
        assertThat(Kind.UNVERSIONED.remote(db, after)).isEqualTo("after");
        assertThat(Kind.UNVERSIONED.remote(db, sameTx[0])).as("the conflicting transaction is held whole").isNull();
        assertThat(unit.last("Memo", sameTx[0]).getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(unit.last("Account", x).getStatus()).isEqualTo(ChangeStatus.CONFLICT);
        assertThat(unit.emf.sync().applied()).as("still held on the next run").isZero();

        unit.emf.retry(unit.last("Account", x).getId());
        unit.emf.sync();
        assertThat(Kind.UNVERSIONED.remote(db, sameTx[0])).isEqualTo("same transaction");
        assertThat(Kind.VERSIONED.remote(db, x)).isEqualTo("local edit");
    }

    @Test
    void changesReplayedAgainAfterACrashBeforeTheirMarksAreNotConflicts() {
        ConflictTestSupport.Unit unit = unit("FAIL");
        long a = Kind.VERSIONED.create(unit, "a1");
        long m = Kind.UNVERSIONED.create(unit, "m1");
        Kind.VERSIONED.edit(unit, a, "a2");
        Kind.UNVERSIONED.edit(unit, m, "m2");
        unit.emf.sync();
        Kind.VERSIONED.edit(unit, a, "a3");
        Kind.UNVERSIONED.edit(unit, m, "m3");
        Kind.UNVERSIONED.remove(unit, Kind.UNVERSIONED.create(unit, "gone"));
        unit.emf.sync();
        // as if the process died after the remote commits and before the SYNCED marks
        SqliteUpdate.run(unit.localUrl, "update dbc_sync_log set status = 'PENDING', synced_at = null");
        SqliteUpdate.run(unit.localUrl, "update dbc_sync_floor set next_id = 0"); // the floor moves after the marks only

        SyncResult r = unit.emf.sync();

        assertThat(unit.emf.getSyncStatus().conflictCount()).isZero();
        assertThat(r.applied()).isEqualTo(unit.log("Account", a).size() + unit.log("Memo", m).size() + 2);
        assertThat(Kind.VERSIONED.remote(db, a)).isEqualTo("a3");
        assertThat(Kind.UNVERSIONED.remote(db, m)).isEqualTo("m3");
        assertThat(Kind.VERSIONED.remoteVersion(db, a)).isEqualTo(Kind.VERSIONED.localVersion(unit, a));
    }

    @Test
    void theResolverDecidesBeforeThePolicyAndSeesBothStates() {
        db = new ConflictTestSupport(pair(), "conflict_resolver");
        List<ConflictResolver.Conflict> seen = new ArrayList<>();
        ConflictTestSupport.Unit unit = db.open("create", Map.of("dbcomposite.defaults.onConflict", "FAIL"), c -> {
            seen.add(c);
            return c.entityName().equals("Memo") ? OnConflict.REMOTE_WINS : OnConflict.DEFAULT;
        });
        long memo = Kind.UNVERSIONED.create(unit, "m1");
        long account = Kind.VERSIONED.create(unit, "a1");
        unit.emf.sync();
        Kind.UNVERSIONED.editRemotely(db, memo, "remote memo");
        Kind.VERSIONED.editRemotely(db, account, "remote account");
        Kind.UNVERSIONED.edit(unit, memo, "local memo");
        Kind.VERSIONED.edit(unit, account, "local account");

        unit.emf.sync();

        assertThat(unit.last("Memo", memo).getStatus()).isEqualTo(ChangeStatus.DISCARDED);
        assertThat(Kind.UNVERSIONED.local(unit, memo)).isEqualTo("remote memo");
        assertThat(unit.last("Account", account).getStatus()).as("DEFAULT leaves it to the policy")
                .isEqualTo(ChangeStatus.CONFLICT);
        ConflictResolver.Conflict c = seen.stream().filter(x -> x.entityName().equals("Memo")).findFirst().orElseThrow();
        assertThat(c.operation()).isEqualTo(ChangeOperation.UPDATE);
        assertThat(c.localState()).contains("local memo");
        assertThat(c.baseState()).contains("m1");
        assertThat(c.remoteState()).contains("remote memo");
        assertThat(c.policy()).isEqualTo(OnConflict.FAIL);
        assertThat(c.changeId()).isEqualTo(unit.last("Memo", memo).getId());
    }

    @Test
    void thePolicyIsSetPerEntity() {
        db = new ConflictTestSupport(pair(), "conflict_per_entity");
        ConflictTestSupport.Unit unit = db.open("create", Map.of("dbcomposite.routing.Memo.onConflict", "LOCAL_WINS"), null);
        long memo = Kind.UNVERSIONED.create(unit, "m1");
        long account = Kind.VERSIONED.create(unit, "a1");
        unit.emf.sync();
        Kind.UNVERSIONED.editRemotely(db, memo, "remote memo");
        Kind.VERSIONED.editRemotely(db, account, "remote account");
        Kind.UNVERSIONED.edit(unit, memo, "local memo");
        Kind.VERSIONED.edit(unit, account, "local account");

        unit.emf.sync();

        assertThat(Kind.UNVERSIONED.remote(db, memo)).isEqualTo("local memo");
        assertThat(unit.last("Account", account).getStatus()).as("the built-in default is FAIL").isEqualTo(ChangeStatus.CONFLICT);
    }

    @Test
    void theAnnotationSetsThePolicyOfItsEntity() {
        ConflictTestSupport.Unit unit = unit("FAIL");
        assertThat(unit.emf.routingOf(Price.class).onConflict()).isEqualTo(OnConflict.REMOTE_WINS);
        assertThat(unit.emf.routingOf(Memo.class).onConflict()).isEqualTo(OnConflict.FAIL);
        unit.tx(em -> em.persist(new Price("p-1", 100)));
        unit.emf.sync();
        db.remoteUpdate("update price set cents = 90 where sku = 'p-1'");
        unit.tx(em -> em.find(Price.class, "p-1").setCents(120));

        unit.emf.sync();

        assertThat(unit.last("Price", "p-1").getStatus()).isEqualTo(ChangeStatus.DISCARDED);
        long cents = unit.read(em -> em.find(Price.class, "p-1").getCents());
        assertThat(cents).isEqualTo(90);
    }

    /** Plain JDBC on the local SQLite file. */
    private static final class SqliteUpdate {
        static void run(String url, String sql) {
            io.dbcomposite.testing.SqliteFiles.update(url, sql);
        }
    }
}
