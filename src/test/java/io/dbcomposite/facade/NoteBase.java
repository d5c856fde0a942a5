package io.dbcomposite.facade;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/** The state every note entity has: an assigned id, a text and an optimistic version. */
@MappedSuperclass
public abstract class NoteBase implements Note {
    @Id
    private Long id;
    private String text;
    @Version
    private int version;

    protected NoteBase() {
    }

    protected NoteBase(Long id, String text) {
        this.id = id;
        this.text = text;
    }

    @Override
    public Long getId() {
        return id;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    public void setText(String text) {
        this.text = text;
    }
}
