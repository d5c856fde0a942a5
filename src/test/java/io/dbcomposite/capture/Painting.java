package io.dbcomposite.capture;

import jakarta.persistence.Entity;

/** A concrete {@link Exhibit}. */
@Entity
public class Painting extends Exhibit {
    private String medium;

    protected Painting() {
    }

    public Painting(long id, String title, String medium) {
        super(id, title);
        this.medium = medium;
    }
}
