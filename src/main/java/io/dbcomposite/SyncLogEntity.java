package io.dbcomposite;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One captured local change waiting for (or done with) its replay to the remote: a row of
 * {@code dbc_sync_log}, in the LOCAL database only. Added to every composite unit by itself and
 * queryable through any composite entity manager:
 *
 * <pre>{@code
 * List<SyncLogEntity> dead = em.createQuery(
 *     "select c from SyncLogEntity c where c.status = ChangeStatus.DEAD order by c.id", SyncLogEntity.class)
 *     .getResultList();
 * }</pre>
 *
 * <p>Rows are written by the library in the same local transaction as the change they record; treat them as
 * read-only.
 */
@Entity(name = "SyncLogEntity")
@Table(name = "dbc_sync_log")
public class SyncLogEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "tx_id", nullable = false, length = 36)
    private String txId;

    @Column(name = "entity_name", nullable = false, length = 255)
    private String entityName;

    @Column(name = "entity_id", nullable = false, length = 255)
    private String entityId;

    @Enumerated(EnumType.STRING)
    @Column(name = "operation", nullable = false, length = 8)
    private ChangeOperation operation;

    @Column(name = "payload", length = 1_000_000)
    private String payload;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private ChangeStatus status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    @Column(name = "last_error", length = 4000)
    private String lastError;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "synced_at")
    private Instant syncedAt;

    @Column(name = "base_state", length = 1_000_000)
    private String baseState;

    @Column(name = "remote_state", length = 1_000_000)
    private String remoteState;

    /** For Hibernate. */
    protected SyncLogEntity() {
    }

    /** @return the position in local commit order (ascending) */
    public Long getId() {
        return id;
    }

    /** @return the id shared by every change of one local transaction */
    public String getTxId() {
        return txId;
    }

    /** @return the JPA entity name of the changed entity */
    public String getEntityName() {
        return entityName;
    }

    /** @return the changed entity's id, in string form */
    public String getEntityId() {
        return entityId;
    }

    /** @return insert, update or delete */
    public ChangeOperation getOperation() {
        return operation;
    }

    /** @return the full state after the change as JSON by property name; null for a delete */
    public String getPayload() {
        return payload;
    }

    /** @return where the change is in its life */
    public ChangeStatus getStatus() {
        return status;
    }

    /** @return failed replay attempts so far */
    public int getAttempts() {
        return attempts;
    }

    /** @return when a FAILED change is retried, or null */
    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    /** @return the newest replay error, without credentials, or null */
    public String getLastError() {
        return lastError;
    }

    /** @return when the change was captured */
    public Instant getCreatedAt() {
        return createdAt;
    }

    /** @return when the change reached the remote, or null */
    public Instant getSyncedAt() {
        return syncedAt;
    }

    /**
     * @return the state the change was based on, as JSON by property name: the row as this transaction first found it,
     *     for an update or a delete (what the replay expects the remote row to hold); null for an insert, and for an
     *     update of a row whose earlier state its session did not load; {@code "*"} for a conflict retried (the replay
     *     then takes the remote row as it finds it)
     */
    public String getBaseState() {
        return baseState;
    }

    /**
     * @return for a CONFLICT (or a change a conflict discarded): the remote row as the replay found it, as JSON by
     *     property name, or {@code "null"} if there was no row; otherwise null
     */
    public String getRemoteState() {
        return remoteState;
    }

    @Override
    public String toString() {
        return "SyncLogEntity[" + id + " " + operation + " " + entityName + "#" + entityId + " " + status + "]";
    }
}
