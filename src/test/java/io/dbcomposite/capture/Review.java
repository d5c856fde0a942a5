package io.dbcomposite.capture;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/** Written to both sides at once (DUAL+FAIL): its commit takes along the pending changes of the album it refers to. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class Review {
    @Id
    private Long id;
    private String text;
    @ManyToOne
    private Album album;

    protected Review() {
    }

    public Review(long id, String text, Album album) {
        this.id = id;
        this.text = text;
        this.album = album;
    }

    public Long getId() {
        return id;
    }
}
