package io.dbcomposite.spring.app;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Sync;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Lives on the local side only: never replayed. */
@Entity
@CompositeRouting(sync = Sync.NONE)
public class Draft {
    @Id
    private String id;
    private String body;

    protected Draft() {
    }

    public Draft(String id, String body) {
        this.id = id;
        this.body = body;
    }

    public String getId() {
        return id;
    }

    public String getBody() {
        return body;
    }
}
