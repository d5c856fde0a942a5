package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written locally, synced in the background. */
@Entity
@CompositeRouting(write = Write.LOCAL)
public class LocalNote extends NoteBase {
    protected LocalNote() {
    }

    public LocalNote(Long id, String text) {
        super(id, text);
    }
}
