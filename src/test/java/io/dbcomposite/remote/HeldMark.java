package io.dbcomposite.remote;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A held entity (REMOTE, {@code onRemoteFail=QUEUE}) without a version: its queued changes are checked by value. */
@Entity
@Table(name = "held_mark")
public class HeldMark {
    @Id
    private Long id;
    private String text;

    protected HeldMark() {
    }

    public HeldMark(Long id, String text) {
        this.id = id;
        this.text = text;
    }

    public Long getId() { return id; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
}
