package io.dbcomposite.pairs;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rows of the contract's semantics table, on every {@link io.dbcomposite.testing.DatabasePair}: where each
 * routing's writes land, what a remote outage (a real TCP proxy cut) does to the caller, where reads and queries go.
 * A subclass per pair names the databases.
 */
public abstract class RoutingScenarios extends CompositeTestBase {

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.property("dbcomposite.remote.connect-timeout", "1s");
    }

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    @Test
    void write_local_lands_locally_only_and_sync_none_is_never_logged() {
        String sku = unique("RL");
        Product p = new Product(sku, "Local widget", new BigDecimal("9.99"), Category.ELECTRONICS);
        Draft d = new Draft("Plan", "body");
        long mark = logMark();
        inTransaction(em -> {
            em.persist(p);
            em.persist(d);
        });

        assertThat(localCount("product", "sku = ?", sku)).isEqualTo(1);
        assertThat(remoteCount("product", "sku = ?", sku)).isZero();
        assertThat(localCount("draft", "id = ?", d.getId())).isEqualTo(1);
        assertThat(logRowsSince(mark)).extracting(row -> row.get("entity_name")).containsExactly("Product");
        assertThat(this.<String>read(em -> em.find(Product.class, p.getId()).getName())).isEqualTo("Local widget");
    }

    @Test
    void read_remote_write_remote_lands_on_the_remote_only_and_queries_go_there() {
        AuditEvent e = new AuditEvent(unique("login"), "user 7");
        inTransaction(em -> em.persist(e));

        assertThat(remoteCount("audit_event", "id = ?", pair.remoteUuid(e.getId()))).isEqualTo(1);
        assertThat(localCount("audit_event", "id = ?", pair.localUuid(e.getId()))).isZero();
        assertThat(this.<String>read(em -> em.find(AuditEvent.class, e.getId()).getDetail())).isEqualTo("user 7");

        // a row written straight into the remote is found by a query on the entity
        UUID other = UUID.randomUUID();
        pair.remoteUpdate(schema, "insert into audit_event (id, event_type, detail, occurred_at) values (?, 'remote-only', 'x', "
                + pair.remoteNow() + ")", pair.remoteUuid(other));
        long n = read(em -> em.createQuery("select count(a) from AuditEvent a where a.type = 'remote-only'", Long.class)
                .getSingleResult());
        assertThat(n).isEqualTo(1);
    }

    @Test
    void write_remote_read_local_writes_through_with_one_version_on_both_sides() {
        String id = unique("FX").substring(0, 10);
        inTransaction(em -> em.persist(new ExchangeRate(id, new BigDecimal("1.08"))));
        assertThat(remoteCount("exchange_rate", "id = ? and version = 0", id)).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = ? and version = 0", id)).isEqualTo(1);

        inTransaction(em -> em.find(ExchangeRate.class, id).update(new BigDecimal("1.10")));
        assertThat(remoteCount("exchange_rate", "id = ? and version = 1 and rate = 1.10", id)).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = ? and version = 1 and rate = 1.10", id)).isEqualTo(1);

        inTransaction(em -> em.remove(em.find(ExchangeRate.class, id)));
        assertThat(remoteCount("exchange_rate", "id = ?", id)).isZero();
        assertThat(localCount("exchange_rate", "id = ?", id)).isZero();
    }

    @Test
    void dual_fail_writes_both_sides_and_under_an_outage_writes_nothing_anywhere() {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("25.00"), "EUR", PaymentMethod.CARD);
        inTransaction(em -> em.persist(pay));
        inTransaction(em -> em.find(Payment.class, pay.getId()).setAmount(new BigDecimal("30.00")));
        assertThat(remoteCount("payment", "id = ? and version = 1 and amount = 30.00", pair.remoteUuid(pay.getId()))).isEqualTo(1);
        assertThat(localCount("payment", "id = ? and version = 1 and amount = 30.00", pair.localUuid(pay.getId()))).isEqualTo(1);

        Payment lost = new Payment(UUID.randomUUID(), new BigDecimal("12.00"), "EUR", PaymentMethod.CARD);
        long mark = logMark();
        proxy.cut();
        long started = System.nanoTime();
        assertThatThrownBy(() -> inTransaction(em -> em.persist(lost)))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("Payment");
        // and the next one fails at once: the outage is known
        assertThatThrownBy(() -> inTransaction(em -> em.find(Payment.class, pay.getId()).setAmount(BigDecimal.ONE)))
                .isInstanceOf(RemoteWriteException.class);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(12));

        restoreNetwork();
        assertThat(remoteCount("payment", "id = ?", pair.remoteUuid(lost.getId()))).isZero();
        assertThat(localCount("payment", "id = ?", pair.localUuid(lost.getId()))).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
        // the first commit after the outage succeeds on the pooled connections the cut broke
        inTransaction(em -> em.persist(lost));
        assertThat(remoteCount("payment", "id = ?", pair.remoteUuid(lost.getId()))).isEqualTo(1);
    }

    @Test
    void dual_queue_and_remote_queue_commit_under_an_outage_and_reach_the_remote_by_sync() {
        String sku = unique("SM");
        StockMovement move = new StockMovement(sku, 5);
        Notification note = new Notification("ops@example.com", unique("queued"));
        proxy.cut();

        inTransaction(em -> em.persist(move));
        inTransaction(em -> em.persist(note));

        assertThat(localCount("stock_movement", "sku = ?", sku)).isEqualTo(1);
        assertThat(emf.getSyncStatus().remoteAvailable()).isFalse();
        assertThat(emf.getSyncStatus().pendingChanges()).isGreaterThanOrEqualTo(2);

        restoreNetwork();
        SyncResult r = emf.sync();
        assertThat(r.failed()).isZero();
        assertThat(r.remaining()).isZero();
        assertThat(remoteCount("stock_movement", "sku = ? and delta = 5", sku)).isEqualTo(1);
        assertThat(remoteCount("notification", "id = ? and message = ?", pair.remoteUuid(note.getId()), note.getMessage()))
                .isEqualTo(1);
        assertThat(localCount("notification", "id = ?", pair.localUuid(note.getId()))).isZero();
    }

    @Test
    void dual_queue_with_the_remote_up_is_applied_in_the_call_and_marked_synced() {
        String sku = unique("SQ");
        long mark = logMark();
        inTransaction(em -> em.persist(new StockMovement(sku, -2)));

        assertThat(remoteCount("stock_movement", "sku = ? and delta = -2", sku)).isEqualTo(1);
        assertThat(logRowsSince(mark)).extracting(row -> row.get("status")).containsExactly("SYNCED");
    }

    @Test
    void a_query_over_entities_read_from_both_sides_is_refused_naming_them() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p from Product p, AuditEvent a where p.name = a.type")
                .getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }
}
