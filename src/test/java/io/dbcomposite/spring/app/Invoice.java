package io.dbcomposite.spring.app;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

import java.math.BigDecimal;
import java.util.UUID;

/** Written to both sides in one commit; an unreachable remote fails the transaction. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class Invoice {
    @Id
    @GeneratedValue
    private UUID id;
    private String customerName;
    private BigDecimal amount;

    protected Invoice() {
    }

    public Invoice(String customerName, BigDecimal amount) {
        this.customerName = customerName;
        this.amount = amount;
    }

    public UUID getId() {
        return id;
    }

    public String getCustomerName() {
        return customerName;
    }

    public BigDecimal getAmount() {
        return amount;
    }
}
