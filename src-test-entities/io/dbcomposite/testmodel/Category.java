package io.dbcomposite.testmodel;

/** The catalogue section of a {@link Product}; stored by name ({@code EnumType.STRING}). */
public enum Category {
    BOOKS,
    ELECTRONICS,
    GROCERY,
    CLOTHING,
    TOYS
}
