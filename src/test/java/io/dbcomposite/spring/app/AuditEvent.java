package io.dbcomposite.spring.app;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** Lives on the remote only. */
@Entity
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, sync = Sync.NONE, onRemoteFail = OnRemoteFail.FAIL)
public class AuditEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String message;

    protected AuditEvent() {
    }

    public AuditEvent(String message) {
        this.message = message;
    }

    public Long getId() {
        return id;
    }

    public String getMessage() {
        return message;
    }
}
