package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written on the remote only; a remote failure fails the caller. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class RemoteFailLabel extends LabelBase {
    protected RemoteFailLabel() {
    }

    public RemoteFailLabel(Long id, String label) {
        super(id, label);
    }
}
