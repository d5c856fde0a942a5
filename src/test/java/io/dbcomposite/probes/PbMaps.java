package io.dbcomposite.probes;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapKey;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.MapKeyEnumerated;
import jakarta.persistence.MapKeyJoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

import java.util.HashMap;
import java.util.Map;

/** The map mappings of {@link MapsProbeTest}. */
final class PbMaps {

    private PbMaps() {
    }

    enum Colour { RED, GREEN, BLUE }

    @Embeddable
    public static class Address {
        public String street;
        public Integer zip;

        public Address() {
        }

        Address(String street, Integer zip) {
            this.street = street;
            this.zip = zip;
        }
    }

    @Entity(name = "PbMapItem")
    @Table(name = "pb_map_item")
    public static class Item {
        @Id
        public Long id;
        public String code;
        public String label;
        @ManyToOne
        @JoinColumn(name = "holder_id")
        public Holder holder;
    }

    @Entity(name = "PbMapPart")
    @Table(name = "pb_map_part")
    public static class Part {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "PbMapHolder")
    @Table(name = "pb_map_holder")
    public static class Holder {
        @Id
        public Long id;
        public String name;

        @ElementCollection
        @CollectionTable(name = "pb_map_attrs", joinColumns = @JoinColumn(name = "holder_id"))
        @MapKeyColumn(name = "attr_key")
        @Column(name = "attr_value")
        public Map<String, String> attrs = new HashMap<>();

        @ElementCollection
        @CollectionTable(name = "pb_map_counts", joinColumns = @JoinColumn(name = "holder_id"))
        @MapKeyEnumerated(EnumType.STRING)
        @MapKeyColumn(name = "colour")
        @Column(name = "amount")
        public Map<Colour, Integer> counts = new HashMap<>();

        @ElementCollection
        @CollectionTable(name = "pb_map_ordinals", joinColumns = @JoinColumn(name = "holder_id"))
        @MapKeyEnumerated(EnumType.ORDINAL)
        @MapKeyColumn(name = "colour_no")
        @Column(name = "note")
        public Map<Colour, String> notes = new HashMap<>();

        @ElementCollection
        @CollectionTable(name = "pb_map_addresses", joinColumns = @JoinColumn(name = "holder_id"))
        @MapKeyColumn(name = "label")
        public Map<String, Address> addresses = new HashMap<>();

        @OneToMany(mappedBy = "holder")
        @MapKey(name = "code")
        public Map<String, Item> itemsByCode = new HashMap<>();

        @OneToMany
        @JoinTable(name = "pb_map_joined", joinColumns = @JoinColumn(name = "holder_id"),
                inverseJoinColumns = @JoinColumn(name = "item_id"))
        @MapKey(name = "label")
        public Map<String, Item> joinedByLabel = new HashMap<>();

        @OneToMany
        @JoinColumn(name = "uni_holder")
        @MapKeyColumn(name = "uni_key")
        public Map<String, Part> parts = new HashMap<>();

        @ElementCollection
        @CollectionTable(name = "pb_map_item_notes", joinColumns = @JoinColumn(name = "holder_id"))
        @MapKeyJoinColumn(name = "item_id")
        @Column(name = "remark")
        public Map<Item, String> remarksByItem = new HashMap<>();

        @ManyToMany
        @JoinTable(name = "pb_map_tagged", joinColumns = @JoinColumn(name = "holder_id"),
                inverseJoinColumns = @JoinColumn(name = "part_id"))
        @MapKeyColumn(name = "tag")
        public Map<String, Part> tagged = new HashMap<>();
    }
}
