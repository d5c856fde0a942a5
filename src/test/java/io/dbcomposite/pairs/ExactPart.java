package io.dbcomposite.pairs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** An embeddable with an exact decimal and a timestamp, embedded and in an element collection of {@link ExactRow}. */
@Embeddable
public class ExactPart {
    String label;
    @Column(precision = 12, scale = 3)
    BigDecimal amount;
    Instant stamp;

    protected ExactPart() {
    }

    public ExactPart(String label, BigDecimal amount, Instant at) {
        this.label = label;
        this.amount = amount;
        this.stamp = at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactPart p && Objects.equals(label, p.label) && Objects.equals(amount, p.amount)
                && Objects.equals(stamp, p.stamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, amount, stamp);
    }

    @Override
    public String toString() {
        return "ExactPart[" + label + ", " + amount + ", " + stamp + "]";
    }
}
