package io.dbcomposite.limits;

import jakarta.persistence.Entity;

/** {@link Limited} written on both sides, the commit failing if the remote refuses. */
@Entity
@io.dbcomposite.CompositeRouting(write = io.dbcomposite.Write.DUAL, onRemoteFail = io.dbcomposite.OnRemoteFail.FAIL)
public class DualFailLimited extends Limited {
    protected DualFailLimited() {
    }

    public DualFailLimited(long id) {
        super(id);
    }
}
