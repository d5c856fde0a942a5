package io.dbcomposite.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.envers.Audited;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The benchmarks' entity: one flat row, IDENTITY id, {@code @Version}. It is {@code @Audited} so that the
 * same class serves the Envers baseline; every other factory runs with {@code hibernate.integration.envers.enabled=false}.
 */
@Entity
@Table(name = "bench_item")
@Audited
public class BenchItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(precision = 12, scale = 2)
    private BigDecimal price;

    private int quantity;

    @Column(name = "created_at")
    private Instant createdAt;

    @Version
    private long version;

    protected BenchItem() {
    }

    public BenchItem(String name, BigDecimal price, int quantity, Instant createdAt) {
        this.name = name;
        this.price = price;
        this.quantity = quantity;
        this.createdAt = createdAt;
    }

    /** A new item whose fields depend on {@code n}, so rows differ the way real data does. */
    public static BenchItem numbered(long n) {
        return new BenchItem("item-" + n, BigDecimal.valueOf(100 + n % 10_000, 2), (int) (n % 1000),
                Instant.ofEpochMilli(1_700_000_000_000L + n));
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public int getQuantity() {
        return quantity;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getVersion() {
        return version;
    }
}
