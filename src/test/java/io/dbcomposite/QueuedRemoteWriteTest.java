package io.dbcomposite;

import com.fasterxml.jackson.databind.JsonNode;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What the QUEUE policy puts in the local sync log when a remote write runs in the caller's transaction
 * (contract, semantics table rows REMOTE+QUEUE, DUAL+QUEUE and DUAL+FAIL), with a real outage: a TCP proxy in
 * front of PostgreSQL that cuts every connection. The sync engine is not running ({@code syncEnabled(false)}),
 * so a PENDING row stays PENDING.
 */
class QueuedRemoteWriteTest extends CompositeTestBase {


    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    // ---- helpers -------------------------------------------------------------------------------------







    private SyncLogEntity logEntry(long id) {
        return read(em -> em.find(SyncLogEntity.class, id));
    }


    private static Payment payment(String amount) {
        return new Payment(UUID.randomUUID(), new BigDecimal(amount), "EUR", PaymentMethod.CARD);
    }

    // ---- DUAL + QUEUE ----------------------------------------------------------------------------------

    @Test
    void dual_queue_with_the_remote_up_lands_on_both_sides_and_its_log_row_is_synced_at_once() {
        StockMovement m = new StockMovement(unique("SKU-SM"), 5);
        Instant before = Instant.now().minusSeconds(1);

        inTransaction(em -> em.persist(m));

        assertThat(localCount("stock_movement", "id = ? and delta = 5", uuidBytes(m.getId()))).isEqualTo(1);
        assertThat(remoteCount("stock_movement", "id = ? and delta = 5 and sku = ?", m.getId(), m.getSku())).isEqualTo(1);
        Map<String, Object> row = only(logRows("StockMovement", m.getId()));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("SYNCED");
        assertThat(row.get("synced_at")).isNotNull();
        assertThat(payload(row).get("sku").asText()).isEqualTo(m.getSku());

        SyncLogEntity entry = logEntry(id(row));
        assertThat(entry.getStatus()).isEqualTo(ChangeStatus.SYNCED);
        assertThat(entry.getSyncedAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(entry.getSyncedAt()).isAfterOrEqualTo(entry.getCreatedAt());
        assertThat(entry.getAttempts()).isZero();
    }

    @Test
    void dual_queue_with_the_remote_cut_commits_locally_and_its_log_row_stays_pending() {
        StockMovement m = new StockMovement(unique("SKU-SM-DOWN"), -3);
        proxy.cut();

        inTransaction(em -> em.persist(m));

        assertThat(localCount("stock_movement", "id = ? and delta = -3", uuidBytes(m.getId()))).isEqualTo(1);
        Map<String, Object> row = only(logRows("StockMovement", m.getId()));
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("synced_at")).isNull();
        assertThat(((Number) row.get("attempts")).intValue()).isZero();
        assertThat(payload(row).get("delta").asInt()).isEqualTo(-3);

        restoreNetwork();
        // nothing replays by itself (no sync engine yet); a later DUAL commit does not mark this transaction synced
        StockMovement later = new StockMovement(unique("SKU-SM-LATER"), 1);
        inTransaction(em -> em.persist(later));

        assertThat(remoteCount("stock_movement", "id = ?", m.getId())).isZero();
        assertThat(remoteCount("stock_movement", "id = ?", later.getId())).isEqualTo(1);
        Map<String, Object> still = only(logRows("StockMovement", m.getId()));
        assertThat(still.get("status")).isEqualTo("PENDING");
        assertThat(still.get("synced_at")).isNull();
        assertThat(only(logRows("StockMovement", later.getId())).get("status")).isEqualTo("SYNCED");
        SyncLogEntity entry = logEntry(id(row));
        assertThat(entry.getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(entry.getSyncedAt()).isNull();
    }

    // ---- REMOTE + QUEUE --------------------------------------------------------------------------------

    @Test
    void remote_queue_with_the_remote_up_writes_postgresql_only_and_logs_nothing() {
        Notification n = new Notification("up@example.com", "delivered directly");
        long mark = logMark();

        inTransaction(em -> em.persist(n));

        assertThat(remoteCount("notification", "id = ? and recipient = 'up@example.com'", n.getId())).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void remote_queue_with_the_remote_cut_commits_and_keeps_the_insert_in_the_local_log() {
        Notification n = new Notification("down@example.com", "kept for later");
        long mark = logMark();
        proxy.cut();

        inTransaction(em -> em.persist(n));

        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Notification");
        assertThat(row.get("entity_id")).isEqualTo(n.getId().toString());
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("synced_at")).isNull();
        JsonNode json = payload(row);
        assertThat(json.get("recipient").asText()).isEqualTo("down@example.com");
        assertThat(json.get("message").asText()).isEqualTo("kept for later");
        assertThat(json.get("sent").asBoolean()).isFalse();

        restoreNetwork();
        assertThat(remoteCount("notification", "id = ?", n.getId())).isZero();
        SyncLogEntity entry = logEntry(id(row));
        assertThat(entry.getOperation()).isEqualTo(ChangeOperation.INSERT);
        assertThat(entry.getStatus()).isEqualTo(ChangeStatus.PENDING);
        assertThat(entry.getCreatedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    }

    @Test
    void remote_queue_update_of_an_entity_read_before_the_outage_is_kept_as_a_pending_update() {
        Notification n = new Notification("reader@example.com", "original");
        inTransaction(em -> em.persist(n));
        long mark = logMark();

        inTransaction(em -> {
            Notification found = em.find(Notification.class, n.getId());
            assertThat(found.getMessage()).isEqualTo("original");
            proxy.cut();
            found.setMessage("changed while the remote was down");
            found.setSent(true);
        });

        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Notification");
        assertThat(row.get("entity_id")).isEqualTo(n.getId().toString());
        assertThat(row.get("operation")).isEqualTo("UPDATE");
        assertThat(row.get("status")).isEqualTo("PENDING");
        JsonNode json = payload(row);
        assertThat(json.get("message").asText()).isEqualTo("changed while the remote was down");
        assertThat(json.get("sent").asBoolean()).isTrue();
        assertThat(json.get("recipient").asText()).isEqualTo("reader@example.com");

        restoreNetwork();
        assertThat(remoteCount("notification", "id = ? and message = 'original' and not sent", n.getId())).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
    }

    @Test
    void remote_write_with_sync_none_and_the_default_queue_policy_is_kept_in_the_log_when_the_remote_is_cut() {
        // AuditEvent: read/write REMOTE, sync NONE, onRemoteFail not set (QUEUE). The contract's REMOTE+QUEUE row
        // applies for "any" sync: the change is stored in the local sync log and the caller's commit succeeds.
        AuditEvent e = new AuditEvent("logout", "while the remote was down");
        long mark = logMark();
        proxy.cut();

        inTransaction(em -> em.persist(e));

        assertThat(localCount("audit_event", "id = ?", uuidBytes(e.getId()))).isZero();
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("AuditEvent");
        assertThat(row.get("entity_id")).isEqualTo(e.getId().toString());
        assertThat(row.get("operation")).isEqualTo("INSERT");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(payload(row).get("type").asText()).isEqualTo("logout");

        restoreNetwork();
        assertThat(remoteCount("audit_event", "id = ?", e.getId())).isZero();
    }

    @Test
    void a_held_remote_write_sent_by_an_explicit_flush_is_queued_when_the_remote_commit_fails() {
        Notification n = new Notification(unique("flushed") + "@example.com", "sent at flush, then the remote dropped");
        long mark = logMark();

        inTransaction(em -> {
            em.persist(n);
            em.flush();
            proxy.cut();
        });

        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("Notification");
        assertThat(row.get("status")).as("the write the flush sent, queued after the remote commit failed").isEqualTo("PENDING");
        restoreNetwork();
        emf.sync();
        assertThat(remoteCount("notification", "id = ?", n.getId())).isEqualTo(1);
    }

    @Test
    void a_queued_remote_only_change_leaves_no_payload_on_the_local_disk_once_it_reached_the_remote() {
        AuditEvent e = new AuditEvent("export", "remote-only data queued during an outage");
        long mark = logMark();
        proxy.cut();
        inTransaction(em -> em.persist(e));
        assertThat(payload(only(logRowsSince(mark))).get("detail").asText()).isEqualTo("remote-only data queued during an outage");

        restoreNetwork();
        emf.sync();

        assertThat(remoteCount("audit_event", "id = ? and detail = ?", e.getId(), "remote-only data queued during an outage"))
                .isEqualTo(1);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("status")).isEqualTo("SYNCED");
        assertThat(row.get("payload")).as("the remote-only payload, once on the remote").isNull();
        assertThat(localCount("audit_event", "id = ?", uuidBytes(e.getId()))).isZero();
    }

    // ---- mixed transactions ------------------------------------------------------------------------------

    @Test
    void dual_fail_beside_dual_queue_with_the_remote_cut_throws_and_writes_nothing_anywhere() {
        Payment pay = payment("50.00");
        StockMovement m = new StockMovement(unique("SKU-MIX-DOWN"), 7);
        long mark = logMark();
        proxy.cut();

        assertThatThrownBy(() -> inTransaction(em -> {
            em.persist(pay);
            em.persist(m);
        })).isInstanceOf(RemoteWriteException.class).hasMessageContaining("Payment");

        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(localCount("stock_movement", "id = ?", uuidBytes(m.getId()))).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
        restoreNetwork();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(remoteCount("stock_movement", "id = ?", m.getId())).isZero();
    }

    @Test
    void dual_fail_beside_dual_queue_with_the_remote_up_lands_both_on_both_sides_and_logs_the_movement_synced() {
        Payment pay = payment("60.00");
        StockMovement m = new StockMovement(unique("SKU-MIX-UP"), 2);
        long mark = logMark();

        inTransaction(em -> {
            em.persist(pay);
            em.persist(m);
        });

        assertThat(localCount("payment", "id = ? and amount = 60.00", uuidBytes(pay.getId()))).isEqualTo(1);
        assertThat(remoteCount("payment", "id = ? and amount = 60.00", pay.getId())).isEqualTo(1);
        assertThat(localCount("stock_movement", "id = ?", uuidBytes(m.getId()))).isEqualTo(1);
        assertThat(remoteCount("stock_movement", "id = ?", m.getId())).isEqualTo(1);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("entity_name")).isEqualTo("StockMovement");
        assertThat(row.get("entity_id")).isEqualTo(m.getId().toString());
        assertThat(row.get("status")).isEqualTo("SYNCED");
        assertThat(row.get("synced_at")).isNotNull();
    }

    @Test
    void a_local_write_and_a_queued_remote_write_of_one_transaction_share_one_tx_id() {
        Product p = new Product(unique("SKU-MIXQ"), "Local beside queued", new BigDecimal("3.00"), Category.TOYS);
        Notification n = new Notification("mixed@example.com", "queued beside a local write");
        long mark = logMark();
        proxy.cut();

        inTransaction(em -> {
            em.persist(p);
            em.persist(n);
        });

        assertThat(localCount("product", "id = ?", p.getId())).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", uuidBytes(n.getId()))).isZero();
        List<Map<String, Object>> rows = logRowsSince(mark);
        assertThat(rows).extracting(r -> r.get("entity_name") + "#" + r.get("entity_id") + " " + r.get("operation") + " " + r.get("status"))
                .containsExactlyInAnyOrder("Product#" + p.getId() + " INSERT PENDING", "Notification#" + n.getId() + " INSERT PENDING");
        assertThat(rows.get(0).get("tx_id")).isNotNull().isEqualTo(rows.get(1).get("tx_id"));

        restoreNetwork();
        assertThat(remoteCount("notification", "id = ?", n.getId())).isZero();
        assertThat(remoteCount("product", "id = ?", p.getId())).isZero();
    }
}
