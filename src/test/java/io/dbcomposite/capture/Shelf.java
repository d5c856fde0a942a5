package io.dbcomposite.capture;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;

import java.util.LinkedHashSet;
import java.util.Set;

/** Unversioned, so a change to its element collection alone fires no update event of the entity, only a collection event. */
@Entity
public class Shelf {
    @Id
    private Long id;
    private String name;
    @ElementCollection
    @CollectionTable(name = "shelf_tag", joinColumns = @JoinColumn(name = "shelf_id"))
    @Column(name = "tag")
    private Set<String> tags = new LinkedHashSet<>();

    protected Shelf() {
    }

    public Shelf(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public Set<String> getTags() {
        return tags;
    }
}
