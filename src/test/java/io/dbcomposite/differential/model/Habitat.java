package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;

import java.util.HashSet;
import java.util.Set;

/** Where specimens grow: an assigned text id and the inverse side of a many-to-many. */
@Entity
@Table(name = "habitat")
public class Habitat {
    @Id
    @Column(name = "code", length = 12)
    private String code;
    @Column(name = "name", length = 60, nullable = false)
    private String name;
    @Column(name = "altitude_m")
    private Integer altitudeM;
    @ManyToMany(mappedBy = "habitats")
    private Set<Specimen> specimens = new HashSet<>();

    protected Habitat() {
    }

    public Habitat(String code, String name, Integer altitudeM) {
        this.code = code;
        this.name = name;
        this.altitudeM = altitudeM;
    }

    public String getCode() { return code; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Integer getAltitudeM() { return altitudeM; }
    public void setAltitudeM(Integer altitudeM) { this.altitudeM = altitudeM; }
    public Set<Specimen> getSpecimens() { return specimens; }
}
