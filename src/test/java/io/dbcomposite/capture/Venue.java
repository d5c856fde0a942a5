package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;

import java.util.HashSet;
import java.util.Set;

/** The inverse ({@code mappedBy}) side of {@link Poster#getVenues()}: deleting a venue leaves the join rows to posters. */
@Entity
public class Venue {
    @Id
    private Long id;
    private String name;
    @ManyToMany(mappedBy = "venues")
    private Set<Poster> posters = new HashSet<>();

    protected Venue() {
    }

    public Venue(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }
}
