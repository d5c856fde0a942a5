package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;

import java.util.LinkedHashSet;
import java.util.Set;

/** Owns a many-to-many of {@link Track}s. */
@Entity
public class Playlist {
    @Id
    public Long id;
    public String name;
    @ManyToMany
    @JoinTable(name = "playlist_track", joinColumns = @JoinColumn(name = "playlist_id"),
            inverseJoinColumns = @JoinColumn(name = "track_id"))
    public Set<Track> tracks = new LinkedHashSet<>();
}
