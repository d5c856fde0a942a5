package io.dbcomposite.capture;

import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Version;
import org.hibernate.annotations.OptimisticLock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every way Hibernate writes a row besides the entity's own insert, update and delete: element collections (one of them
 * outside optimistic locking), a list
 * whose order column is written from the inverse side, unidirectional one-to-manys (a list and a map) that set their key
 * (and map key) columns in the element's table, and a version that a lock can force up. Routed per test unit.
 */
@Entity
public class Album {
    @Id
    private Long id;
    private String title;
    @Version
    private int version;
    @ElementCollection
    @CollectionTable(name = "album_label", joinColumns = @JoinColumn(name = "album_id"))
    @Column(name = "label")
    private Set<String> labels = new LinkedHashSet<>();
    /** Changed without a version increment: no update event of the album at all. */
    @ElementCollection
    @CollectionTable(name = "album_note", joinColumns = @JoinColumn(name = "album_id"))
    @Column(name = "note")
    @OptimisticLock(excluded = true)
    private Set<String> notes = new LinkedHashSet<>();
    @OneToMany(mappedBy = "album", cascade = CascadeType.ALL)
    @OrderColumn(name = "song_order")
    private List<Song> songs = new ArrayList<>();
    @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true)
    @JoinColumn(name = "album_id")
    private List<Credit> credits = new ArrayList<>();

    @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true)
    @JoinColumn(name = "album_id")
    @MapKeyColumn(name = "part")
    private Map<String, Musician> lineup = new LinkedHashMap<>();

    protected Album() {
    }

    public Album(long id, String title) {
        this.id = id;
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public int getVersion() {
        return version;
    }

    public Set<String> getLabels() {
        return labels;
    }

    public Set<String> getNotes() {
        return notes;
    }

    public List<Song> getSongs() {
        return songs;
    }

    /** Replaces the list (its wrapper too, once managed), as an application assigning a new list does. */
    public void setSongs(List<Song> songs) {
        this.songs = songs;
    }

    public List<Credit> getCredits() {
        return credits;
    }

    public Map<String, Musician> getLineup() {
        return lineup;
    }

    /** Adds a song at {@code index} of the list, both sides of the association. */
    public void addSong(int index, Song song) {
        song.setAlbum(this);
        songs.add(index, song);
    }
}
