package io.dbcomposite.probes;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.NaturalId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The basic-value mappings of {@link FieldsProbeTest}. */
final class PbFields {

    private PbFields() {
    }

    enum Stage { DRAFT, REVIEW, PUBLISHED, ARCHIVED }

    /** A converter that writes a value as SQL null and null as a value: 0 is stored as null, null as "none". */
    @Converter
    public static class ZeroAsNull implements AttributeConverter<Integer, String> {
        @Override
        public String convertToDatabaseColumn(Integer value) {
            return value == null ? "none" : value == 0 ? null : value.toString();
        }

        @Override
        public Integer convertToEntityAttribute(String column) {
            return column == null ? Integer.valueOf(0) : "none".equals(column) ? null : Integer.valueOf(column);
        }
    }

    @Entity(name = "PbKinds")
    @Table(name = "pb_kinds")
    @SecondaryTable(name = "pb_kinds_extra")
    public static class Kinds {
        @Id
        public Long id;
        @Version
        public Integer version;
        @NaturalId(mutable = true)
        @Column(name = "nat_code")
        public String code;
        @Enumerated(EnumType.STRING)
        @Column(name = "stage_name")
        public Stage byName;
        @Enumerated(EnumType.ORDINAL)
        @Column(name = "stage_no")
        public Stage byOrdinal;
        @Enumerated
        @Column(name = "stage_default")
        public Stage byDefault;
        public Character letter;
        public char initial;
        @Column(precision = 12, scale = 4)
        public BigDecimal amount;
        public BigDecimal plain;
        public Boolean flag;
        public boolean active;
        @Convert(converter = ZeroAsNull.class)
        @Column(name = "priority")
        public Integer priority;
        @Column(table = "pb_kinds_extra", name = "extra_note")
        public String extraNote;
        @Column(table = "pb_kinds_extra", name = "extra_count")
        public Integer extraCount;
        @ElementCollection
        @CollectionTable(name = "pb_kinds_stages", joinColumns = @JoinColumn(name = "kinds_id"))
        @Enumerated(EnumType.STRING)
        @Column(name = "stage")
        public Set<Stage> history = new HashSet<>();
        @ElementCollection
        @CollectionTable(name = "pb_kinds_texts", joinColumns = @JoinColumn(name = "kinds_id"))
        @OrderColumn(name = "pos")
        @Column(name = "body", length = 1000)
        public List<String> texts = new ArrayList<>();
    }

    @Entity(name = "PbVehicle")
    @Table(name = "pb_vehicle")
    @Inheritance(strategy = InheritanceType.JOINED)
    public static class Vehicle {
        @Id
        public Long id;
        public String maker;
    }

    @Entity(name = "PbTruck")
    @Table(name = "pb_truck")
    public static class Truck extends Vehicle {
        public Integer axles;
        @ElementCollection
        @CollectionTable(name = "pb_truck_loads", joinColumns = @JoinColumn(name = "truck_id"))
        @OrderColumn(name = "pos")
        @Column(name = "load_name")
        public List<String> loads = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_truck_plates", joinColumns = @JoinColumn(name = "truck_id"))
        @Column(name = "plate")
        public Set<String> plates = new HashSet<>();
    }
}
