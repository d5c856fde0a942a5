package io.dbcomposite;

import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testing.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rows of the contract's semantics table that need no sync log, against SQLite + PostgreSQL. */
class RoutingSemanticsTest extends CompositeTestBase {

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    @Test
    void write_local_lands_in_the_local_database_only() {
        Product p = new Product("SKU-L1", "Local widget", new BigDecimal("9.99"), Category.ELECTRONICS);
        inTransaction(em -> em.persist(p));

        assertThat(localCount("product", "sku = ?", "SKU-L1")).isEqualTo(1);
        assertThat(remoteCount("product", "sku = ?", "SKU-L1")).isZero();
        assertThat(this.<String>read(em -> em.find(Product.class, p.getId()).getName())).isEqualTo("Local widget");
    }

    @Test
    void write_local_sync_none_stays_local() {
        Draft d = new Draft("Plan", "body");
        inTransaction(em -> em.persist(d));

        assertThat(localCount("draft", "id = ?", d.getId())).isEqualTo(1);
        assertThat(remoteCount("draft", "id = ?", d.getId())).isZero();
    }

    @Test
    void read_remote_write_remote_lands_in_the_remote_only_and_is_read_from_there() {
        AuditEvent e = new AuditEvent("login", "user 7");
        inTransaction(em -> em.persist(e));

        assertThat(remoteCount("audit_event", "id = ?", e.getId())).isEqualTo(1);
        assertThat(localCount("audit_event", "id = ?", uuidBytes(e.getId()))).isZero();
        assertThat(this.<String>read(em -> em.find(AuditEvent.class, e.getId()).getType())).isEqualTo("login");
    }

    @Test
    void write_remote_with_read_local_writes_through_to_the_local_copy() {
        ExchangeRate rate = new ExchangeRate("EURUSD", new BigDecimal("1.08"));
        inTransaction(em -> em.persist(rate));

        assertThat(remoteCount("exchange_rate", "id = 'EURUSD' and version = 0")).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = 'EURUSD' and version = 0")).isEqualTo(1);

        inTransaction(em -> em.find(ExchangeRate.class, "EURUSD").update(new BigDecimal("1.10")));

        assertThat(remoteCount("exchange_rate", "id = 'EURUSD' and version = 1 and rate = 1.10")).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = 'EURUSD' and version = 1 and rate = 1.10")).isEqualTo(1);

        inTransaction(em -> em.remove(em.find(ExchangeRate.class, "EURUSD")));
        assertThat(remoteCount("exchange_rate", "id = 'EURUSD'")).isZero();
        assertThat(localCount("exchange_rate", "id = 'EURUSD'")).isZero();
    }

    @Test
    void dual_writes_both_sides_with_the_same_version() {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("25.00"), "EUR", PaymentMethod.CARD);
        inTransaction(em -> em.persist(pay));
        assertThat(remoteCount("payment", "id = ? and version = 0", pay.getId())).isEqualTo(1);
        assertThat(localCount("payment", "id = ? and version = 0", uuidBytes(pay.getId()))).isEqualTo(1);

        inTransaction(em -> em.find(Payment.class, pay.getId()).setAmount(new BigDecimal("30.00")));
        assertThat(remoteCount("payment", "id = ? and version = 1 and amount = 30.00", pay.getId())).isEqualTo(1);
        assertThat(localCount("payment", "id = ? and version = 1 and amount = 30.00", uuidBytes(pay.getId()))).isEqualTo(1);

        inTransaction(em -> em.remove(em.find(Payment.class, pay.getId())));
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
    }

    @Test
    void dual_fail_under_a_remote_outage_throws_and_writes_nothing_anywhere() {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("12.00"), "EUR", PaymentMethod.CARD);
        proxy.cut();

        assertThatThrownBy(() -> inTransaction(em -> em.persist(pay)))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("Payment");

        restoreNetwork();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
    }

    @Test
    void write_remote_fail_under_a_remote_outage_throws_and_keeps_the_local_copy_unchanged() {
        inTransaction(em -> em.persist(new ExchangeRate("GBPUSD", new BigDecimal("1.25"))));
        proxy.cut();

        assertThatThrownBy(() -> inTransaction(em -> em.find(ExchangeRate.class, "GBPUSD").update(new BigDecimal("1.30"))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("ExchangeRate");

        restoreNetwork();
        assertThat(localCount("exchange_rate", "id = 'GBPUSD' and rate = 1.25 and version = 0")).isEqualTo(1);
        assertThat(remoteCount("exchange_rate", "id = 'GBPUSD' and rate = 1.25 and version = 0")).isEqualTo(1);
    }

    @Test
    void a_query_over_entities_read_from_both_sides_is_refused_naming_them() {
        assertThatThrownBy(() -> read(em -> em.createQuery("select p from Product p, AuditEvent a where p.name = a.type").getResultList()))
                .isInstanceOf(CompositeRoutingException.class)
                .hasMessageContaining("Product")
                .hasMessageContaining("AuditEvent");
    }

    @Test
    void a_query_goes_to_the_read_side_of_its_root() {
        UUID id = UUID.randomUUID();
        PostgresTestDatabase.update(schema, "insert into audit_event (id, event_type, detail, occurred_at) values (?, 'remote-only', 'x', now())", id);

        long n = read(em -> em.createQuery("select count(a) from AuditEvent a where a.type = 'remote-only'", Long.class).getSingleResult());
        assertThat(n).isEqualTo(1);
    }
}
