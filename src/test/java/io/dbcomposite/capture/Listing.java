package io.dbcomposite.capture;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Written to the remote in the caller's transaction and queued if it is down (with a local copy it is read from). */
@Entity
@CompositeRouting(read = Read.LOCAL, write = Write.REMOTE, onRemoteFail = OnRemoteFail.QUEUE)
public class Listing {
    @Id
    private Long id;
    private String shop;

    protected Listing() {
    }

    public Listing(long id, String shop) {
        this.id = id;
        this.shop = shop;
    }
}
