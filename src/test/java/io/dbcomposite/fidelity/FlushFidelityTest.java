package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.StockMovement;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, items 3 and 5: flushes inside a transaction (explicit, or a query's auto-flush) leave both databases and
 * the sync log as one commit at the end would.
 */
class FlushFidelityTest extends CompositeTestBase {

    @Test
    void a_dual_fail_entity_changed_again_after_a_query_auto_flush_reaches_the_remote_at_the_local_version() {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("10.00"), "EUR", PaymentMethod.CARD);
        inTransaction(em -> em.persist(pay));

        inTransaction(em -> {
            Payment p = em.find(Payment.class, pay.getId());
            p.setAmount(new BigDecimal("11.00"));
            em.createQuery("select count(x) from Payment x", Long.class).getSingleResult(); // auto-flush
            p.setAmount(new BigDecimal("12.00"));
        });

        long local = read(em -> em.find(Payment.class, pay.getId()).getVersion());
        assertThat(local).isEqualTo(2);
        assertThat(remoteCount("payment", "id = ? and version = ? and amount = 12.00", pay.getId(), local)).isEqualTo(1);
        // and the next update goes through on both sides
        inTransaction(em -> em.find(Payment.class, pay.getId()).setAmount(new BigDecimal("13.00")));
        assertThat(remoteCount("payment", "id = ? and version = 3 and amount = 13.00", pay.getId())).isEqualTo(1);
    }

    @Test
    void a_dual_queue_persist_then_explicit_flush_lands_on_the_remote_and_its_log_row_is_synced() {
        StockMovement m = new StockMovement(unique("FLUSH"), 4);
        long mark = logMark();

        try (CompositeEntityManager em = emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(m);
            em.flush();
            em.getTransaction().commit();
        }

        assertThat(remoteCount("stock_movement", "id = ?", m.getId())).isEqualTo(1);
        Map<String, Object> row = only(logRowsSince(mark));
        assertThat(row.get("status")).as("the log row of a change the remote holds").isEqualTo("SYNCED");
    }
}
