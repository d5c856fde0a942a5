package io.dbcomposite.testmodel;

/** The loyalty level of a {@link Customer}; stored by name ({@code EnumType.STRING}). */
public enum CustomerTier {
    STANDARD,
    SILVER,
    GOLD,
    PLATINUM
}
