package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import java.util.UUID;

/** Written to both sides in the caller's transaction; refers to a background-synced {@link Author}. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class Post {
    @Id
    private UUID id = UUID.randomUUID();
    private String title;
    @ManyToOne(optional = false)
    private Author author;

    protected Post() {
    }

    public Post(String title, Author author) {
        this.title = title;
        this.author = author;
    }

    public UUID getId() {
        return id;
    }

    public Author getAuthor() {
        return author;
    }
}
