package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An element of {@link Playlist#tracks}. */
@Entity
public class Track {
    @Id
    public Long id;
    public String title;
}
