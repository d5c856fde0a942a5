package io.dbcomposite.fidelity;

import java.math.BigDecimal;
import java.util.Objects;

/** An application value type with no text form Hibernate knows: stored through {@link MoneyConverter}. */
public final class Money {
    private final BigDecimal amount;
    private final String currency;

    public Money(BigDecimal amount, String currency) {
        this.amount = amount;
        this.currency = currency;
    }

    public BigDecimal amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && m.amount.compareTo(amount) == 0 && m.currency.equals(currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount.stripTrailingZeros(), currency);
    }
}
