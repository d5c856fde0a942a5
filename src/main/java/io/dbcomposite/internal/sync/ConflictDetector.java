package io.dbcomposite.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.dbcomposite.ChangeOperation;
import io.dbcomposite.ConflictResolver;
import io.dbcomposite.OnConflict;
import io.dbcomposite.internal.apply.RowRef;
import io.dbcomposite.internal.capture.SnapshotCodec;
import io.dbcomposite.internal.log.LoggedChange;
import org.hibernate.LockMode;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells, before a batch writes anything, which of its changes find the remote row in the state they were based on
 * (contract, "Conflicts"): none for an insert; for an update or a delete, the state its transaction first found the
 * row in (the {@code @Version} value where the entity has one, the row's own column values where it has none). The rows
 * of the batch's updates and deletes are read once, one locking query per entity and batch ({@code select ... for
 * update}), never one per change; an insert is not read in a batch (its plain insert fails on a row already there, and
 * the batch is then decided again with every row read). The batch is then walked in order over those states, each
 * change moving its row's state on, so a row changed twice in one batch is checked against its own earlier change.
 *
 * <p>A row that does not match is not a conflict when it already holds this change or a later change of this unit
 * (the same state, version included): a batch replayed again after a crash before its marks. Otherwise the
 * {@link ConflictResolver}, then the entity's policy, decides. A transaction with a conflict left to FAIL is held
 * whole (nothing of it is written), and so is every later transaction of the batch that touches one of its rows.
 */
final class ConflictDetector {

    /** What a change's write does. */
    enum Action {
        /** The remote row is as the change expects (or a versioned insert's row was not read and is taken to be missing). */
        WRITE,
        /** The remote row is not as expected and the change overwrites it (LOCAL_WINS, a retried conflict). */
        FORCE,
        /** Nothing to write: the row already holds it, a delete of a missing row, or REMOTE_WINS. */
        SKIP
    }

    /**
     * @param action what to write
     * @param known whether the remote row was read
     * @param present whether it exists (if read)
     */
    record Decision(Action action, boolean known, boolean present) {
        static final Decision ASSUMED_MISSING = new Decision(Action.WRITE, false, false);
    }

    /**
     * One conflict and how it was settled.
     *
     * @param change the change
     * @param remoteState the remote row as found, JSON by property name, or null if there is none
     * @param resolution FAIL, LOCAL_WINS or REMOTE_WINS
     * @param reason what was expected and what was found, for the log and {@code lastError}
     */
    record Conflict(LoggedChange change, String remoteState, OnConflict resolution, String reason) {
    }

    /** The decisions for one batch. */
    static final class Plan {
        private final Map<LoggedChange, Decision> decisions = new IdentityHashMap<>();
        final List<Conflict> conflicts = new ArrayList<>();
        /** Transactions not written at all: one with a conflict left to FAIL, and those behind its rows. */
        final Set<String> heldTxIds = new LinkedHashSet<>();

        Decision of(LoggedChange change) {
            Decision d = decisions.get(change);
            return d != null ? d : Decision.ASSUMED_MISSING;
        }

        boolean writesNothingSpecial() {
            return conflicts.isEmpty() && heldTxIds.isEmpty();
        }
    }

    /** Later logged changes of a row (after a given log id), for telling "already ours" from a conflict. */
    interface LaterChanges {
        List<LoggedChange> of(LoggedChange.RowKey row, long afterId);
    }

    /** A remote row's state: absent, or present with its persister and JSON state. */
    private record RowState(boolean known, EntityPersister persister, JsonNode json, String text, Object entity) {
        static final RowState UNREAD = new RowState(false, null, null, null, null);
        static final RowState MISSING = new RowState(true, null, null, null, null);

        /**
         * @return the row as JSON with its owned collections (read again now, for a conflict only), or null if there is
         *     none; without them if they cannot be read
         */
        String fullText(StatelessSession session) {
            if (entity == null || !persister.hasCollections()) {
                return text;
            }
            SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
            Object fresh = session.get(persister.getEntityName(), persister.getIdentifier(entity, s));
            return fresh == null ? text : SnapshotCodec.encodeLoaded(session, persister, fresh);
        }

        boolean present() {
            return json != null;
        }
    }

    private final Function<String, EntityPersister> persisters;
    private final Function<LoggedChange, RowRef> rows;
    private final Function<String, OnConflict> policies;
    private final ConflictResolver resolver;
    private final LaterChanges later;

    /**
     * @param persisters the remote persister of a JPA entity name
     * @param rows the row a change is of
     * @param policies the resolved {@code onConflict} of a JPA entity name
     * @param resolver the unit's resolver, or null
     * @param later the log's later changes of a row
     */
    ConflictDetector(Function<String, EntityPersister> persisters, Function<LoggedChange, RowRef> rows,
                     Function<String, OnConflict> policies, ConflictResolver resolver, LaterChanges later) {
        this.persisters = persisters;
        this.rows = rows;
        this.policies = policies;
        this.resolver = resolver;
        this.later = later;
    }

    /**
     * Reads the rows the changes need and decides every change.
     *
     * @param readInserts whether the rows of every insert are read (false in a batch: the upsert of an insert of an
     *        entity with a counted version is guarded by it and fails on a row already there, and the batch is then
     *        decided again with every row read; the inserts of other entities are read either way)
     * @param heldInserts rows whose insert a conflict in the log holds: a transaction referring to one is held too
     * @param references the rows a change refers to (looked at only while some insert is held), or null
     * @param settle whether conflicts are settled here by resolver and policy (the engine); false for a commit's remote
     *        step, where any conflict is left to the engine: {@link #decide} then throws
     */
    Plan decide(StatelessSession session, List<LoggedChange> changes, boolean readInserts, boolean settle,
                Set<RowRef> heldInserts, Function<LoggedChange, Set<RowRef>> references) {
        Plan plan = new Plan();
        Map<RowRef, RowState> current = read(session, changes, readInserts);
        if (current.isEmpty() && heldInserts.isEmpty()) {
            return plan; // only inserts, taken to find no row: the batch's plain inserts tell otherwise
        }
        Set<RowRef> heldRows = new HashSet<>();
        // rows whose insert is held (by a conflict in the log, or with a transaction held here): a transaction that
        // refers to one waits too, else its row would point at whatever the remote holds under that id (another
        // store's row with the same IDENTITY id)
        Held held = new Held(new HashSet<>(heldInserts), references);
        Map<RowRef, LoggedChange> remoteWon = new HashMap<>();
        int i = 0;
        while (i < changes.size()) {
            String txId = changes.get(i).txId();
            int end = i;
            while (end < changes.size() && changes.get(end).txId().equals(txId)) {
                end++;
            }
            decideTransaction(session, changes, i, end, current, heldRows, remoteWon, held, plan, settle);
            i = end;
        }
        return plan;
    }

    /**
     * @param remoteWon rows whose change gave way to the remote earlier in the batch: every later change of such a row
     *        was made on top of the local state the remote replaced, so it gives way too (a version counted on both
     *        sides could otherwise match it by chance)
     */
    private void decideTransaction(StatelessSession session, List<LoggedChange> changes, int from, int to,
                                   Map<RowRef, RowState> current, Set<RowRef> heldRows, Map<RowRef, LoggedChange> remoteWon,
                                   Held held, Plan plan, boolean settle) {
        String txId = changes.get(from).txId();
        Set<RowRef> touched = new LinkedHashSet<>();
        for (int k = from; k < to; k++) {
            touched.add(rows.apply(changes.get(k)));
        }
        boolean behindHeld = false;
        for (RowRef r : touched) {
            if (heldRows.contains(r)) {
                behindHeld = true;
                break;
            }
        }
        if (!behindHeld && !held.inserts().isEmpty() && held.references() != null) {
            for (int k = from; k < to && !behindHeld; k++) {
                for (RowRef ref : held.references().apply(changes.get(k))) {
                    if (held.inserts().contains(ref)) {
                        behindHeld = true;
                        break;
                    }
                }
            }
        }
        if (behindHeld) {
            hold(changes, from, to, txId, touched, heldRows, held, plan);
            return;
        }
        Map<RowRef, RowState> moved = new HashMap<>();
        Map<RowRef, LoggedChange> wonHere = new HashMap<>();
        Map<LoggedChange, Decision> decided = new IdentityHashMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (int k = from; k < to; k++) {
            LoggedChange c = changes.get(k);
            RowRef r = rows.apply(c);
            RowState cur = moved.containsKey(r) ? moved.get(r) : current.getOrDefault(r, RowState.UNREAD);
            EntityPersister p = persisters.apply(c.entityName());
            LoggedChange gaveWay = wonHere.containsKey(r) ? wonHere.get(r) : remoteWon.get(r);
            if (gaveWay != null && settle) {
                String reason = "the " + c.operation() + " of " + c.entityName() + "#" + c.entityId() + " was made on top of"
                        + " the local state that gave way to the remote with change #" + gaveWay.id();
                conflicts.add(new Conflict(c, cur.fullText(session), OnConflict.REMOTE_WINS, reason));
                decided.put(c, new Decision(Action.SKIP, cur.known(), cur.present()));
                continue;
            }
            String mismatch = LoggedChange.OVERWRITE.equals(c.base()) ? null : mismatch(c, p, cur);
            Action action;
            LoggedChange ours;
            if (LoggedChange.OVERWRITE.equals(c.base())) {
                action = Action.FORCE;
            } else if (mismatch == null) {
                action = c.operation() == ChangeOperation.DELETE && cur.known() && !cur.present() ? Action.SKIP : Action.WRITE;
            } else if ((ours = alreadyOurs(c, p, cur, changes, k)) != null) {
                // the row's columns are as the log has them; rows of its own collection tables were not read, so where it
                // owns some and holds this very change (no later one of the row, which would hold newer collections),
                // it is written again: after a replay whose SYNCED mark was lost this changes nothing, and over another
                // writer's row with the same columns it writes the collections the local row holds
                action = ours == c && c.operation() != ChangeOperation.DELETE && ownsCollectionRows(p)
                        && !changedLater(c, changes, k) ? Action.FORCE : Action.SKIP;
            } else {
                if (!settle) {
                    throw new ConflictFound(c, mismatch);
                }
                String remoteState = cur.fullText(session);
                OnConflict resolution = resolve(c, remoteState);
                conflicts.add(new Conflict(c, remoteState, resolution, mismatch));
                if (resolution == OnConflict.FAIL) {
                    plan.conflicts.add(new Conflict(c, remoteState, resolution, mismatch));
                    hold(changes, from, to, txId, touched, heldRows, held, plan);
                    return; // nothing of this transaction is written; its other settled conflicts wait with it
                }
                action = resolution == OnConflict.LOCAL_WINS ? Action.FORCE : Action.SKIP;
                if (resolution == OnConflict.REMOTE_WINS) {
                    wonHere.put(r, c);
                }
            }
            decided.put(c, new Decision(action, cur.known(), cur.present()));
            if (action != Action.SKIP) {
                moved.put(r, after(c, p)); // a change skipped leaves the row as found (already on, or kept by the remote)
            }
        }
        plan.decisions.putAll(decided);
        plan.conflicts.addAll(conflicts);
        current.putAll(moved);
        wonHere.forEach(remoteWon::putIfAbsent);
    }

    /**
     * The rows whose insert is held (growing as transactions are held) and how to find a change's references.
     *
     * @param inserts rows whose insert is held
     * @param references the rows a change refers to, or null to look at none
     */
    private record Held(Set<RowRef> inserts, Function<LoggedChange, Set<RowRef>> references) {
    }

    private void hold(List<LoggedChange> changes, int from, int to, String txId, Set<RowRef> touched, Set<RowRef> heldRows,
                      Held held, Plan plan) {
        plan.heldTxIds.add(txId);
        heldRows.addAll(touched);
        for (int k = from; k < to; k++) {
            if (changes.get(k).operation() == ChangeOperation.INSERT) {
                held.inserts().add(rows.apply(changes.get(k)));
            }
        }
    }

    /** @return the row's state once the change is written */
    private static RowState after(LoggedChange c, EntityPersister p) {
        if (c.operation() == ChangeOperation.DELETE) {
            return RowState.MISSING;
        }
        JsonNode json = SnapshotCodec.tree(c.payload());
        return json == null ? RowState.MISSING : new RowState(true, p, json, c.payload(), null);
    }

    private OnConflict resolve(LoggedChange c, String remoteState) {
        OnConflict policy = policies.apply(c.entityName());
        if (policy == null || policy == OnConflict.DEFAULT) {
            policy = OnConflict.FAIL;
        }
        if (resolver != null) {
            OnConflict chosen = resolver.resolve(new ConflictResolver.Conflict(c.id(), c.entityName(), c.entityId(),
                    c.operation(), c.payload(), c.base(), remoteState, policy));
            if (chosen != null && chosen != OnConflict.DEFAULT) {
                return chosen;
            }
        }
        return policy;
    }

    /** @return why the row is not in the state the change expects, or null if it is */
    private static String mismatch(LoggedChange c, EntityPersister p, RowState cur) {
        String what = "the " + c.operation() + " of " + c.entityName() + "#" + c.entityId();
        if (c.operation() == ChangeOperation.INSERT) {
            return cur.present() ? what + " expected no remote row, but the remote has one: " + cur.text() : null;
        }
        if (!cur.known()) {
            return null;
        }
        if (!cur.present()) {
            return c.operation() == ChangeOperation.DELETE ? null
                    : what + " expected the remote row it was based on, but the remote row was deleted";
        }
        if (cur.persister() != null && !cur.persister().getEntityName().equals(p.getEntityName())) {
            return what + " expected a row of " + p.getJpaEntityName() + ", but the remote row is a "
                    + cur.persister().getJpaEntityName();
        }
        JsonNode base = SnapshotCodec.tree(c.base());
        if (p.isVersioned()) {
            String versionName = p.getPropertyNames()[p.getVersionPropertyIndex()];
            JsonNode expected = base != null ? base.get(versionName) : previousVersion(c, versionName);
            JsonNode found = cur.json().get(versionName);
            if (expected == null || sameValue(expected, found)) {
                return null;
            }
            return what + " was based on version " + expected + ", but the remote row holds version " + found;
        }
        if (base == null) {
            return null; // the session did not have the row's earlier state: nothing to check against
        }
        String differs = firstDifference(p, base, cur.json());
        return differs == null ? null : what + " was based on values the remote row no longer holds (" + differs + ")";
    }

    /** @return the version before a counted update's own, from its payload; null where it cannot be worked out */
    private static JsonNode previousVersion(LoggedChange c, String versionName) {
        if (c.operation() != ChangeOperation.UPDATE) {
            return null;
        }
        JsonNode payload = SnapshotCodec.tree(c.payload());
        JsonNode v = payload == null ? null : payload.get(versionName);
        if (v == null || !v.isIntegralNumber()) {
            return null;
        }
        return com.fasterxml.jackson.databind.node.LongNode.valueOf(v.asLong() - 1);
    }

    /** @return whether a change of the row follows this one, in the batch or further on in the log */
    private boolean changedLater(LoggedChange c, List<LoggedChange> changes, int at) {
        return !sameRowAfter(c, changes, at).isEmpty() || c.id() > 0 && later != null && !later.of(c.row(), c.id()).isEmpty();
    }

    /** @return the changes of the row of the change at {@code at} that follow it in the batch, in order */
    private List<LoggedChange> sameRowAfter(LoggedChange c, List<LoggedChange> changes, int at) {
        RowRef r = rows.apply(c);
        List<LoggedChange> out = new ArrayList<>();
        for (int k = at + 1; k < changes.size(); k++) {
            if (rows.apply(changes.get(k)).equals(r)) {
                out.add(changes.get(k));
            }
        }
        return out;
    }

    /** Entity names whose rows own rows of collection tables (element collections, join tables), learned per name. */
    private final Map<String, Boolean> ownsCollectionRows = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean ownsCollectionRows(EntityPersister p) {
        return ownsCollectionRows.computeIfAbsent(p.getEntityName(), name -> {
            for (Type type : p.getPropertyTypes()) {
                if (type instanceof org.hibernate.type.CollectionType collection) {
                    var cp = p.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole());
                    if (!cp.isInverse() && !cp.isOneToMany()) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    /**
     * @return the change the row already holds: this one or a later change of its row (in this batch, or further on in
     *     the log), this unit's own changes replayed again after a crash; null if none
     */
    private LoggedChange alreadyOurs(LoggedChange c, EntityPersister p, RowState cur, List<LoggedChange> changes, int at) {
        if (!cur.known()) {
            return null;
        }
        List<LoggedChange> candidates = new ArrayList<>();
        candidates.add(c);
        candidates.addAll(sameRowAfter(c, changes, at));
        long lastInBatch = c.id();
        for (LoggedChange next : candidates) {
            lastInBatch = Math.max(lastInBatch, next.id());
        }
        LoggedChange found = holdsOneOf(p, cur, candidates);
        if (found != null) {
            return found;
        }
        if (c.id() <= 0 || later == null) {
            return null; // a change not logged yet (a commit's own): only its own batch counts
        }
        return holdsOneOf(p, cur, later.of(c.row(), lastInBatch));
    }

    private static LoggedChange holdsOneOf(EntityPersister p, RowState cur, List<LoggedChange> candidates) {
        for (LoggedChange candidate : candidates) {
            if (candidate.operation() == ChangeOperation.DELETE) {
                if (!cur.present()) {
                    return candidate;
                }
                continue;
            }
            if (cur.present() && candidate.payload() != null) {
                JsonNode state = SnapshotCodec.tree(candidate.payload());
                if (state != null && firstDifference(p, state, cur.json()) == null) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * @return the first column-backed, non-collection property whose values differ ({@code name: expected -> found}),
     *     or null if none does; a property missing from either state (a payload older than the mapping) is not compared
     */
    static String firstDifference(EntityPersister p, JsonNode expected, JsonNode found) {
        String[] names = p.getPropertyNames();
        Type[] types = p.getPropertyTypes();
        boolean[] insertable = p.getPropertyInsertability();
        boolean[] updatable = p.getPropertyUpdateability();
        for (int i = 0; i < names.length; i++) {
            if (types[i].isCollectionType() || !(insertable[i] || updatable[i]) || isCalendar(types[i])) {
                continue;
            }
            JsonNode a = expected.get(names[i]);
            JsonNode b = found.get(names[i]);
            if (a == null || b == null) {
                continue;
            }
            if (a.isNull() && types[i] instanceof org.hibernate.type.ManyToOneType toOne && toOne.isNullable()) {
                // @NotFound(IGNORE): Hibernate loads a key whose row is gone as null, so a null the change was based on
                // may stand for any key; the remote's key is no conflict (it was a false one: "parent: null -> 1")
                continue;
            }
            if (types[i] instanceof org.hibernate.type.ComponentType component && a.isObject() && b.isObject()) {
                String differs = componentDifference(component, a, b);
                if (differs != null) {
                    return names[i] + "." + differs;
                }
                continue;
            }
            if (!sameValue(a, b) && !(isJson(types[i]) && sameJson(a, b))) {
                return names[i] + ": " + abbreviated(a) + " -> " + abbreviated(b);
            }
        }
        return null;
    }

    /**
     * @return the first part of an embeddable whose values differ, or null: the collections inside it are left out, as
     *     at the top level (a change's base is read from the instance, whose collections are the live ones)
     */
    private static String componentDifference(org.hibernate.type.ComponentType component, JsonNode expected, JsonNode found) {
        String[] names = component.getPropertyNames();
        Type[] types = component.getSubtypes();
        for (int j = 0; j < names.length; j++) {
            JsonNode a = expected.get(names[j]);
            JsonNode b = found.get(names[j]);
            if (types[j].isCollectionType() || isCalendar(types[j]) || a == null || b == null) {
                continue;
            }
            if (types[j] instanceof org.hibernate.type.ComponentType inner && a.isObject() && b.isObject()) {
                String differs = componentDifference(inner, a, b);
                if (differs != null) {
                    return names[j] + "." + differs;
                }
            } else if (!sameValue(a, b) && !(isJson(types[j]) && sameJson(a, b))) {
                return names[j] + ": " + abbreviated(a) + " -> " + abbreviated(b);
            }
        }
        return null;
    }

    /**
     * A {@code java.util.Calendar}'s text form carries its zone's wall time and no zone, so the same instant loaded on
     * the two sides (calendars in the JVM's zone) or kept in a change (a calendar in the zone the application gave it)
     * can have different texts: it is left out of the comparison.
     */
    private static boolean isCalendar(Type type) {
        return type instanceof org.hibernate.type.BasicType<?> basic
                && java.util.Calendar.class.isAssignableFrom(basic.getJavaTypeDescriptor().getJavaTypeClass());
    }

    /** @return whether the property's column holds JSON ({@code @JdbcTypeCode(SqlTypes.JSON)}, {@code jsonb}) */
    private static boolean isJson(Type type) {
        return type instanceof org.hibernate.type.BasicType<?> basic && basic.getJdbcType().isJson();
    }

    /**
     * A JSON column keeps a JSON value, not the text it was given: PostgreSQL's {@code jsonb} orders the keys, spaces
     * them and keeps the last of duplicate keys, MariaDB spaces them, where the local side keeps the text as written. Two
     * texts of the same JSON value are the same value (parsed; objects compared key by key whatever their order).
     */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        if (!a.isTextual() || !b.isTextual()) {
            return false;
        }
        try {
            JsonNode x = SnapshotCodec.tree(a.asText());
            JsonNode y = SnapshotCodec.tree(b.asText());
            return x != null && y != null && sameValue(x, y);
        } catch (RuntimeException notJson) {
            return false; // text a JSON column would not hold: compared as text, above
        }
    }

    private static String abbreviated(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return (a == null || a.isNull()) && (b == null || b.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.equals(b)) {
            return true;
        }
        if (a.isTextual() && b.isTextual()) {
            // a time value one side keeps to the nanosecond and the other to the microsecond (rounded half up, as the
            // local side and PostgreSQL store it) is the same value
            Long x = micros(a.asText());
            Long y = micros(b.asText());
            if (x != null) {
                return x.equals(y);
            }
            // a decimal, written with the scale of each side's column (a remote column widened to more places)
            java.math.BigDecimal p = decimal(a.asText());
            java.math.BigDecimal q = decimal(b.asText());
            return p != null && q != null && p.compareTo(q) == 0;
        }
        if (a.isObject() && b.isObject() && a.size() == b.size()) {
            // an embeddable: property by property, with the same rules
            java.util.Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!b.has(f.getKey()) || !sameValue(f.getValue(), b.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static java.math.BigDecimal decimal(String text) {
        if (text.isEmpty() || text.length() > 200 || !(Character.isDigit(text.charAt(text.length() - 1)))) {
            return null;
        }
        try {
            return new java.math.BigDecimal(text);
        } catch (NumberFormatException notADecimal) {
            return null;
        }
    }

    /** @return a date-time's text as microseconds (rounded half up) since the epoch in its own frame, or null */
    private static Long micros(String text) {
        if (text.length() < 19 || text.charAt(4) != '-' || text.charAt(13) != ':') {
            return null;
        }
        String iso = text.replace(' ', 'T');
        java.time.temporal.TemporalAccessor t;
        try {
            t = java.time.OffsetDateTime.parse(iso).toInstant();
        } catch (java.time.format.DateTimeParseException notOffset) {
            try {
                t = java.time.Instant.parse(iso);
            } catch (java.time.format.DateTimeParseException notInstant) {
                try {
                    t = java.time.LocalDateTime.parse(iso).toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException notLocal) {
                    return null;
                }
            }
        }
        java.time.Instant i = (java.time.Instant) t;
        long nanos = i.getNano();
        return i.getEpochSecond() * 1_000_000L + (nanos + 500) / 1000;
    }

    /**
     * Reads the remote rows the decisions need, locked for the rest of the remote transaction: every row with an update
     * or a delete among the changes, and with {@code readInserts} every row.
     */
    private Map<RowRef, RowState> read(StatelessSession session, List<LoggedChange> changes, boolean readInserts) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Map<String, Map<RowRef, Object>> idsByRoot = new LinkedHashMap<>();
        Set<RowRef> wanted = new HashSet<>();
        for (LoggedChange c : changes) {
            EntityPersister p = persisters.apply(c.entityName());
            if (!readInserts && c.operation() == ChangeOperation.INSERT && countsVersions(p)) {
                continue;
            }
            RowRef r = rows.apply(c);
            if (wanted.add(r)) {
                EntityPersister root = p.getFactory().getMappingMetamodel().getEntityDescriptor(p.getRootEntityName());
                idsByRoot.computeIfAbsent(root.getEntityName(), k -> new LinkedHashMap<>())
                        .put(r, SnapshotCodec.decodeId(p, c.entityId(), s));
            }
        }
        Map<RowRef, RowState> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        s.getJdbcCoordinator().executeBatch();
        for (Map.Entry<String, Map<RowRef, Object>> e : idsByRoot.entrySet()) {
            EntityPersister root = s.getFactory().getMappingMetamodel().getEntityDescriptor(e.getKey());
            List<RowRef> refs = new ArrayList<>(e.getValue().keySet());
            List<Object> ids = new ArrayList<>(e.getValue().values());
            boolean restricted = restricted(root);
            for (int from = 0; from < ids.size(); from += 500) {
                int until = Math.min(ids.size(), from + 500);
                List<?> found = load(session, root, ids.subList(from, until));
                for (int k = from; k < until; k++) {
                    Object entity = found.get(k - from);
                    if (entity == null && restricted && io.dbcomposite.internal.apply.RowApplier.exists(s, root, ids.get(k))) {
                        // there, but hidden from Hibernate's reads (@SQLRestriction, a soft-deleted row): its state is not
                        // known, so it is not checked (as before conflicts were detected), never taken for a deleted row
                        out.put(refs.get(k), RowState.UNREAD);
                        continue;
                    }
                    out.put(refs.get(k), entity == null ? RowState.MISSING : stateOf(s, entity));
                }
            }
        }
        return out;
    }

    /**
     * @return true for an entity whose upsert is guarded by a counted {@code @Version}: it matches a row only at the
     *     version before its own, so the upsert of an insert fails on a row already there and need not read it first
     */
    private static boolean countsVersions(EntityPersister p) {
        if (!p.isVersioned()) {
            return false;
        }
        Class<?> type = p.getVersionMapping().getJavaType().getJavaTypeClass();
        return type == Long.class || type == Integer.class || type == Short.class || type == long.class
                || type == int.class || type == short.class;
    }

    /** @return whether Hibernate's reads of the entity leave rows out ({@code @SQLRestriction}, {@code @SoftDelete}) */
    private static boolean restricted(EntityPersister root) {
        return root instanceof org.hibernate.persister.entity.AbstractEntityPersister aep
                && (aep.hasWhereRestrictions() || aep.getSoftDeleteMapping() != null);
    }

    /**
     * Whether {@link #load} lets Hibernate lock the rows it reads (Hibernate ORM 7.4). Hibernate ORM 7.2's locking reads
     * fail where the lock needs a secondary action, as PostgreSQL's follow-on locking of an entity read through an outer
     * join: its locking multi-load with a ClassCastException ({@code JdbcSelectWithActions} is not a
     * {@code JdbcOperationQuerySelect}), its locking get with {@code AssertionFailure: Expecting results} where an
     * optional {@code @SecondaryTable} has no row for the id. There the rows are locked by a statement of their own, and
     * then read without a lock. 7.4 too fails that way where no row of the batch has a row in the optional table: an
     * entity with one is always locked so.
     */
    private static final boolean HIBERNATE_LOCKS = io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4);

    private static List<?> load(StatelessSession session, EntityPersister root, List<Object> ids) {
        // a table-per-class hierarchy is read through a union, which PostgreSQL cannot lock ("for update")
        LockMode lock = root instanceof org.hibernate.persister.entity.UnionSubclassEntityPersister ? LockMode.NONE
                : LockMode.PESSIMISTIC_WRITE;
        if (lock != LockMode.NONE && (!HIBERNATE_LOCKS || hasOptionalTable(root, session) || toOneInEmbeddable(root, session))) {
            lockRows((SharedSessionContractImplementor) session, root, ids, lock);
            lock = LockMode.NONE;
        }
        if (root.getMappedClass() != null && root.getRepresentationStrategy().getMode()
                == org.hibernate.metamodel.RepresentationMode.POJO) {
            try {
                return session.getMultiple(root.getMappedClass(), ids, lock);
            } catch (UnsupportedOperationException notForThisMapping) {
                // Hibernate's locking multi-load does not cover every mapping (composite ids): one locking get per row
            }
        }
        List<Object> out = new ArrayList<>(ids.size());
        for (Object id : ids) {
            out.add(session.get(root.getEntityName(), id, lock));
        }
        return out;
    }

    /**
     * @return whether an entity of the hierarchy has a to-one inside an embeddable: Hibernate's locking read of such a
     *     row fails an assertion of its follow-on locking ({@code ToOneAttributeMapping.createTableGroupJoin})
     */
    private static boolean toOneInEmbeddable(EntityPersister root, StatelessSession session) {
        for (EntityPersister p : hierarchy(root, (SharedSessionContractImplementor) session)) {
            for (org.hibernate.type.Type type : p.getPropertyTypes()) {
                if (type instanceof org.hibernate.type.ComponentType component && holdsToOne(component)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsToOne(org.hibernate.type.ComponentType component) {
        for (org.hibernate.type.Type sub : component.getSubtypes()) {
            if (sub instanceof org.hibernate.type.EntityType
                    || sub instanceof org.hibernate.type.ComponentType inner && holdsToOne(inner)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether an entity of the hierarchy has an optional table (a {@code @SecondaryTable}) it writes */
    private static boolean hasOptionalTable(EntityPersister root, StatelessSession session) {
        for (EntityPersister p : hierarchy(root, (SharedSessionContractImplementor) session)) {
            if (p instanceof org.hibernate.persister.entity.AbstractEntityPersister aep) {
                for (org.hibernate.persister.entity.mutation.EntityTableMapping table : aep.getTableMappings()) {
                    if (table.isOptional() && !table.isInverse()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return the root and the persisters of its subclasses */
    private static List<EntityPersister> hierarchy(EntityPersister root, SharedSessionContractImplementor s) {
        List<EntityPersister> hierarchy = new ArrayList<>();
        hierarchy.add(root);
        for (String name : root.getSubclassEntityNames()) {
            EntityPersister p = s.getFactory().getMappingMetamodel().getEntityDescriptor(name);
            if (p != root) {
                hierarchy.add(p);
            }
        }
        return hierarchy;
    }

    /**
     * Locks the rows of the ids in every table of the hierarchy that Hibernate writes ({@code select ... for update}
     * as the dialect words it), as Hibernate's follow-on locking does; a table without a row for an id (an empty
     * optional secondary table, another subclass's table) locks nothing.
     */
    private static void lockRows(SharedSessionContractImplementor s, EntityPersister root, List<Object> ids, LockMode lock) {
        s.getJdbcCoordinator().executeBatch();
        Set<String> tables = new HashSet<>();
        List<String> statements = new ArrayList<>();
        List<Boolean> singleKey = new ArrayList<>();
        String forUpdate = s.getJdbcServices().getDialect().getForUpdateString(lock);
        for (EntityPersister p : hierarchy(root, s)) {
            if (!(p instanceof org.hibernate.persister.entity.AbstractEntityPersister aep)) {
                continue;
            }
            for (org.hibernate.persister.entity.mutation.EntityTableMapping table : aep.getTableMappings()) {
                if (table.isInverse() || !tables.add(table.getTableName())) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                table.getKeyMapping().forEachSelectable((n, key) -> keys.add(key.getSelectionExpression()));
                statements.add("select " + String.join(", ", keys) + " from " + table.getTableName() + " where "
                        + String.join(" = ? and ", keys) + " = ?" + forUpdate);
                singleKey.add(keys.size() == 1);
            }
        }
        java.sql.Connection c = s.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        for (int t = 0; t < statements.size(); t++) {
            String sql = statements.get(t);
            try {
                if (singleKey.get(t)) {
                    // a one-column key: the rows of up to LOCK_CHUNK ids a statement, not one round trip an id
                    for (int from = 0; from < ids.size(); from += LOCK_CHUNK) {
                        List<Object> chunk = ids.subList(from, Math.min(ids.size(), from + LOCK_CHUNK));
                        sql = statements.get(t).replace(" = ?" + forUpdate,
                                " in (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")" + forUpdate);
                        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                            for (int k = 0; k < chunk.size(); k++) {
                                root.getIdentifierType().nullSafeSet(ps, chunk.get(k), k + 1, s);
                            }
                            try (java.sql.ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    // the lock is taken as the row is read
                                }
                            }
                        }
                    }
                    continue;
                }
                try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Object id : ids) {
                        root.getIdentifierType().nullSafeSet(ps, id, 1, s);
                        try (java.sql.ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                // the lock is taken as the row is read
                            }
                        }
                    }
                }
            } catch (java.sql.SQLException e) {
                throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "Could not lock the rows of entity '"
                        + root.getEntityName() + "' to check them for conflicts", sql);
            }
        }
    }

    /** Ids a locking statement of {@link #lockRows} takes at most. */
    private static final int LOCK_CHUNK = 200;

    private static RowState stateOf(SharedSessionContractImplementor s, Object loaded) {
        // a row an earlier load of the same query met as a to-one comes back as that proxy
        Object entity = org.hibernate.Hibernate.unproxy(loaded);
        EntityPersister p = s.getEntityPersister(null, entity);
        String text = SnapshotCodec.encode(p, p.getValues(entity), s);
        return new RowState(true, p, SnapshotCodec.tree(text), text, entity);
    }

    /** A conflict found where it is not settled (a commit's remote step): the remote step fails with it. */
    static final class ConflictFound extends io.dbcomposite.CompositeException {
        final transient LoggedChange change;

        ConflictFound(LoggedChange change, String reason) {
            super("Conflict: " + reason + ". The remote row was left as it is; the change stays in the sync log, where the"
                    + " background sync settles it by the entity's onConflict policy");
            this.change = change;
        }
    }
}
