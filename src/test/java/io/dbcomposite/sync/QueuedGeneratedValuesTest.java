package io.dbcomposite.sync;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.SyncResult;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remote write queued locally while the remote is down ({@code write=REMOTE, onRemoteFail=QUEUE}) carries the values
 * the application's in-memory generators gave it when it was written, and the replay after the outage writes those:
 * not null, not the time of the replay.
 */
class QueuedGeneratedValuesTest extends CompositeTestBase {

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.entities(GeneratedTimestampsReplayTest.HeldStamped.class);
    }

    @Test
    void a_write_queued_during_an_outage_replays_with_the_values_generated_when_it_was_written() {
        GeneratedTimestampsReplayTest.HeldStamped held = new GeneratedTimestampsReplayTest.HeldStamped();
        proxy.cut();
        GeneratedTimestampsReplayTest.CURRENT_USER.set("erin");
        try {
            inTransaction(em -> {
                held.name = "queued";
                em.persist(held);
            });
        } finally {
            GeneratedTimestampsReplayTest.CURRENT_USER.remove();
        }
        assertThat(held.createdAt).as("the instance's creation time").isNotNull();
        assertThat(held.modifiedBy).isEqualTo("erin");
        assertThat(emf.getSyncStatus().pendingChanges()).isEqualTo(1);

        restoreNetwork();
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.applied()).isEqualTo(1);
        try (Session s = emf.remoteFactory().openSession()) {
            GeneratedTimestampsReplayTest.HeldStamped remote = s.find(GeneratedTimestampsReplayTest.HeldStamped.class, held.id);
            assertThat(remote.name).isEqualTo("queued");
            assertThat(remote.modifiedBy).as("the user of the write, not the replay's").isEqualTo("erin");
            // the time of the write, to the microsecond the remote keeps, not the time of the replay
            assertThat(Duration.between(held.createdAt, remote.createdAt).abs()).isLessThan(Duration.ofNanos(1_000));
            assertThat(Duration.between(held.updatedAt, remote.updatedAt).abs()).isLessThan(Duration.ofNanos(1_000));
            assertThat(remote.createdAt).isBefore(Instant.now());
        }
    }
}
