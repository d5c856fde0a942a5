package io.dbcomposite.testmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.math.BigDecimal;

/**
 * One line of a {@link PurchaseOrder}.
 *
 * <p>Routing: none declared, so the configured defaults apply. Demonstrates a child with an
 * {@code IDENTITY} id (assigned by each database independently, so the local and remote ids of the
 * same line may differ) owned by a parent with a UUID id, a mandatory lazy parent reference and an
 * optional lazy reference to a {@link Product}.
 */
@Entity
@Table(name = "order_line")
public class OrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "order_id", nullable = false)
    private PurchaseOrder order;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "product_id")
    private Product product;

    @Column(name = "quantity", nullable = false)
    private int quantity;

    @Column(name = "unit_price", nullable = false, precision = 12, scale = 2)
    private BigDecimal unitPrice;

    /** For JPA. */
    public OrderLine() {
    }

    /**
     * Prefer {@link PurchaseOrder#addLine(Product, int, BigDecimal)}, which also links the line into the order.
     *
     * @param order the owning order
     * @param product what is ordered (may be null for a free-text line)
     * @param quantity how many
     * @param unitPrice the price of one, scale 2
     */
    public OrderLine(PurchaseOrder order, Product product, int quantity, BigDecimal unitPrice) {
        this.order = order;
        this.product = product;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
    }

    /** {@code quantity * unitPrice} (zero if no price). */
    public BigDecimal amount() {
        return unitPrice == null ? BigDecimal.ZERO : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public PurchaseOrder getOrder() {
        return order;
    }

    public void setOrder(PurchaseOrder order) {
        this.order = order;
    }

    public Product getProduct() {
        return product;
    }

    public void setProduct(Product product) {
        this.product = product;
    }

    public int getQuantity() {
        return quantity;
    }

    public void setQuantity(int quantity) {
        this.quantity = quantity;
    }

    public BigDecimal getUnitPrice() {
        return unitPrice;
    }

    public void setUnitPrice(BigDecimal unitPrice) {
        this.unitPrice = unitPrice;
    }

    /** Equal when both have the same database id; a transient line equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OrderLine)) {
            return false;
        }
        Long otherId = ((OrderLine) o).getId();
        return id != null && id.equals(otherId);
    }

    /** Constant, so that the hash does not change when the IDENTITY id is assigned on flush. */
    @Override
    public int hashCode() {
        return OrderLine.class.hashCode();
    }

    @Override
    public String toString() {
        return "OrderLine[id=" + id + ", quantity=" + quantity + ", unitPrice=" + unitPrice + "]";
    }
}
