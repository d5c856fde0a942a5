package io.dbcomposite.capture;

import jakarta.persistence.Entity;

/** Another concrete {@link Artefact}. */
@Entity
public class Vase extends Artefact {
    private String glaze;

    protected Vase() {
    }

    public Vase(long id, String label, String glaze) {
        super(id, label);
        this.glaze = glaze;
    }
}
