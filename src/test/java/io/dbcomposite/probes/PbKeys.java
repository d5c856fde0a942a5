package io.dbcomposite.probes;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.SortNatural;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** The composite-key and hierarchy mappings of {@link CompositeKeysProbeTest}. */
final class PbKeys {

    private PbKeys() {
    }

    @Embeddable
    public static class OrderKey implements Serializable {
        public String region;
        public Integer number;

        public OrderKey() {
        }

        OrderKey(String region, int number) {
            this.region = region;
            this.number = number;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OrderKey k && Objects.equals(region, k.region) && Objects.equals(number, k.number);
        }

        @Override
        public int hashCode() {
            return Objects.hash(region, number);
        }
    }

    @Entity(name = "PbProduct")
    @Table(name = "pb_product")
    public static class Product {
        @Id
        public Long id;
        public String name;
    }

    /** An embeddable element with a reference to an entity. */
    @Embeddable
    public static class Line {
        @ManyToOne
        @JoinColumn(name = "product_id")
        public Product product;
        public Integer quantity;

        public Line() {
        }

        Line(Product product, int quantity) {
            this.product = product;
            this.quantity = quantity;
        }
    }

    @Embeddable
    public static class Slot implements Comparable<Slot> {
        @Column(name = "slot_day")
        public String day;
        @Column(name = "slot_hour")
        public Integer hour;

        public Slot() {
        }

        Slot(String day, int hour) {
            this.day = day;
            this.hour = hour;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slot s && Objects.equals(day, s.day) && Objects.equals(hour, s.hour);
        }

        @Override
        public int hashCode() {
            return Objects.hash(day, hour);
        }

        @Override
        public int compareTo(Slot o) {
            int c = day.compareTo(o.day);
            return c != 0 ? c : Integer.compare(hour, o.hour);
        }
    }

    @Entity(name = "PbOrderDoc")
    @Table(name = "pb_order_doc")
    public static class OrderDoc {
        @EmbeddedId
        public OrderKey key;
        public String note;
        @ElementCollection
        @CollectionTable(name = "pb_order_doc_attrs")
        @MapKeyColumn(name = "attr")
        @Column(name = "val")
        public Map<String, String> attrs = new HashMap<>();
        /** a bag: duplicates allowed, no order column */
        @ElementCollection
        @CollectionTable(name = "pb_order_doc_lines")
        public List<Line> lines = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_order_doc_by_slot")
        @Column(name = "who")
        public Map<Slot, String> bySlot = new HashMap<>();
        @ElementCollection
        @CollectionTable(name = "pb_order_doc_slots")
        @SortNatural
        public SortedSet<Slot> slots = new TreeSet<>();
    }

    public static class ShipmentId implements Serializable {
        public String carrier;
        public Long code;

        @Override
        public boolean equals(Object o) {
            return o instanceof ShipmentId s && Objects.equals(carrier, s.carrier) && Objects.equals(code, s.code);
        }

        @Override
        public int hashCode() {
            return Objects.hash(carrier, code);
        }
    }

    @Entity(name = "PbShipment")
    @Table(name = "pb_shipment")
    @IdClass(ShipmentId.class)
    public static class Shipment {
        @Id
        public String carrier;
        @Id
        public Long code;
        @ElementCollection
        @CollectionTable(name = "pb_shipment_labels")
        @Column(name = "label")
        public List<String> labels = new ArrayList<>();
    }

    @Entity(name = "PbAnimal")
    @Table(name = "pb_animal")
    @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    public static class Animal {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "PbBird")
    @DiscriminatorValue("bird")
    public static class Bird extends Animal {
        public Integer wings;
        @ElementCollection
        @CollectionTable(name = "pb_bird_songs", joinColumns = @JoinColumn(name = "bird_id"))
        @Column(name = "song")
        public List<String> songs = new ArrayList<>();
    }
}
