package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;

/** A rooted or unrooted cutting: a SINGLE_TABLE subclass with a boolean and a local date-time. */
@Entity
@DiscriminatorValue("CUTTING")
public class Cutting extends Specimen {
    @Column(name = "rooted")
    private Boolean rooted;
    @Column(name = "taken_at")
    private LocalDateTime takenAt;

    protected Cutting() {
    }

    public Cutting(String label, Instant collectedAt, BigDecimal weightGrams, Colour colour, Grower donor,
                   boolean rooted, LocalDateTime takenAt) {
        super(label, collectedAt, weightGrams, colour, donor);
        this.rooted = rooted;
        this.takenAt = takenAt;
    }

    public Boolean getRooted() { return rooted; }
    public void setRooted(Boolean rooted) { this.rooted = rooted; }
    public LocalDateTime getTakenAt() { return takenAt; }
    public void setTakenAt(LocalDateTime takenAt) { this.takenAt = takenAt; }
}
