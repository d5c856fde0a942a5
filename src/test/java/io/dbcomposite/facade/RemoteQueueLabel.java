package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written on the remote only, held locally until commit; a remote outage queues its writes. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.QUEUE)
public class RemoteQueueLabel extends LabelBase {
    protected RemoteQueueLabel() {
    }

    public RemoteQueueLabel(Long id, String label) {
        super(id, label);
    }
}
