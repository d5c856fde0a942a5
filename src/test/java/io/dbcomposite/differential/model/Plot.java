package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.math.BigDecimal;
import java.util.Objects;

/** A bed a grower tends: an element of an unordered collection of embeddables. */
@Embeddable
public class Plot {
    @Column(name = "bed", length = 20, nullable = false)
    private String bed;
    @Column(name = "area_sqm", precision = 8, scale = 2)
    private BigDecimal areaSqm;
    @Column(name = "sunny", nullable = false)
    private boolean sunny;

    protected Plot() {
    }

    public Plot(String bed, BigDecimal areaSqm, boolean sunny) {
        this.bed = bed;
        this.areaSqm = areaSqm;
        this.sunny = sunny;
    }

    public String getBed() { return bed; }
    public BigDecimal getAreaSqm() { return areaSqm; }
    public boolean isSunny() { return sunny; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Plot p && Objects.equals(p.bed, bed)
                && (p.areaSqm == null ? areaSqm == null : areaSqm != null && p.areaSqm.compareTo(areaSqm) == 0) && p.sunny == sunny;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bed, sunny);
    }
}
