package io.dbcomposite.capture;

import jakarta.persistence.Entity;

/** A concrete {@link Artefact}, in a table of its own. */
@Entity
public class Coin extends Artefact {
    private String metal;

    protected Coin() {
    }

    public Coin(long id, String label, String metal) {
        super(id, label);
        this.metal = metal;
    }
}
