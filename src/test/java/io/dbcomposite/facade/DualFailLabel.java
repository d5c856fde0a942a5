package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Written to both sides in one commit; a remote failure fails the caller. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class DualFailLabel extends LabelBase {
    protected DualFailLabel() {
    }

    public DualFailLabel(Long id, String label) {
        super(id, label);
    }
}
