package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;

import java.util.HashSet;
import java.util.Set;

/** Owns the join table {@code poster_venue} of a many-to-many whose other side ({@link Venue}) maps it too. */
@Entity
public class Poster {
    @Id
    private Long id;
    private String title;
    @ManyToMany
    @JoinTable(name = "poster_venue", joinColumns = @JoinColumn(name = "poster_id"),
            inverseJoinColumns = @JoinColumn(name = "venue_id"))
    private Set<Venue> venues = new HashSet<>();

    protected Poster() {
    }

    public Poster(long id, String title) {
        this.id = id;
        this.title = title;
    }

    public Set<Venue> getVenues() {
        return venues;
    }
}
