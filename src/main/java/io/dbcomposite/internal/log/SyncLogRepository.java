package io.dbcomposite.internal.log;

import io.dbcomposite.ChangeOperation;
import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * The one owner of {@code dbc_sync_log}: every statement on it (the capture's inserts, the engine's claim, marks,
 * purge and counts, the take-along reads of a remote write) is here, in plain JDBC, with statuses from
 * {@link ChangeStatus}. Reads are bounded and in id order (the backlog is streamed, never loaded whole); writes are
 * short transactions. What differs per local database (SQLite's prepared multi-row insert and its text dates) is
 * in a {@link LogCustomization}.
 */
public final class SyncLogRepository {

    private static final String PENDING = quoted(ChangeStatus.PENDING);
    private static final String FAILED = quoted(ChangeStatus.FAILED);
    private static final String DEAD = quoted(ChangeStatus.DEAD);
    private static final String SYNCED = quoted(ChangeStatus.SYNCED);
    private static final String CONFLICT = quoted(ChangeStatus.CONFLICT);
    private static final String DISCARDED = quoted(ChangeStatus.DISCARDED);

    private static String quoted(ChangeStatus status) {
        return "'" + status.name() + "'";
    }

    private final SyncLogInserts inserts = new SyncLogInserts();

    private static final String COLUMNS = "id, tx_id, entity_name, entity_id, operation, payload, status, attempts, next_attempt_at,"
            + " base_state";
    private static final int IN_CHUNK = 500;

    /**
     * The log's two parts. A FRESH row is PENDING with no error written on it: every row starts so, and the engine
     * reads these from the floor up, in rowid order, with no index (a commit then writes the log's table page and
     * no index page). A row WITH_ERROR is FAILED, DEAD, CONFLICT, or PENDING with an error: held back behind an
     * earlier change, or left by a failed remote step; SQLite keeps these in the partial index
     * {@value #ERRORS_INDEX}, which it uses only for a query that repeats its condition word for word. A row never
     * becomes fresh again (no statement clears an error or makes a row PENDING without one), so the floor only grows.
     */
    private static final String FRESH = "status = " + quoted(ChangeStatus.PENDING) + " and last_error is null";
    private static final String WITH_ERROR = "last_error is not null";
    /**
     * The last column of a read of fresh rows that tells which of them are as the capture wrote them (PENDING, no
     * attempt, none due later): {@value #AS_NEW} for those, whose status, attempts and next attempt need not be read,
     * 1 for the others. A read of rows with an error gives 0 there.
     */
    private static final String FRESH_AS_NEW = "case when attempts = 0 and next_attempt_at is null then 2 else 1 end";
    private static final int AS_NEW = 2;

    /** SQLite: the partial index of the rows with an error, {@code (status, id) where last_error is not null}. */
    public static final String ERRORS_INDEX = "dbc_sync_log_errors";
    /** The index of every row, {@code (status, id)}: kept on a local database other than SQLite. */
    public static final String STATUS_INDEX = "dbc_sync_log_status";
    /** SQLite: one row, {@code next_id}, below which the log has no fresh row. */
    public static final String FLOOR_TABLE = "dbc_sync_floor";
    /** SQLite: brings the floor down when a delete takes the highest ids (they would be handed out again). */
    public static final String FLOOR_TRIGGER = "dbc_sync_floor_on_delete";
    /** SQLite: true when the log has no delete trigger, so is new to the floor. */
    private static final String TRIGGER_MISSING = "select not exists (select 1 from sqlite_master where type = 'trigger'"
            + " and name = '" + FLOOR_TRIGGER + "')";

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.sync");

    private final DataSource local;

    /**
     * Whether the log keeps a floor in {@value #FLOOR_TABLE}: every fresh row's id is at least its {@code next_id}.
     * The floor only grows: SQLite hands out rowids in commit order (one writer at a time, a new row's id above every
     * row committed before it) and a row never becomes fresh again, so a floor read off any one snapshot holds for
     * every later one. Only on SQLite (other local databases may commit identity values out of order, and read every
     * PENDING row off {@value #STATUS_INDEX}), and only once {@link #prepare} made the table.
     */
    private volatile boolean floorKept;
    /** Whether {@link #prepare} found the log table (else the next run tries again). */
    private volatile boolean tableSeen;
    /** The unit, for the log of a late {@link #prepare}; null until the first prepare. */
    private volatile String unitName;

    /** @param local the local database, where the log lives */
    public SyncLogRepository(DataSource local) {
        this.local = local;
    }

    /**
     * Readies the log's indexes once the local side's schema management has run (they are not in the mapping: SQLite
     * gets a partial index Hibernate cannot declare). On SQLite: the partial index {@value #ERRORS_INDEX}, the floor
     * table {@value #FLOOR_TABLE} and the delete trigger {@value #FLOOR_TRIGGER}. The trigger lives and dies with the
     * log table, so a log without it is new to the floor (the first start, an upgrade, a table dropped and created by
     * {@code hbm2ddl=create} or another process): the floor starts over at 0. Elsewhere: the index
     * {@value #STATUS_INDEX}. A failure here is logged, never thrown: the log works without them, only slower.
     *
     * @param unitName the persistence unit, for the log
     */
    public void prepare(String unitName) {
        this.unitName = unitName;
        try (Connection c = local.getConnection()) {
            if (!hasLogTable(c)) {
                tableSeen = false;
                return; // no schema management and no table yet: the first write says so, the next run tries again
            }
            tableSeen = true;
            try (java.sql.Statement st = c.createStatement()) {
                if (!SqliteLogCustomization.accepts(c)) {
                    st.execute("create index if not exists " + STATUS_INDEX + " on dbc_sync_log (status, id)");
                    return;
                }
                boolean newLog;
                try (ResultSet rs = st.executeQuery(TRIGGER_MISSING)) {
                    newLog = rs.next() && rs.getBoolean(1);
                }
                st.execute("create index if not exists " + ERRORS_INDEX + " on dbc_sync_log (status, id) where " + WITH_ERROR);
                st.execute("create table if not exists " + FLOOR_TABLE + " (id integer primary key, next_id integer not null)");
                st.execute("insert or ignore into " + FLOOR_TABLE + " (id, next_id) values (1, 0)");
                if (newLog) {
                    st.executeUpdate("update " + FLOOR_TABLE + " set next_id = 0 where id = 1");
                }
                // a delete of the highest ids lets SQLite hand them out again: the floor comes down to the new top
                // (deletes only; the purge never deletes the highest id, so there it changes nothing)
                st.execute("create trigger if not exists " + FLOOR_TRIGGER + " after delete on dbc_sync_log begin update "
                        + FLOOR_TABLE + " set next_id = (select coalesce(max(id), 0) + 1 from dbc_sync_log) where id = 1"
                        + " and next_id > (select coalesce(max(id), 0) + 1 from dbc_sync_log); end");
                floorKept = true;
                try (ResultSet rs = st.executeQuery("select 1 from sqlite_master where type = 'index' and name = '"
                        + STATUS_INDEX + "'")) {
                    if (rs.next()) {
                        LOG.log(System.Logger.Level.WARNING, "db-composite: persistence unit '" + unitName + "': the local"
                                + " database still has the sync-log index " + STATUS_INDEX + ", which costs every local"
                                + " commit one more page; nothing reads it any more. Drop it: drop index if exists "
                                + STATUS_INDEX + ";");
                    }
                }
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: persistence unit '" + unitName + "': cannot ready the indexes"
                    + " of the sync log (dbc_sync_log); the sync works without them, slower: " + e.getMessage(), e);
        }
    }

    private static boolean hasLogTable(Connection c) throws SQLException {
        java.sql.DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {"dbc_sync_log", "DBC_SYNC_LOG"}) {
            try (ResultSet rs = meta.getTables(null, null, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Moves the floor up to the first fresh row, or past the last row when there is none, and keeps it in
     * {@value #FLOOR_TABLE}: after a sync run this reads what the run left behind it. Safe at any time and without
     * the applier lock (the floor read off one statement's snapshot holds for good).
     *
     * @param marked whether the caller has just marked rows so they are fresh no more (a sync run that applied some): the
     *        floor then most likely moves, and is moved in one statement under SQLite's write lock, without first reading
     *        whether it would (one scan of the rows behind the floor, not two)
     */
    public void advanceFloor(boolean marked) {
        if (!floorKept) {
            if (!tableSeen && unitName != null) {
                prepare(unitName); // the log table was missing at start (no schema management): ready it once it is there
            }
            return;
        }
        // the floor as kept, and where it belongs: the first fresh row from it, else past the last row; 0 if it stands
        // above every id or the trigger went meanwhile (the log emptied, or dropped and created, behind the unit)
        String target = "case when f.next_id > (select coalesce(max(id), 0) + 1 from dbc_sync_log)"
                + " or (" + TRIGGER_MISSING + ") then 0 else coalesce((select min(id) from dbc_sync_log where"
                + " id >= f.next_id and " + FRESH + "), (select coalesce(max(id), 0) + 1 from dbc_sync_log)) end";
        if (marked) {
            int[] moved = new int[1];
            // read and write in one statement under SQLite's write lock: no delete, truncate or tool comes in between
            inTransaction(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    moved[0] = st.executeUpdate("update " + FLOOR_TABLE + " set next_id = (select " + target + " from "
                            + FLOOR_TABLE + " f where f.id = 1) where id = 1 and not (" + TRIGGER_MISSING + ")");
                }
            });
            if (moved[0] == 1) {
                return;
            }
            // no floor row, or the trigger went: the read below tells which and starts the floor over
        }
        // a first read without the write lock: most runs leave the floor where it is, and then write nothing
        int state = single("select case when (" + TRIGGER_MISSING + ") then 2 when f.next_id <> " + target + " then 1"
                + " else 0 end from " + FLOOR_TABLE + " f where f.id = 1", rs -> rs.getInt(1), 0);
        if (state == 2 && unitName != null) {
            prepare(unitName); // the log was dropped and created behind the unit: the floor starts over, the layout too
        } else if (state == 1) {
            // read and write in one statement under SQLite's write lock: no delete, truncate or tool comes in between
            inTransaction(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.executeUpdate("update " + FLOOR_TABLE + " set next_id = (select " + target + " from " + FLOOR_TABLE
                            + " f where f.id = 1) where id = 1");
                }
            });
        }
    }

    /**
     * The log table was created, dropped or emptied by the unit's schema manager: the floor starts over at 0 and the
     * indexes are made again (dropping a table drops its indexes).
     *
     * @param unitName the persistence unit, for the log
     */
    public void reset(String unitName) {
        if (floorKept) {
            try (Connection c = local.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("update " + FLOOR_TABLE + " set next_id = 0 where id = 1");
            } catch (SQLException e) {
                // no floor table any more (dropped with the schema): prepare makes it again
                floorKept = false;
            }
        }
        prepare(unitName);
    }

    /**
     * @param bound the id (SQL: a literal or {@code ?}) after which the read wants changes
     * @return the SQL of the id above which such a read finds the fresh rows: the bound, or the floor if higher; one
     *     expression, so that SQLite reads a rowid range from it
     */
    private String freshAfter(String bound) {
        return floorKept ? "max(" + bound + ", coalesce((select next_id from " + FLOOR_TABLE + " where id = 1), 0) - 1)" : bound;
    }

    /**
     * Reads another local table, for the replay's look-ahead: the remote's identity sequence of a table is moved once past
     * the highest id the local side handed out there, not batch by batch past each batch's ids.
     *
     * @param table a local table, as its persister names it
     * @param column its numeric id column
     * @return the column's highest value, or null if the table has no rows
     */
    public Long highestOf(String table, String column) {
        return single("select max(" + column + ") from " + table, rs -> {
            long top = rs.getLong(1);
            return rs.wasNull() ? null : top;
        }, null);
    }

    /** @return the floor as kept, or 0 where the log keeps none (tests, diagnostics) */
    public long floor() {
        return floorKept ? single("select next_id from " + FLOOR_TABLE + " where id = 1", rs -> rs.getLong(1), 0L) : 0L;
    }

    /**
     * Writes one local transaction's changes as log rows on the transaction's own connection, so they commit or roll
     * back with its data.
     *
     * @param connection the transaction's connection
     * @param txId the local transaction
     * @param rows the changes, in order
     * @param now the commit's time ({@code createdAt}, and {@code syncedAt} of rows already on the remote)
     */
    public void insert(Connection connection, String txId, List<NewRow> rows, Instant now) {
        inserts.write(connection, txId, rows, now);
    }

    /**
     * One row to insert.
     *
     * @param entityName the JPA entity name
     * @param entityId the id in string form
     * @param operation insert, update or delete
     * @param payload the JSON state, null for a delete
     * @param synced whether the remote already has it (logged SYNCED)
     * @param base the JSON state the change was based on (an update's or a delete's row as first found), or null
     */
    public record NewRow(String entityName, String entityId, ChangeOperation operation, String payload, boolean synced,
                         String base) {
    }


    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }

    /**
     * @return up to {@code limit} PENDING or FAILED changes after {@code afterId}, in id order: the fresh ones read
     *     from the floor up in rowid order, the others off the index of rows with an error, in one statement (one
     *     snapshot). Each part comes ordered and limited; the two are merged here, not by the statement: an outer
     *     {@code order by} made SQLite copy every row of the page, payloads included, into a sorter, which was most of
     *     the cost of a page (the replay's helper thread reads one page per batch beside the remote's work).
     */
    public List<LoggedChange> candidates(long afterId, int limit) {
        List<LoggedChange> both = query(candidatesSql(),
                ps -> {
                    ps.setLong(1, afterId);
                    ps.setInt(2, limit);
                    ps.setLong(3, afterId);
                    ps.setInt(4, limit);
                });
        return firstById(both, limit);
    }

    /**
     * @return the first {@code limit} changes by id of the two parts a page read returns, each in id order: the first
     *     part's rows, unless the second (rows with an error, most often none) has any
     */
    static List<LoggedChange> firstById(List<LoggedChange> both, int limit) {
        boolean sorted = true;
        for (int i = 1; i < both.size() && sorted; i++) {
            sorted = both.get(i - 1).id() < both.get(i).id();
        }
        if (sorted && both.size() <= limit) {
            return both;
        }
        List<LoggedChange> merged = new ArrayList<>(both);
        merged.sort(java.util.Comparator.comparingLong(LoggedChange::id));
        return merged.size() <= limit ? merged : new ArrayList<>(merged.subList(0, limit));
    }

    /**
     * @return the claim's statement (parameters: after id, limit, after id, limit), whose rows {@link #candidates} merges
     *     by id; public for the tests that check SQLite's plan of it
     */
    public String candidatesSql() {
        return "select * from (select " + COLUMNS + ", " + FRESH_AS_NEW + " from dbc_sync_log where id > " + freshAfter("?")
                + " and " + FRESH + " order by id limit ?) union all select * from (select " + COLUMNS + ", 0 from dbc_sync_log where "
                + WITH_ERROR + " and status in (" + PENDING + ", " + FAILED + ") and id > ? order by id limit ?)";
    }

    /** @return the status counts' statement; public for the tests that check SQLite's plan of it */
    public String countsSql() {
        return "select status, count(*) from (select status from dbc_sync_log where id > " + freshAfter("0") + " and " + FRESH
                + " union all select status from dbc_sync_log where " + WITH_ERROR + " and status in (" + PENDING + ", "
                + FAILED + ", " + DEAD + ", " + CONFLICT + ")) group by status";
    }

    /** @return true if any change is not SYNCED yet (the first fresh row, then a seek of the index of rows with an error) */
    public boolean hasUnsynced() {
        return single("select exists(select 1 from dbc_sync_log where id > " + freshAfter("0") + " and " + FRESH + ")"
                + " or exists(select 1 from dbc_sync_log where " + WITH_ERROR + " and status in (" + PENDING + ", " + FAILED
                + ", " + DEAD + ", " + CONFLICT + "))", rs -> rs.getBoolean(1), false);
    }

    /** @return every PENDING, FAILED, DEAD and CONFLICT change without its payload (null), in id order: the backlog's shape */
    public List<LoggedChange> unsyncedHeads() {
        String columns = COLUMNS.replace("payload", "null");
        return query("select " + columns + ", 1 from dbc_sync_log where id > " + freshAfter("0") + " and " + FRESH
                + " union all select " + columns + ", 0 from dbc_sync_log where " + WITH_ERROR + " and status in (" + PENDING
                + ", " + FAILED + ", " + DEAD + ", " + CONFLICT + ") order by 1", ps -> {
                });
    }

    /** @return the same changes with their payloads read, in the same order */
    public List<LoggedChange> withPayloads(List<LoggedChange> heads) {
        java.util.Map<Long, String> payloads = new HashMap<>();
        for (int from = 0; from < heads.size(); from += IN_CHUNK) {
            List<LoggedChange> chunk = heads.subList(from, Math.min(heads.size(), from + IN_CHUNK));
            try (Connection c = local.getConnection();
                 PreparedStatement ps = c.prepareStatement("select id, payload from dbc_sync_log where id in ("
                         + placeholders(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i).id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        payloads.put(rs.getLong(1), rs.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw failure("read the payloads of", e);
            }
        }
        List<LoggedChange> out = new ArrayList<>(heads.size());
        for (LoggedChange h : heads) {
            out.add(new LoggedChange(h.id(), h.txId(), h.entityName(), h.entityId(), h.operation(), payloads.get(h.id()),
                    h.status(), h.attempts(), h.nextAttemptAt(), h.base(), null, h.fresh()));
        }
        return out;
    }



    /** @return for each entity row with a FAILED, DEAD or CONFLICT change, the id of its oldest one */
    public Map<LoggedChange.RowKey, Long> blockedRows() {
        Map<LoggedChange.RowKey, Long> out = new HashMap<>();
        try (Connection c = local.getConnection();
             PreparedStatement ps = c.prepareStatement("select entity_name, entity_id, min(id) from dbc_sync_log"
                     + " where " + WITH_ERROR + " and status in (" + FAILED + ", " + DEAD + ", " + CONFLICT + ")"
                     + " group by entity_name, entity_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(new LoggedChange.RowKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the blocked rows of", e);
        }
    }

    public void markSynced(List<Long> ids, Instant now, java.util.Set<String> dropPayloadOf) {
        inTransaction(c -> markSynced(c, ids, now, dropPayloadOf));
    }

    /** Marks these rows SYNCED on the caller's connection, inside its open transaction. */
    public void markSyncedOn(Connection c, List<Long> ids, Instant now, java.util.Set<String> dropPayloadOf) {
        try {
            markSynced(c, ids, now, dropPayloadOf);
        } catch (SQLException e) {
            throw failure("mark SYNCED the changes taken along in", e);
        }
    }

    private static void markSynced(Connection c, List<Long> ids, Instant now, java.util.Set<String> dropPayloadOf)
            throws SQLException {
        if (isRun(ids)) {
            // a batch of consecutive ids (a page of fresh changes, all applied): one range, two parameters
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + SYNCED + ", synced_at = ?,"
                    + " next_attempt_at = null" + dropPayload(dropPayloadOf) + " where id between ? and ?")) {
                ps.setTimestamp(1, Timestamp.from(now), utc());
                ps.setLong(2, ids.get(0));
                ps.setLong(3, ids.get(ids.size() - 1));
                ps.executeUpdate();
            }
            return;
        }
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + SYNCED + ", synced_at = ?,"
                    + " next_attempt_at = null" + dropPayload(dropPayloadOf) + " where id in (" + placeholders(chunk.size()) + ")")) {
                ps.setTimestamp(1, Timestamp.from(now), utc());
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 2, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }


    /**
     * Writes {@code why} on these changes if they are still fresh (PENDING with no error): the engine passed them by,
     * held back behind an earlier change, so the floor may move past them (they are read off the index of rows with
     * an error from now on). Their status and attempts stay as they are.
     */
    public void markHeld(List<Long> ids, String why) {
        writeError(ids, why, FRESH);
    }

    /** Writes {@code error} on these changes if they are still PENDING, leaving their status and attempts as they are. */
    public void notePendingError(List<Long> ids, String error) {
        writeError(ids, error, "status = " + PENDING);
    }

    /** @return the text cut to the {@code last_error} column's 4,000 characters */
    private static String clipped(String text) {
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    private void writeError(List<Long> ids, String error, String stillIf) {
        if (ids.isEmpty()) {
            return;
        }
        String clipped = clipped(error);
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set last_error = ? where id = ? and " + stillIf)) {
                for (Long id : ids) {
                    ps.setString(1, clipped);
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Marks the changes of a failed local transaction FAILED (or DEAD) with the policy's next attempt. */
    public int markFailed(List<LoggedChange> changes, Instant now, String failure, Backoff policy) {
        // a FAILED or DEAD row always has an error: it is read off the index of such rows
        String error = failure == null || failure.isEmpty() ? "failed (no message)" : failure;
        int[] dead = {0};
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = ?, attempts = ?,"
                    + " next_attempt_at = ?, last_error = ? where id = ?")) {
                for (LoggedChange change : changes) {
                    int attempts = change.attempts() + 1;
                    boolean isDead = policy.isDead(attempts);
                    if (isDead) {
                        dead[0]++;
                    }
                    ps.setString(1, (isDead ? ChangeStatus.DEAD : ChangeStatus.FAILED).name());
                    ps.setInt(2, attempts);
                    if (isDead) {
                        ps.setNull(3, Types.TIMESTAMP);
                    } else {
                        ps.setTimestamp(3, Timestamp.from(policy.nextAttempt(now, attempts)), utc());
                    }
                    ps.setString(4, clipped(error));
                    ps.setLong(5, change.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        return dead[0];
    }

    public int retryDeadLetters() {
        int[] n = {0};
        inTransaction(c -> {
            // the error stays (never null: the row stays in the index of rows with an error, below the floor)
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + PENDING + ", attempts = 0,"
                    + " next_attempt_at = null, last_error = coalesce(last_error, 'retried') where " + WITH_ERROR
                    + " and status = " + DEAD)) {
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }

    /** @return the local transactions with a CONFLICT change (none of their other changes is due) */
    public java.util.Set<String> conflictTxIds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Connection c = local.getConnection();
             PreparedStatement ps = c.prepareStatement("select distinct tx_id from dbc_sync_log where " + WITH_ERROR
                     + " and status = " + CONFLICT);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the transactions in conflict of", e);
        }
    }

    /**
     * @return entity name and id of every row whose INSERT is held by a conflict: a CONFLICT insert, and the inserts
     *     still to replay of a local transaction with a CONFLICT change (none when there is no conflict: an index seek)
     */
    public List<LoggedChange.RowKey> heldInserts() {
        List<LoggedChange.RowKey> out = new ArrayList<>();
        try (Connection c = local.getConnection();
             PreparedStatement ps = c.prepareStatement("select entity_name, entity_id from dbc_sync_log where id > " + freshAfter("0")
                     + " and " + FRESH
                     + " and operation = 'INSERT' and tx_id in (select tx_id from dbc_sync_log where " + WITH_ERROR
                     + " and status = " + CONFLICT + ") union all select entity_name, entity_id from dbc_sync_log where "
                     + WITH_ERROR + " and status in (" + PENDING + ", " + FAILED + ", " + DEAD + ", " + CONFLICT + ")"
                     + " and operation = 'INSERT' and tx_id in (select tx_id from dbc_sync_log where " + WITH_ERROR
                     + " and status = " + CONFLICT + ")");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new LoggedChange.RowKey(rs.getString(1), rs.getString(2)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the inserts held by conflicts in", e);
        }
    }

    /**
     * @return the PENDING or FAILED changes of one entity row after {@code afterId}, in id order (at most 100): what
     *     the replay compares a remote row with before it calls it a conflict (rare; a scan of the unsynced rows)
     */
    public List<LoggedChange> laterChanges(LoggedChange.RowKey row, long afterId) {
        return query("select * from (select " + COLUMNS + ", 1 from dbc_sync_log where id > " + freshAfter("?") + " and " + FRESH
                + " and entity_name = ? and entity_id = ? order by id limit 100) union all select * from (select " + COLUMNS
                + ", 0 from dbc_sync_log where " + WITH_ERROR + " and status in (" + PENDING + ", " + FAILED + ") and id > ?"
                + " and entity_name = ? and entity_id = ? order by id limit 100) order by 1 limit 100",
                ps -> bindRowInBothParts(ps, 1, row, afterId));
    }

    /** Binds "after this id, of this row" for the fresh part and then for the part with an error, from {@code at}. */
    private static void bindRowInBothParts(PreparedStatement ps, int at, LoggedChange.RowKey row, long afterId)
            throws SQLException {
        for (int part = 0; part < 2; part++) {
            ps.setLong(at + 3 * part, afterId);
            ps.setString(at + 3 * part + 1, row.entityName());
            ps.setString(at + 3 * part + 2, row.entityId());
        }
    }

    /** @return these changes (any status), in id order; unknown ids are left out */
    public List<LoggedChange> byIds(long... ids) {
        List<LoggedChange> out = new ArrayList<>();
        for (int from = 0; from < ids.length; from += IN_CHUNK) {
            int until = Math.min(ids.length, from + IN_CHUNK);
            int start = from;
            out.addAll(query("select " + COLUMNS + ", case when " + FRESH + " then 1 else 0 end from dbc_sync_log where id in ("
                    + placeholders(until - from) + ") order by id",
                    ps -> {
                        for (int i = start; i < until; i++) {
                            ps.setLong(i - start + 1, ids[i]);
                        }
                    }));
        }
        return out;
    }

    /** Marks a change CONFLICT: the remote row as found is kept, with the reason as its error. */
    public void markConflict(long id, String remoteState, String why) {
        // a CONFLICT row always has an error: it is read off the index of such rows
        String reason = why == null || why.isEmpty() ? "conflict" : why;
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + CONFLICT + ", remote_state = ?,"
                    + " last_error = ?, next_attempt_at = null where id = ?")) {
                ps.setString(1, remoteState == null ? "null" : remoteState);
                ps.setString(2, clipped(reason));
                ps.setLong(3, id);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Marks changes DISCARDED on the caller's connection, inside its open transaction (they commit with the local copy
     * of the remote row, if any).
     *
     * @param remoteState the remote row as found (for a conflict), or null to leave the column as it is
     * @param from the statuses a change may be discarded from
     * @return how many were
     */
    public int markDiscardedOn(Connection c, List<Long> ids, String remoteState, java.util.Set<ChangeStatus> from) {
        StringBuilder statuses = new StringBuilder();
        for (ChangeStatus s : from) {
            statuses.append(statuses.length() == 0 ? "" : ", ").append(quoted(s));
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + DISCARDED + ", next_attempt_at = null,"
                + " remote_state = coalesce(?, remote_state) where id = ? and status in (" + statuses + ")")) {
            for (Long id : ids) {
                ps.setString(1, remoteState);
                ps.setLong(2, id);
                n += ps.executeUpdate();
            }
            return n;
        } catch (SQLException e) {
            throw failure("mark DISCARDED changes of", e);
        }
    }

    /**
     * Marks DISCARDED, on the caller's connection, the changes of one entity row logged after {@code afterId} that are not
     * on the remote yet: they were made on top of a local state that just took the remote's.
     *
     * @return how many were
     */
    public int discardLaterOn(Connection c, LoggedChange.RowKey row, long afterId, String why) {
        try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set status = " + DISCARDED + ", next_attempt_at = null,"
                + " last_error = ? where id in (select id from (select id from dbc_sync_log where id > " + freshAfter("?")
                + " and " + FRESH + " and entity_name = ? and entity_id = ? union all select id from dbc_sync_log where "
                + WITH_ERROR + " and status in (" + PENDING + ", " + FAILED + ", " + DEAD + ", " + CONFLICT + ") and id > ?"
                + " and entity_name = ? and entity_id = ?) later)")) {
            ps.setString(1, clipped(why));
            bindRowInBothParts(ps, 2, row, afterId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("discard the later changes of a row in", e);
        }
    }

    /** As {@link #markDiscardedOn}, in a transaction of its own. */
    public int markDiscarded(List<Long> ids, java.util.Set<ChangeStatus> from) {
        int[] n = {0};
        inTransaction(c -> n[0] = markDiscardedOn(c, ids, null, from));
        return n[0];
    }

    /**
     * Makes DEAD, FAILED and CONFLICT changes due now with their attempts reset; a CONFLICT one is marked to overwrite
     * the remote row as it finds it ({@link LoggedChange#OVERWRITE}).
     *
     * @return how many were moved
     */
    public int retry(long... ids) {
        int[] n = {0};
        inTransaction(c -> {
            // the error stays (never null: the row stays in the index of rows with an error, below the floor)
            try (PreparedStatement ps = c.prepareStatement("update dbc_sync_log set base_state = case when status = " + CONFLICT
                    + " then ? else base_state end, status = " + PENDING + ", attempts = 0, next_attempt_at = null,"
                    + " last_error = coalesce(last_error, 'retried') where id = ? and status in (" + DEAD + ", " + FAILED + ", "
                    + CONFLICT + ")")) {
                for (long id : ids) {
                    ps.setString(1, LoggedChange.OVERWRITE);
                    ps.setLong(2, id);
                    n[0] += ps.executeUpdate();
                }
            }
        });
        return n[0];
    }

    /**
     * Deletes SYNCED rows older than {@code cutoff}, {@code batch} at a time, in rowid order; on SQLite only those below
     * the floor (the ones above it, if any, go in a later purge). @return rows deleted
     */
    public long purge(Instant cutoff, int batch) {
        long total = 0;
        long below = floorKept ? floor() : Long.MAX_VALUE;
        while (true) {
            int[] n = {0};
            inTransaction(c -> {
                // the newest SYNCED row stays: it tells when a change last reached the remote (and the highest id never
                // goes, so no id is handed out twice)
                try (PreparedStatement ps = c.prepareStatement("delete from dbc_sync_log where id in (select id from dbc_sync_log"
                        + " where id < ? and status = " + SYNCED + " and synced_at < ? and id <> (select max(id) from dbc_sync_log"
                        + " where id < ? and status = " + SYNCED + ") and id <> (select max(id) from dbc_sync_log)"
                        + " order by id limit ?)")) {
                    ps.setLong(1, below);
                    ps.setTimestamp(2, Timestamp.from(cutoff), utc());
                    ps.setLong(3, below);
                    ps.setInt(4, batch);
                    n[0] = ps.executeUpdate();
                }
            });
            total += n[0];
            if (n[0] < batch) {
                return total;
            }
        }
    }

    /** @return the number of PENDING, FAILED, DEAD and CONFLICT rows, in one statement (the fresh ones from the floor up) */
    public Map<ChangeStatus, Long> counts() {
        Map<ChangeStatus, Long> out = new EnumMap<>(ChangeStatus.class);
        for (ChangeStatus s : List.of(ChangeStatus.PENDING, ChangeStatus.FAILED, ChangeStatus.DEAD, ChangeStatus.CONFLICT)) {
            out.put(s, 0L);
        }
        try (Connection c = local.getConnection();
             PreparedStatement ps = c.prepareStatement(countsSql());
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(ChangeStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw failure("count the rows of", e);
        }
    }

    public Instant lastSyncedAt() {
        // read once per engine (it then keeps the time itself); exact, so over every retained SYNCED row
        return single("select max(synced_at) from dbc_sync_log where status = " + SYNCED, rs -> {
            Timestamp t = rs.getTimestamp(1, utc());
            return t == null ? null : t.toInstant();
        }, null);
    }

    /** @return createdAt of the oldest PENDING or FAILED change (the first fresh one, or the lowest with an error), or null */
    public Instant oldestPendingAt() {
        return single("select created_at from dbc_sync_log where id = (select min(m) from ("
                + "select min(id) as m from dbc_sync_log where id > " + freshAfter("0") + " and " + FRESH
                + " union all select min(id) from dbc_sync_log where " + WITH_ERROR + " and status = " + PENDING
                + " union all select min(id) from dbc_sync_log where " + WITH_ERROR + " and status = " + FAILED + "))", rs -> {
            Timestamp t = rs.getTimestamp(1, utc());
            return t == null ? null : t.toInstant();
        }, null);
    }

    public String lastError() {
        return single("select last_error from dbc_sync_log where status in (" + FAILED + ", " + DEAD + ", " + CONFLICT + ")"
                + " and last_error is not null"
                + " order by id desc limit 1", rs -> rs.getString(1), null);
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private List<LoggedChange> query(String sql, Binder binder) {
        try (Connection c = local.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<LoggedChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                Calendar utc = utc(); // one for the page: only read, never kept
                // sqlite-jdbc hands out a text column's bytes for less than the text itself (one JNI array copy, where
                // getString wraps SQLite's memory in a direct buffer first); they are the text in the database's own
                // encoding, so they are read so only where that is UTF-8, and decoded here
                boolean sqlite = rs.isWrapperFor(org.sqlite.jdbc3.JDBC3ResultSet.class) && utf8Database(c);
                while (rs.next()) {
                    int kind = rs.getInt(11);
                    ChangeStatus status = ChangeStatus.PENDING;
                    int attempts = 0;
                    Instant next = null;
                    if (kind != AS_NEW) { // else all three are as the capture wrote them: the read's condition says so
                        status = ChangeStatus.valueOf(rs.getString(7));
                        attempts = rs.getInt(8);
                        Timestamp at = rs.getTimestamp(9, utc);
                        next = at == null ? null : at.toInstant();
                    }
                    out.add(new LoggedChange(rs.getLong(1), text(rs, 2, sqlite), text(rs, 3, sqlite), text(rs, 4, sqlite),
                            ChangeOperation.valueOf(text(rs, 5, sqlite)), text(rs, 6, sqlite), status, attempts, next,
                            text(rs, 10, sqlite), null, kind != 0));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * @return whether the SQLite database stores its text as UTF-8 (the default; {@code pragma encoding} can make a new
     *     file UTF-16, whose text a column's bytes would give in that encoding). Asked at every read, not once: a file
     *     restored in place from a backup ({@code restore from}) takes the backup's encoding. The question costs a
     *     few microseconds against a page's milliseconds.
     */
    private static boolean utf8Database(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("pragma encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    /** @return a text column's value: on a UTF-8 SQLite database read as its bytes ({@code sqlite}), else as text */
    private static String text(ResultSet rs, int column, boolean sqlite) throws SQLException {
        if (!sqlite) {
            return rs.getString(column);
        }
        byte[] utf8 = rs.getBytes(column);
        return utf8 == null ? null : new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    private <T> T single(String sql, Reader<T> reader, T fallback) {
        try (Connection c = local.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? reader.read(rs) : fallback;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    private void inTransaction(Work work) {
        try (Connection c = local.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /**
     * How a failed change is retried.
     */
    public interface Backoff {
        /** @return true if a change that failed this many times is DEAD */
        boolean isDead(int attempts);

        /** @return when a change that failed this many times is due again */
        Instant nextAttempt(Instant now, int attempts);
    }

    /**
     * A SYNCED row of a remote-only entity keeps no payload (its data does not stay on the local disk).
     *
     * @return the SET clause part that drops those payloads, or an empty string
     */
    private static String dropPayload(java.util.Set<String> entities) {
        StringBuilder names = new StringBuilder();
        for (String name : entities) {
            if (name.matches("[A-Za-z_$][A-Za-z0-9_$.]*")) { // a JPA entity name is a Java identifier
                names.append(names.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
            }
        }
        return names.length() == 0 ? "" : ", payload = case when entity_name in (" + names + ") then null else payload end";
    }

    /** @return true if {@code ids} are more than one and each is one more than the one before it */
    static boolean isRun(List<Long> ids) {
        if (ids.size() < 2) {
            return false;
        }
        long first = ids.get(0);
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) != first + i) {
                return false;
            }
        }
        return true;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static CompositeException failure(String what, SQLException e) {
        return new CompositeException("Cannot " + what + " the sync log (dbc_sync_log): " + e.getMessage(), e);
    }
}
