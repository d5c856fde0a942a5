package io.dbcomposite.mixed;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import java.util.UUID;

/** Remote only; its owner's unidirectional one-to-many sets its {@code pet_id} key column. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class VetNote {
    @Id
    private UUID id = UUID.randomUUID();
    private String text;

    protected VetNote() {
    }

    public VetNote(String text) {
        this.text = text;
    }

    public UUID getId() {
        return id;
    }
}
