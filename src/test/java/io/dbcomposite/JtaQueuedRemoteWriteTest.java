package io.dbcomposite;

import io.dbcomposite.testing.JtaUnits;

import io.dbcomposite.testmodel.Notification;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link QueuedRemoteWriteTest} on a JTA unit: the remote is a pool enlisted in the JTA transaction (as a container's
 * {@code <jta-data-source>}), each transaction a JTA transaction the entity manager joins. Two cases differ, as the README
 * says: a remote that joined the JTA transaction (it was read, or a flush wrote to it) and is then lost cannot be left
 * out of its commit, so the transaction fails as a whole and nothing is written anywhere, where a resource-local commit
 * keeps the QUEUE writes in the sync log.
 */
class JtaQueuedRemoteWriteTest extends QueuedRemoteWriteTest {


    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, false);
    }

    @Override
    protected void inTransaction(Consumer<CompositeEntityManager> work) {
        JtaUnits.inTransaction(emf, work);
    }

    @Override
    @Test
    void remote_queue_update_of_an_entity_read_before_the_outage_is_kept_as_a_pending_update() {
        Notification n = new Notification("reader@example.com", "original");
        inTransaction(em -> em.persist(n));
        long mark = logMark();

        assertThatThrownBy(() -> inTransaction(em -> {
            Notification found = em.find(Notification.class, n.getId()); // the remote joins the JTA transaction here
            proxy.cut();
            found.setMessage("changed while the remote was down");
        })).hasCauseInstanceOf(jakarta.transaction.RollbackException.class);

        restoreNetwork();
        assertThat(logRowsSince(mark)).as("nothing kept: the whole JTA transaction rolled back").isEmpty();
        assertThat(remoteCount("notification", "id = ? and message = 'original'", n.getId())).isEqualTo(1);
    }

    @Override
    @Test
    void a_held_remote_write_sent_by_an_explicit_flush_is_queued_when_the_remote_commit_fails() {
        Notification n = new Notification(unique("flushed") + "@example.com", "sent at flush, then the remote dropped");
        long mark = logMark();

        assertThatThrownBy(() -> inTransaction(em -> {
            em.persist(n);
            em.flush(); // written to the remote in the JTA transaction
            proxy.cut();
        })).hasCauseInstanceOf(jakarta.transaction.RollbackException.class);

        restoreNetwork();
        assertThat(logRowsSince(mark)).isEmpty();
        assertThat(remoteCount("notification", "id = ?", n.getId())).isZero();
    }

}
