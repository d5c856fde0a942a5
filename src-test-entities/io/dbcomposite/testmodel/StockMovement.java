package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An append-only change of the stock of a SKU.
 *
 * <p>Routing: {@code write = DUAL} with the default failure policy (QUEUE). Written to both databases
 * in the caller's unit of work; if the remote is down, the commit still succeeds locally and the
 * change is queued in the sync log for the background job. Demonstrates an insert-only entity
 * without version.
 */
@Entity
@Table(name = "stock_movement")
@CompositeRouting(write = Write.DUAL)
public class StockMovement {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    @Column(name = "sku", nullable = false, length = 64)
    private String sku;

    /** Positive for goods in, negative for goods out. */
    @Column(name = "delta", nullable = false)
    private int delta;

    @Column(name = "moved_at", nullable = false)
    private Instant at;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public StockMovement() {
    }

    /**
     * A movement happening now (truncated to milliseconds, the precision SQLite keeps).
     *
     * @param sku the product's SKU
     * @param delta positive for goods in, negative for goods out
     */
    public StockMovement(String sku, int delta) {
        this.sku = sku;
        this.delta = delta;
        this.at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public String getSku() {
        return sku;
    }

    public void setSku(String sku) {
        this.sku = sku;
    }

    public int getDelta() {
        return delta;
    }

    public void setDelta(int delta) {
        this.delta = delta;
    }

    public Instant getAt() {
        return at;
    }

    public void setAt(Instant at) {
        this.at = at;
    }

    /** Equal by id (assigned at construction, so stable for the object's whole life). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StockMovement)) {
            return false;
        }
        return id != null && id.equals(((StockMovement) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "StockMovement[id=" + id + ", sku=" + sku + ", delta=" + delta + "]";
    }
}
