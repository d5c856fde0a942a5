package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A stored specimen: SINGLE_TABLE root, generated UUID id, a converted attribute, the owning side of a many-to-many. */
@Entity
@Table(name = "specimen")
@Inheritance(strategy = InheritanceType.SINGLE_TABLE)
@DiscriminatorColumn(name = "kind", length = 12)
@NamedQuery(name = "Specimen.heavierThan",
        query = "select s from Specimen s where s.weightGrams > :min order by s.weightGrams desc, s.label")
public abstract class Specimen {
    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;
    @Version
    private int version;
    @Column(name = "label", nullable = false, unique = true, length = 60)
    private String label;
    @Column(name = "collected_at")
    private Instant collectedAt;
    @Column(name = "weight_grams", precision = 10, scale = 3)
    private BigDecimal weightGrams;
    @Convert(converter = ColourConverter.class)
    @Column(name = "colour", length = 7)
    private Colour colour;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "donor_id")
    private Grower donor;
    @ManyToMany
    @JoinTable(name = "specimen_habitat", joinColumns = @JoinColumn(name = "specimen_id"),
            inverseJoinColumns = @JoinColumn(name = "habitat_code"))
    private Set<Habitat> habitats = new HashSet<>();

    protected Specimen() {
    }

    protected Specimen(String label, Instant collectedAt, BigDecimal weightGrams, Colour colour, Grower donor) {
        this.label = label;
        this.collectedAt = collectedAt;
        this.weightGrams = weightGrams;
        this.colour = colour;
        this.donor = donor;
    }

    public UUID getId() { return id; }
    public int getVersion() { return version; }
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }
    public Instant getCollectedAt() { return collectedAt; }
    public void setCollectedAt(Instant collectedAt) { this.collectedAt = collectedAt; }
    public BigDecimal getWeightGrams() { return weightGrams; }
    public void setWeightGrams(BigDecimal weightGrams) { this.weightGrams = weightGrams; }
    public Colour getColour() { return colour; }
    public void setColour(Colour colour) { this.colour = colour; }
    public Grower getDonor() { return donor; }
    public void setDonor(Grower donor) { this.donor = donor; }
    public Set<Habitat> getHabitats() { return habitats; }
}
