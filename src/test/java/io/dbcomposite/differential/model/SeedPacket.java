package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.math.BigDecimal;
import java.time.Instant;

/** A packet of seeds: a SINGLE_TABLE subclass with an ordinal enum. */
@Entity
@DiscriminatorValue("SEED")
public class SeedPacket extends Specimen {
    @Column(name = "seed_count")
    private Integer seedCount;
    @Enumerated(EnumType.ORDINAL)
    @Column(name = "viability")
    private Viability viability;

    protected SeedPacket() {
    }

    public SeedPacket(String label, Instant collectedAt, BigDecimal weightGrams, Colour colour, Grower donor,
                      int seedCount, Viability viability) {
        super(label, collectedAt, weightGrams, colour, donor);
        this.seedCount = seedCount;
        this.viability = viability;
    }

    public Integer getSeedCount() { return seedCount; }
    public void setSeedCount(Integer seedCount) { this.seedCount = seedCount; }
    public Viability getViability() { return viability; }
    public void setViability(Viability viability) { this.viability = viability; }
}
