package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Every temporal type, written to both sides in the caller's transaction, queued if the remote fails. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
public class QueuedMoment extends TimeValues {

    protected QueuedMoment() {
    }

    public QueuedMoment(Long id) {
        super(id);
    }
}
