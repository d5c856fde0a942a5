package io.dbcomposite.testmodel;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A customer's order (table {@code purchase_order}, since {@code order} is reserved).
 *
 * <p>Routing: none declared, so the configured defaults apply (by default LOCAL, replayed in the
 * BACKGROUND). Demonstrates an aggregate: a lazy mandatory {@code @ManyToOne} to {@link Customer}
 * (the customer must reach the remote first), and owned {@link OrderLine}s cascaded with orphan
 * removal (each line's insert, update and delete must be replayed in order after the parent).
 */
@Entity
@Table(name = "purchase_order")
public class PurchaseOrder {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id", nullable = false)
    private Customer customer;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<OrderLine> lines = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private OrderStatus status = OrderStatus.NEW;

    @Column(name = "placed_at", nullable = false)
    private Instant placedAt;

    @Column(name = "total", nullable = false, precision = 12, scale = 2)
    private BigDecimal total = BigDecimal.ZERO.setScale(2);

    @Column(name = "requested_delivery")
    private LocalDateTime requestedDelivery;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public PurchaseOrder() {
    }

    /**
     * A NEW, empty order placed now (truncated to milliseconds, the precision SQLite keeps).
     *
     * @param customer who orders
     */
    public PurchaseOrder(Customer customer) {
        this.customer = customer;
        this.placedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Adds a line and adds its amount to {@link #getTotal() total}.
     *
     * @param product what is ordered
     * @param quantity how many
     * @param unitPrice the price of one, scale 2
     * @return the new line (cascaded with this order)
     */
    public OrderLine addLine(Product product, int quantity, BigDecimal unitPrice) {
        OrderLine line = new OrderLine(this, product, quantity, unitPrice);
        lines.add(line);
        recomputeTotal();
        return line;
    }

    /** Removes a line (deleted on flush by orphan removal) and recomputes the total. */
    public void removeLine(OrderLine line) {
        if (lines.remove(line)) {
            line.setOrder(null);
            recomputeTotal();
        }
    }

    /** Sets {@link #getTotal() total} to the sum of the lines' amounts, scale 2. */
    public void recomputeTotal() {
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderLine line : lines) {
            sum = sum.add(line.amount());
        }
        this.total = sum.setScale(2, RoundingMode.HALF_UP);
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public Customer getCustomer() {
        return customer;
    }

    public void setCustomer(Customer customer) {
        this.customer = customer;
    }

    public List<OrderLine> getLines() {
        return lines;
    }

    public void setLines(List<OrderLine> lines) {
        this.lines = lines;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public void setStatus(OrderStatus status) {
        this.status = status;
    }

    public Instant getPlacedAt() {
        return placedAt;
    }

    public void setPlacedAt(Instant placedAt) {
        this.placedAt = placedAt;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public void setTotal(BigDecimal total) {
        this.total = total;
    }

    public LocalDateTime getRequestedDelivery() {
        return requestedDelivery;
    }

    public void setRequestedDelivery(LocalDateTime requestedDelivery) {
        this.requestedDelivery = requestedDelivery;
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
        if (!(o instanceof PurchaseOrder)) {
            return false;
        }
        return id != null && id.equals(((PurchaseOrder) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "PurchaseOrder[id=" + id + ", status=" + status + ", total=" + total + ", version=" + version + "]";
    }
}
