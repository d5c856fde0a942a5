package io.dbcomposite.capture;

import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;

/** An abstract SINGLE_TABLE root that other entities refer to by its own type ({@link Gallery}). */
@Entity
@Inheritance(strategy = InheritanceType.SINGLE_TABLE)
@DiscriminatorColumn(name = "kind", length = 12)
public abstract class Exhibit {
    @Id
    private Long id;
    private String title;

    protected Exhibit() {
    }

    protected Exhibit(long id, String title) {
        this.id = id;
        this.title = title;
    }

    public Long getId() {
        return id;
    }
}
