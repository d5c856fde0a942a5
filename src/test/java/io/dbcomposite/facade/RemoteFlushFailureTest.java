package io.dbcomposite.facade;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 10, item 10 (found with it): a change to an entity read and written on the remote whose flush fails at commit,
 * before any write to the remote was recorded, is reported by the commit; it never lets the commit go on as if the
 * transaction had written only local entities (which lost the change without a word).
 */
class RemoteFlushFailureTest extends CompositeTestBase {

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                .property(CompositeSettings.REMOTE_SOCKET_TIMEOUT, "2s")
                .route(AuditEvent.class, Routing.builder().read(Read.REMOTE).write(Write.REMOTE).sync(Sync.NONE)
                        .onRemoteFail(OnRemoteFail.FAIL).build());
    }

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    @Test
    void a_fail_change_to_a_remote_entity_whose_flush_meets_an_outage_fails_the_commit_instead_of_vanishing() {
        AuditEvent event = new AuditEvent("seen", "before the drop");
        inTransaction(em -> em.persist(event));

        Throwable thrown = catchThrowable(() -> inTransaction(em -> {
            em.find(AuditEvent.class, event.getId()).setDetail("changed during the drop");
            proxy.cut();
        }));
        restoreNetwork();

        assertThat(thrown).isInstanceOf(RemoteWriteException.class).hasMessageContaining("rolled back");
        assertThat(remoteCount("audit_event", "id = ? and detail = 'before the drop'", event.getId())).isEqualTo(1);
    }

    @Test
    void a_queue_change_to_a_remote_entity_whose_flush_meets_an_outage_is_queued_and_the_commit_succeeds() {
        Notification note = new Notification("ops@example.com", "before the drop");
        inTransaction(em -> em.persist(note));
        long mark = logMark();

        inTransaction(em -> {
            em.find(Notification.class, note.getId()).setMessage("changed during the drop");
            proxy.cut();
        });
        restoreNetwork();

        java.util.Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Notification");
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(payload(row).get("message").asText()).isEqualTo("changed during the drop");
    }
}
