package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Written to both sides in one commit; a remote failure queues the remote part. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
public class DualQueueLabel extends LabelBase {
    protected DualQueueLabel() {
    }

    public DualQueueLabel(Long id, String label) {
        super(id, label);
    }
}
