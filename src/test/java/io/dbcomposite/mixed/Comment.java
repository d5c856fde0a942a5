package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import java.util.UUID;

/** Written to both sides, queueing when the remote fails (DUAL+QUEUE); refers to an {@link Author}. */
@Entity
@CompositeRouting(write = Write.DUAL)
public class Comment {
    @Id
    private UUID id = UUID.randomUUID();
    private String text;
    @ManyToOne(optional = false)
    private Author author;

    protected Comment() {
    }

    public Comment(String text, Author author) {
        this.text = text;
        this.author = author;
    }

    public UUID getId() {
        return id;
    }
}
