package io.dbcomposite.fidelity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.math.BigDecimal;

/** Stores {@link Money} as {@code "12.50 EUR"}. */
@Converter
public class MoneyConverter implements AttributeConverter<Money, String> {
    @Override
    public String convertToDatabaseColumn(Money money) {
        return money == null ? null : money.amount().toPlainString() + " " + money.currency();
    }

    @Override
    public Money convertToEntityAttribute(String text) {
        if (text == null) {
            return null;
        }
        int space = text.indexOf(' ');
        return new Money(new BigDecimal(text.substring(0, space)), text.substring(space + 1));
    }
}
