package io.dbcomposite.ids;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The table of {@link Ticket} as an application that writes straight to the remote maps it: read and written there,
 * its id taken from the remote's identity sequence.
 */
@Entity
@Table(name = "Ticket")
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
public class RemoteTicket {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;

    protected RemoteTicket() {
    }

    public RemoteTicket(String name) {
        this.name = name;
    }

    public Long getId() {
        return id;
    }
}
