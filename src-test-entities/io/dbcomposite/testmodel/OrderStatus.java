package io.dbcomposite.testmodel;

/** Where a {@link PurchaseOrder} is in its life; stored by name ({@code EnumType.STRING}). */
public enum OrderStatus {
    NEW,
    PAID,
    SHIPPED,
    DELIVERED,
    CANCELLED
}
