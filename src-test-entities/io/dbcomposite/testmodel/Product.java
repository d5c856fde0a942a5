package io.dbcomposite.testmodel;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

/**
 * A catalogue article.
 *
 * <p>Routing: none declared, so the configured defaults apply (by default: read and write LOCAL,
 * replayed to the remote in the BACKGROUND, QUEUE on remote failure). Demonstrates the common case
 * with everything a replay must carry: an {@code IDENTITY} id, a unique natural key ({@code sku}),
 * an optimistic {@code @Version}, a {@code BigDecimal}, a string enum, an {@code Instant},
 * a many-to-many join table ({@code product_tag}) and an element collection ({@code product_label}).
 */
@Entity
@Table(name = "product")
@NamedQuery(name = "Product.bySku", query = "select p from Product p where p.sku = :sku")
public class Product {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "sku", nullable = false, unique = true, length = 64)
    private String sku;

    @Column(name = "name", nullable = false, length = 200)
    private String name;

    @Column(name = "price", nullable = false, precision = 12, scale = 2)
    private BigDecimal price;

    @Enumerated(EnumType.STRING)
    @Column(name = "category", nullable = false, length = 32)
    private Category category;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "active", nullable = false)
    private boolean active = true;

    @ManyToMany
    @JoinTable(name = "product_tag",
            joinColumns = @JoinColumn(name = "product_id"),
            inverseJoinColumns = @JoinColumn(name = "tag_id"))
    private Set<Tag> tags = new HashSet<>();

    @ElementCollection
    @CollectionTable(name = "product_label", joinColumns = @JoinColumn(name = "product_id"))
    @Column(name = "label", nullable = false, length = 100)
    private Set<String> labels = new HashSet<>();

    /** For JPA. */
    public Product() {
    }

    /**
     * An active product created now (truncated to milliseconds, the precision SQLite keeps).
     *
     * @param sku the unique stock-keeping unit
     * @param name the display name
     * @param price the unit price, scale 2
     * @param category the catalogue section
     */
    public Product(String sku, String name, BigDecimal price, Category category) {
        this.sku = sku;
        this.name = name;
        this.price = price;
        this.category = category;
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.active = true;
    }

    /** Adds a tag; returns this for chaining. */
    public Product addTag(Tag tag) {
        tags.add(tag);
        return this;
    }

    /** Adds a label; returns this for chaining. */
    public Product addLabel(String label) {
        labels.add(label);
        return this;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getSku() {
        return sku;
    }

    public void setSku(String sku) {
        this.sku = sku;
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

    public void setPrice(BigDecimal price) {
        this.price = price;
    }

    public Category getCategory() {
        return category;
    }

    public void setCategory(Category category) {
        this.category = category;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    public Set<Tag> getTags() {
        return tags;
    }

    public void setTags(Set<Tag> tags) {
        this.tags = tags;
    }

    public Set<String> getLabels() {
        return labels;
    }

    public void setLabels(Set<String> labels) {
        this.labels = labels;
    }

    /** Equal when both have the same database id; a transient product equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Product)) {
            return false;
        }
        Long otherId = ((Product) o).getId();
        return id != null && id.equals(otherId);
    }

    /** Constant, so that the hash does not change when the IDENTITY id is assigned on flush. */
    @Override
    public int hashCode() {
        return Product.class.hashCode();
    }

    @Override
    public String toString() {
        return "Product[id=" + id + ", sku=" + sku + ", version=" + version + "]";
    }
}
