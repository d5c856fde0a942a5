package io.dbcomposite.conflict;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** Written to both sides in the caller's call ({@code DUAL}, {@code QUEUE}): the remote step replays it from the log. */
@Entity
@Table(name = "ticket")
@CompositeRouting(write = Write.DUAL)
public class Ticket {

    @Id
    private UUID id;

    @Column(name = "title", nullable = false, length = 100)
    private String title;

    protected Ticket() {
    }

    public Ticket(UUID id, String title) {
        this.id = id;
        this.title = title;
    }

    public UUID getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }
}
