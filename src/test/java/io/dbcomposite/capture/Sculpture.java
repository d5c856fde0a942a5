package io.dbcomposite.capture;

import jakarta.persistence.Entity;

/** Another concrete {@link Exhibit}. */
@Entity
public class Sculpture extends Exhibit {
    private Integer heightCm;

    protected Sculpture() {
    }

    public Sculpture(long id, String title, int heightCm) {
        super(id, title);
        this.heightCm = heightCm;
    }
}
