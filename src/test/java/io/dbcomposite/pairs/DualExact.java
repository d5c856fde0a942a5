package io.dbcomposite.pairs;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Written to both sides in the caller's transaction. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class DualExact extends ExactRow {

    protected DualExact() {
    }

    public DualExact(long id) {
        super(id);
    }
}
