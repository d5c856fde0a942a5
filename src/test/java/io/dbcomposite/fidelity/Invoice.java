package io.dbcomposite.fidelity;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.type.YesNoConverter;

/** Synced in the background; two converted attributes, an application type and a boolean stored as Y/N. */
@Entity
public class Invoice {
    @Id
    private Long id;
    @Convert(converter = MoneyConverter.class)
    private Money total;
    @Convert(converter = YesNoConverter.class)
    private Boolean paid;

    protected Invoice() {
    }

    public Invoice(Long id, Money total, Boolean paid) {
        this.id = id;
        this.total = total;
        this.paid = paid;
    }

    public Money getTotal() {
        return total;
    }

    public Boolean getPaid() {
        return paid;
    }

    public void setPaid(Boolean paid) {
        this.paid = paid;
    }
}
