package io.dbcomposite.pairs;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written on the remote only. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class RemoteExact extends ExactRow {

    protected RemoteExact() {
    }

    public RemoteExact(long id) {
        super(id);
    }
}
