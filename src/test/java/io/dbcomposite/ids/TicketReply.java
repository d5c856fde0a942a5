package io.dbcomposite.ids;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/** Written to both sides in the caller's transaction; takes its {@link Ticket} along to the remote. */
@Entity
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class TicketReply {
    @Id
    private Long id;
    @ManyToOne
    private Ticket ticket;

    protected TicketReply() {
    }

    public TicketReply(Long id, Ticket ticket) {
        this.id = id;
        this.ticket = ticket;
    }
}
