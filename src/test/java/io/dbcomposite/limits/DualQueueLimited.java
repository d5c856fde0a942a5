package io.dbcomposite.limits;

import jakarta.persistence.Entity;

/** {@link Limited} written on both sides, the remote write queued if the remote fails. */
@Entity
@io.dbcomposite.CompositeRouting(write = io.dbcomposite.Write.DUAL, onRemoteFail = io.dbcomposite.OnRemoteFail.QUEUE)
public class DualQueueLimited extends Limited {
    protected DualQueueLimited() {
    }

    public DualQueueLimited(long id) {
        super(id);
    }
}
