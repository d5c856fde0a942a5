package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An element of {@link Album#getCredits()}: its {@code album_id} key column is no property of its own. */
@Entity
public class Credit {
    @Id
    private Long id;
    private String name;

    protected Credit() {
    }

    public Credit(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }
}
