package io.dbcomposite.conflict;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnConflict;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row the remote owns when both sides changed it: {@code onConflict = REMOTE_WINS} on the annotation. */
@Entity
@Table(name = "price")
@CompositeRouting(onConflict = OnConflict.REMOTE_WINS)
public class Price {

    @Id
    private String sku;

    @Column(name = "cents", nullable = false)
    private long cents;

    protected Price() {
    }

    public Price(String sku, long cents) {
        this.sku = sku;
        this.cents = cents;
    }

    public long getCents() {
        return cents;
    }

    public void setCents(long cents) {
        this.cents = cents;
    }
}
