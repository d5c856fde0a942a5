package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/** The owning side of {@link Album#getSongs()}; its {@code song_order} column is written by the album's list. */
@Entity
public class Song {
    @Id
    private Long id;
    private String title;
    @ManyToOne
    private Album album;

    protected Song() {
    }

    public Song(long id, String title) {
        this.id = id;
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public void setAlbum(Album album) {
        this.album = album;
    }
}
