package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Read;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A security or business audit record.
 *
 * <p>Routing: {@code read = REMOTE, write = REMOTE, sync = NONE} (and the default {@code onRemoteFail = QUEUE}).
 * Lives only in the remote database and is never stored locally; reads fail while the remote is down, and a
 * write made while it is down is kept in the local sync log and replayed later (the contract's REMOTE+QUEUE row).
 */
@Entity
@Table(name = "audit_event")
@CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, sync = Sync.NONE)
public class AuditEvent {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    /** What happened, e.g. {@code "LOGIN"} or {@code "ORDER_CANCELLED"}. */
    @Column(name = "event_type", nullable = false, length = 64)
    private String type;

    @Column(name = "detail", length = 2000)
    private String detail;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public AuditEvent() {
    }

    /**
     * An event occurring now (truncated to milliseconds, the precision SQLite keeps).
     *
     * @param type what happened
     * @param detail free text, up to 2000 characters
     */
    public AuditEvent(String type, String detail) {
        this.type = type;
        this.detail = detail;
        this.occurredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public void setOccurredAt(Instant occurredAt) {
        this.occurredAt = occurredAt;
    }

    /** Equal by id (assigned at construction, so stable for the object's whole life). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuditEvent)) {
            return false;
        }
        return id != null && id.equals(((AuditEvent) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "AuditEvent[id=" + id + ", type=" + type + "]";
    }
}
