package io.dbcomposite.pairs;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;

/** Written locally, replayed by sync(). */
@Entity
@CompositeRouting(write = Write.LOCAL)
public class SyncedExact extends ExactRow {

    protected SyncedExact() {
    }

    public SyncedExact(long id) {
        super(id);
    }
}
