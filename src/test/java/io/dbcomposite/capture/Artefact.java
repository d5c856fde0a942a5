package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;

/** An abstract JOINED root that other entities refer to by its own type ({@link Gallery}). */
@Entity
@Inheritance(strategy = InheritanceType.JOINED)
public abstract class Artefact {
    @Id
    private Long id;
    private String label;

    protected Artefact() {
    }

    protected Artefact(long id, String label) {
        this.id = id;
        this.label = label;
    }

    public Long getId() {
        return id;
    }
}
