package io.dbcomposite.mixed;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import java.util.UUID;

/** Written locally and synced in the background (the default routing). */
@Entity
public class Author {
    @Id
    private UUID id = UUID.randomUUID();
    private String name;
    @Version
    private int version;

    protected Author() {
    }

    public Author(String name) {
        this.name = name;
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
