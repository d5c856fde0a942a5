package io.dbcomposite.internal.routing;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import io.dbcomposite.internal.capture.CaptureMode;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything the unit does with one entity, decided once from its resolved {@link Routing}: the listeners, the
 * transaction, the query router and the entity manager read it and never re-derive the policy. Every row of the
 * contract's semantics table is a plan (see {@code RoutingPlanTest}).
 *
 * @param routing the resolved routing
 * @param readSide where finds, queries and lazy loads go
 * @param writeTargets the sides every write must reach (unmodifiable)
 * @param home the session a new or detached instance joins ({@code persist}, {@code merge})
 * @param capture whether and when its local writes go to the sync log
 * @param heldUntilCommit its writes never run as SQL of a session: they are recorded and applied to the remote at
 *        commit, or logged locally if the remote fails ({@code read=REMOTE, write=REMOTE, onRemoteFail=QUEUE})
 * @param remoteBeforeLocal at commit, the remote is written and committed before the local commit (every write that
 *        reaches the remote but {@code DUAL+QUEUE}, which commits locally first and applies to the remote after)
 * @param failsOnRemoteError a remote failure fails the caller's commit with nothing written anywhere
 * @param bulkSide where a bulk JPQL update/delete runs, or null if one would skip a write target or the sync log
 */
record RoutingPlan(Routing routing, Side readSide, Set<Side> writeTargets, Side home, CaptureMode capture,
                   boolean heldUntilCommit, boolean remoteBeforeLocal, boolean failsOnRemoteError, Side bulkSide) {

    private static final Set<Side> LOCAL_ONLY = Collections.unmodifiableSet(EnumSet.of(Side.LOCAL));
    private static final Set<Side> REMOTE_ONLY = Collections.unmodifiableSet(EnumSet.of(Side.REMOTE));
    private static final Set<Side> BOTH = Collections.unmodifiableSet(EnumSet.of(Side.LOCAL, Side.REMOTE));

    /** @param r a fully resolved routing (no DEFAULT attribute) @return its plan */
    static RoutingPlan of(Routing r) {
        Side read = r.read() == Read.REMOTE ? Side.REMOTE : Side.LOCAL;
        Set<Side> targets = switch (r.write()) {
            case REMOTE -> r.read() == Read.LOCAL ? BOTH : REMOTE_ONLY; // read=LOCAL keeps a write-through copy
            case DUAL -> BOTH;
            default -> LOCAL_ONLY;
        };
        boolean held = r.read() == Read.REMOTE && r.write() == Write.REMOTE && r.onRemoteFail() == OnRemoteFail.QUEUE;
        Side home = r.read() == Read.REMOTE && r.write() != Write.LOCAL && !held ? Side.REMOTE : Side.LOCAL;
        boolean writesRemote = targets.contains(Side.REMOTE);
        boolean remoteFirst = writesRemote && !(r.write() == Write.DUAL && r.onRemoteFail() == OnRemoteFail.QUEUE);
        boolean fails = writesRemote && r.onRemoteFail() == OnRemoteFail.FAIL;
        Side bulk = r.write() == Write.LOCAL && r.sync() == Sync.NONE ? Side.LOCAL
                : r.write() == Write.REMOTE && r.read() == Read.REMOTE ? Side.REMOTE : null;
        return new RoutingPlan(r, read, targets, home, captureOf(r), held, remoteFirst, fails, bulk);
    }

    private static CaptureMode captureOf(Routing r) {
        if (r.write() == Write.LOCAL) {
            return r.sync() == Sync.BACKGROUND ? CaptureMode.ALWAYS : CaptureMode.NEVER;
        }
        if (r.onRemoteFail() == OnRemoteFail.FAIL) {
            return CaptureMode.NEVER;
        }
        if (r.write() == Write.DUAL) {
            return CaptureMode.ALWAYS;
        }
        // write=REMOTE, QUEUE: the local copy (read=LOCAL) or the held write (read=REMOTE) is logged if the remote fails
        return r.read() == Read.LOCAL ? CaptureMode.WHEN_QUEUED : CaptureMode.NEVER;
    }

    /** @return true if writes of this entity reach the remote in the caller's transaction */
    boolean writesRemote() {
        return writeTargets.contains(Side.REMOTE);
    }

    /** The sync log itself: local only, never captured. */
    static final RoutingPlan SYNC_LOG = of(Routing.builder().read(Read.LOCAL).write(Write.LOCAL).sync(Sync.NONE)
            .onRemoteFail(OnRemoteFail.QUEUE).build());
}
