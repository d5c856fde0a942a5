package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written locally, replayed to the remote in the background. */
@Entity
@CompositeRouting(write = Write.LOCAL)
public class LocalLabel extends LabelBase {
    protected LocalLabel() {
    }

    public LocalLabel(Long id, String label) {
        super(id, label);
    }
}
