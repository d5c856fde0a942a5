package io.dbcomposite.testmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A free-form label shared by many {@link Product}s (the target side of a many-to-many).
 *
 * <p>Routing: none declared, so the configured defaults apply (LOCAL read and write, BACKGROUND sync).
 * Demonstrates an {@code IDENTITY} id on the far side of a join table that must be replayed
 * to the remote before the {@code product_tag} rows that point to it.
 */
@Entity
@Table(name = "tag")
public class Tag {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "name", nullable = false, unique = true, length = 100)
    private String name;

    /** For JPA. */
    public Tag() {
    }

    /** @param name the unique name of the tag */
    public Tag(String name) {
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** Equal when both have the same database id; a transient tag equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tag)) {
            return false;
        }
        Long otherId = ((Tag) o).getId();
        return id != null && id.equals(otherId);
    }

    /** Constant, so that the hash does not change when the IDENTITY id is assigned on flush. */
    @Override
    public int hashCode() {
        return Tag.class.hashCode();
    }

    @Override
    public String toString() {
        return "Tag[id=" + id + ", name=" + name + "]";
    }
}
