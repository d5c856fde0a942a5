package io.dbcomposite.remote;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A held entity (REMOTE, {@code onRemoteFail=QUEUE}) with a version and no association: its detached instances merge
 * without the local session having to resolve a reference to a row only the remote holds.
 */
@Entity
@Table(name = "held_note")
public class HeldNote {
    @Id
    private Long id;
    @Version
    private int version;
    private String text;

    protected HeldNote() {
    }

    public HeldNote(Long id, String text) {
        this.id = id;
        this.text = text;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
}
