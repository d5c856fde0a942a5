package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A message to be delivered to a user by a remote worker.
 *
 * <p>Routing: {@code read = REMOTE, write = REMOTE, onRemoteFail = QUEUE}. Normally written and read
 * remotely only; while the remote is down, a write is kept in the local sync log and delivered by the
 * background job, and the caller's commit succeeds.
 */
@Entity
@Table(name = "notification")
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.QUEUE)
public class Notification {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    /** An e-mail address or a user handle. */
    @Column(name = "recipient", nullable = false, length = 254)
    private String recipient;

    @Column(name = "message", nullable = false, length = 1000)
    private String message;

    @Column(name = "sent", nullable = false)
    private boolean sent;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public Notification() {
    }

    /**
     * An unsent notification.
     *
     * @param recipient to whom
     * @param message what, up to 1000 characters
     */
    public Notification(String recipient, String message) {
        this.recipient = recipient;
        this.message = message;
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public String getRecipient() {
        return recipient;
    }

    public void setRecipient(String recipient) {
        this.recipient = recipient;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public boolean isSent() {
        return sent;
    }

    public void setSent(boolean sent) {
        this.sent = sent;
    }

    /** Equal by id (assigned at construction, so stable for the object's whole life). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Notification)) {
            return false;
        }
        return id != null && id.equals(((Notification) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "Notification[id=" + id + ", recipient=" + recipient + ", sent=" + sent + "]";
    }
}
