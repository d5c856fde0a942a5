package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Written to the remote and then applied to the local copy it is read from (write-through). */
@Entity
@CompositeRouting(read = Read.LOCAL, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class CachedLabel extends LabelBase {
    protected CachedLabel() {
    }

    public CachedLabel(Long id, String label) {
        super(id, label);
    }
}
