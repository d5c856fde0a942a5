package io.dbcomposite.differential.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link Colour} as {@code #rrggbb} text. */
@Converter
public class ColourConverter implements AttributeConverter<Colour, String> {
    @Override
    public String convertToDatabaseColumn(Colour attribute) {
        return attribute == null ? null : attribute.hex();
    }

    @Override
    public Colour convertToEntityAttribute(String dbData) {
        return dbData == null ? null : Colour.parse(dbData);
    }
}
