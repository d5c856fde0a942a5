package io.dbcomposite.fidelity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** An entity whose name is an HQL keyword, synced in the background. */
@Entity
public class Versioned {
    @Id
    private Long id;
    private String label;
    @Version
    private int version;

    protected Versioned() {
    }

    public Versioned(Long id, String label) {
        this.id = id;
        this.label = label;
    }

    public Long getId() {
        return id;
    }

    public void setLabel(String label) {
        this.label = label;
    }
}
