package io.dbcomposite.internal.routing;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import io.dbcomposite.internal.capture.CaptureMode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the contract's semantics table, as the resolved plan alone says it (no database). */
class RoutingPlanTest {

    private static RoutingPlan plan(Read read, Write write, Sync sync, OnRemoteFail fail) {
        return RoutingPlan.of(Routing.builder().read(read).write(write).sync(sync).onRemoteFail(fail).build());
    }

    @Test
    void write_local_sync_background_commits_locally_with_its_log_rows() {
        for (OnRemoteFail fail : new OnRemoteFail[] {OnRemoteFail.QUEUE, OnRemoteFail.FAIL}) {
            RoutingPlan p = plan(Read.LOCAL, Write.LOCAL, Sync.BACKGROUND, fail);
            assertThat(p.writeTargets()).containsExactly(Side.LOCAL);
            assertThat(p.capture()).isEqualTo(CaptureMode.ALWAYS);
            assertThat(p.remoteBeforeLocal()).isFalse();
            assertThat(p.failsOnRemoteError()).as("nothing visible to the caller when the remote is down").isFalse();
            assertThat(p.bulkSide()).as("a bulk statement would skip the log").isNull();
            assertThat(p.home()).isEqualTo(Side.LOCAL);
        }
    }

    @Test
    void write_local_sync_none_is_local_only_and_logs_nothing() {
        RoutingPlan p = plan(Read.LOCAL, Write.LOCAL, Sync.NONE, OnRemoteFail.QUEUE);
        assertThat(p.writeTargets()).containsExactly(Side.LOCAL);
        assertThat(p.capture()).isEqualTo(CaptureMode.NEVER);
        assertThat(p.bulkSide()).isEqualTo(Side.LOCAL);
        assertThat(p.writesRemote()).isFalse();
    }

    @Test
    void write_remote_queue_writes_the_remote_first_and_logs_only_when_it_fails() {
        RoutingPlan writeThrough = plan(Read.LOCAL, Write.REMOTE, Sync.BACKGROUND, OnRemoteFail.QUEUE);
        assertThat(writeThrough.writeTargets()).isEqualTo(Set.of(Side.LOCAL, Side.REMOTE));
        assertThat(writeThrough.capture()).isEqualTo(CaptureMode.WHEN_QUEUED);
        assertThat(writeThrough.remoteBeforeLocal()).isTrue();
        assertThat(writeThrough.failsOnRemoteError()).isFalse();
        assertThat(writeThrough.heldUntilCommit()).isFalse();

        RoutingPlan remoteOnly = plan(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.QUEUE);
        assertThat(remoteOnly.writeTargets()).containsExactly(Side.REMOTE);
        assertThat(remoteOnly.heldUntilCommit()).as("held locally so a lost remote cannot lose it").isTrue();
        assertThat(remoteOnly.home()).isEqualTo(Side.LOCAL);
        assertThat(remoteOnly.readSide()).isEqualTo(Side.REMOTE);
        assertThat(remoteOnly.bulkSide()).isEqualTo(Side.REMOTE);
    }

    @Test
    void write_remote_fail_writes_the_remote_first_and_fails_the_caller() {
        RoutingPlan p = plan(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.FAIL);
        assertThat(p.writeTargets()).containsExactly(Side.REMOTE);
        assertThat(p.remoteBeforeLocal()).isTrue();
        assertThat(p.failsOnRemoteError()).isTrue();
        assertThat(p.capture()).isEqualTo(CaptureMode.NEVER);
        assertThat(p.home()).isEqualTo(Side.REMOTE);
        assertThat(p.heldUntilCommit()).isFalse();
    }

    @Test
    void dual_queue_commits_locally_first_and_logs_its_rows() {
        RoutingPlan p = plan(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.QUEUE);
        assertThat(p.writeTargets()).isEqualTo(Set.of(Side.LOCAL, Side.REMOTE));
        assertThat(p.remoteBeforeLocal()).isFalse();
        assertThat(p.failsOnRemoteError()).isFalse();
        assertThat(p.capture()).isEqualTo(CaptureMode.ALWAYS);
        assertThat(p.bulkSide()).isNull();
    }

    @Test
    void dual_fail_commits_the_remote_first_and_logs_nothing() {
        RoutingPlan p = plan(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.FAIL);
        assertThat(p.writeTargets()).isEqualTo(Set.of(Side.LOCAL, Side.REMOTE));
        assertThat(p.remoteBeforeLocal()).isTrue();
        assertThat(p.failsOnRemoteError()).isTrue();
        assertThat(p.capture()).isEqualTo(CaptureMode.NEVER);
        assertThat(p.bulkSide()).isNull();
    }

    @Test
    void the_sync_log_is_local_only_and_never_captured() {
        assertThat(RoutingPlan.SYNC_LOG.writeTargets()).containsExactly(Side.LOCAL);
        assertThat(RoutingPlan.SYNC_LOG.capture()).isEqualTo(CaptureMode.NEVER);
    }
}
