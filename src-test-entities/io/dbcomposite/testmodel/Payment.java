package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Money received for a {@link PurchaseOrder}.
 *
 * <p>Routing: {@code write = DUAL, onRemoteFail = FAIL}. Written to both databases in the caller's
 * unit of work; if the remote write fails, the commit throws and nothing is written anywhere (a
 * payment must never exist only locally). Demonstrates a plain foreign-key-less reference
 * ({@code order_id} is a column, not an association), a 3-letter currency, a nullable
 * {@code byte[]} (a {@code blob} on SQLite, {@code bytea} on PostgreSQL) and a {@code long} version.
 */
@Entity
@Table(name = "payment")
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class Payment {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    /** The paid {@link PurchaseOrder}'s id; deliberately not an association. */
    @Column(name = "order_id", nullable = false)
    private UUID orderId;

    @Column(name = "amount", nullable = false, precision = 12, scale = 2)
    private BigDecimal amount;

    /** ISO 4217 code, e.g. {@code "EUR"}. */
    @Column(name = "currency", nullable = false, length = 3)
    private String currency;

    @Enumerated(EnumType.STRING)
    @Column(name = "payment_method", nullable = false, length = 16)
    private PaymentMethod method;

    @Column(name = "paid_at", nullable = false)
    private Instant paidAt;

    /** The processor's signed receipt, if any. */
    @Column(name = "receipt", length = 65_536)
    private byte[] receipt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public Payment() {
    }

    /**
     * A payment made now (truncated to milliseconds, the precision SQLite keeps), without receipt.
     *
     * @param orderId the paid order's id
     * @param amount the amount, scale 2
     * @param currency the ISO 4217 code
     * @param method how it was paid
     */
    public Payment(UUID orderId, BigDecimal amount, String currency, PaymentMethod method) {
        this.orderId = orderId;
        this.amount = amount;
        this.currency = currency;
        this.method = method;
        this.paidAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public UUID getOrderId() {
        return orderId;
    }

    public void setOrderId(UUID orderId) {
        this.orderId = orderId;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public void setAmount(BigDecimal amount) {
        this.amount = amount;
    }

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public PaymentMethod getMethod() {
        return method;
    }

    public void setMethod(PaymentMethod method) {
        this.method = method;
    }

    public Instant getPaidAt() {
        return paidAt;
    }

    public void setPaidAt(Instant paidAt) {
        this.paidAt = paidAt;
    }

    public byte[] getReceipt() {
        return receipt;
    }

    public void setReceipt(byte[] receipt) {
        this.receipt = receipt;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    /** Equal by id (assigned at construction, so stable for the object's whole life). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Payment)) {
            return false;
        }
        return id != null && id.equals(((Payment) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "Payment[id=" + id + ", orderId=" + orderId + ", amount=" + amount + " " + currency + "]";
    }
}
