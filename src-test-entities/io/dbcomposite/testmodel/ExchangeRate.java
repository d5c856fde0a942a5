package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A currency conversion rate, keyed by its pair (e.g. {@code "EURUSD"}).
 *
 * <p>Routing: {@code read = LOCAL, write = REMOTE, onRemoteFail = FAIL}: a write-through cache.
 * Writes go to the remote in the caller's unit of work and the local copy is refreshed after the
 * remote commit; reads are served locally. A write while the remote is down throws. Demonstrates an
 * application-assigned {@code String} id and a high-precision {@code BigDecimal} (18, 8).
 */
@Entity
@Table(name = "exchange_rate")
@CompositeRouting(read = Read.LOCAL, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class ExchangeRate {

    /** The currency pair, base then quote, e.g. {@code "EURUSD"}. */
    @Id
    @Column(name = "id", nullable = false, updatable = false, length = 16)
    private String id;

    @Column(name = "rate", nullable = false, precision = 18, scale = 8)
    private BigDecimal rate;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    public ExchangeRate() {
    }

    /**
     * A rate updated now (truncated to milliseconds, the precision SQLite keeps).
     *
     * @param id the currency pair, e.g. {@code "EURUSD"}
     * @param rate how many units of the quote currency one unit of the base buys
     */
    public ExchangeRate(String id, BigDecimal rate) {
        this.id = id;
        this.rate = rate;
        this.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Sets a new rate and stamps {@link #getUpdatedAt() updatedAt} with now. */
    public void update(BigDecimal newRate) {
        this.rate = newRate;
        this.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public BigDecimal getRate() {
        return rate;
    }

    public void setRate(BigDecimal rate) {
        this.rate = rate;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    /** Equal by the assigned pair id. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ExchangeRate)) {
            return false;
        }
        return id != null && id.equals(((ExchangeRate) o).getId());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String toString() {
        return "ExchangeRate[" + id + "=" + rate + ", version=" + version + "]";
    }
}
