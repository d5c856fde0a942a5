package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Every temporal type, written to both sides in the caller's transaction. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class DualMoment extends TimeValues {

    protected DualMoment() {
    }

    public DualMoment(Long id) {
        super(id);
    }
}
