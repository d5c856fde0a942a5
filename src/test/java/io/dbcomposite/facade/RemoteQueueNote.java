package io.dbcomposite.facade;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Read and written on the remote only; a remote failure queues the write. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.QUEUE)
public class RemoteQueueNote extends NoteBase {
    protected RemoteQueueNote() {
    }

    public RemoteQueueNote(Long id, String text) {
        super(id, text);
    }
}
