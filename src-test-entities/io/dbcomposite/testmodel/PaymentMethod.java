package io.dbcomposite.testmodel;

/** How a {@link Payment} was made; stored by name ({@code EnumType.STRING}). */
public enum PaymentMethod {
    CARD,
    BANK_TRANSFER,
    CASH,
    VOUCHER
}
