package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A value of {@link Album#getLineup()}: its {@code album_id} key and {@code part} map key are no properties of its own. */
@Entity
public class Musician {
    @Id
    private Long id;
    private String name;

    protected Musician() {
    }

    public Musician(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }
}
