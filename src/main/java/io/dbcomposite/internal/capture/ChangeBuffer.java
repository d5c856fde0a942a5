package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeOperation;
import org.hibernate.persister.entity.EntityPersister;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The captured changes of one local transaction, one per entity row, merged where meaning is kept:
 * insert then update is an insert of the final state, insert then delete is nothing, update then delete is
 * a delete, delete then insert is an update. Rows keep the position of their first change (parents before
 * children); a delete moves to the end (after the deletes of the rows that point at it).
 */
public final class ChangeBuffer {

    private final String txId = UUID.randomUUID().toString();
    private final LinkedHashMap<RowKey, Change> changes = new LinkedHashMap<>();
    private final Set<String> syncedEntities = new HashSet<>();
    private boolean queueRemoteWrites;

    private record RowKey(String entityName, Object id) {
    }

    /**
     * One buffered change.
     *
     * @param persister the local persister
     * @param id the id
     * @param entity the instance (for collection changes without an entity event), or null
     * @param operation the merged operation
     * @param state the newest full state, or null to read it from the instance when written
     * @param mode how the entity is captured
     */
    public record Change(EntityPersister persister, Object id, Object entity, ChangeOperation operation, Object[] state,
                         CaptureMode mode) {
    }

    /** @return the id shared by every change of this transaction */
    public String txId() {
        return txId;
    }

    void record(EntityPersister persister, Object id, Object entity, ChangeOperation op, Object[] state, CaptureMode mode) {
        RowKey key = new RowKey(persister.getEntityName(), id);
        Change earlier = changes.get(key);
        if (earlier == null) {
            changes.put(key, new Change(persister, id, entity, op, state, mode));
            return;
        }
        switch (op) {
            case DELETE -> {
                changes.remove(key);
                if (earlier.operation() != ChangeOperation.INSERT) {
                    changes.put(key, new Change(persister, id, null, ChangeOperation.DELETE, null, mode));
                }
            }
            case INSERT -> {
                // a row deleted and inserted again in one transaction: its final state replaces the old row
                changes.remove(key);
                changes.put(key, new Change(persister, id, entity, ChangeOperation.UPDATE, state, mode));
            }
            default -> changes.put(key, new Change(persister, id, entity != null ? entity : earlier.entity(),
                    earlier.operation(), state != null ? state : earlier.state(), mode));
        }
    }

    /** A collection of an entity changed: the entity's row is re-recorded with its full state. */
    void recordCollectionChange(EntityPersister persister, Object id, Object owner, CaptureMode mode) {
        RowKey key = new RowKey(persister.getEntityName(), id);
        Change earlier = changes.get(key);
        if (earlier == null) {
            changes.put(key, new Change(persister, id, owner, ChangeOperation.UPDATE, null, mode));
        } else if (earlier.entity() == null && earlier.operation() != ChangeOperation.DELETE) {
            changes.put(key, new Change(persister, id, owner, earlier.operation(), earlier.state(), mode));
        }
    }

    /** The remote already holds this transaction's changes of these entities: log them as SYNCED. */
    public void markSynced(Set<String> entityNames) {
        syncedEntities.addAll(entityNames);
    }

    /** @return true if changes of this entity are logged as SYNCED */
    boolean isSynced(String entityName) {
        return syncedEntities.contains(entityName);
    }

    /** The remote write of {@link CaptureMode#WHEN_QUEUED} entities failed: log their changes for replay. */
    public void queueRemoteWrites() {
        queueRemoteWrites = true;
    }

    /** @return the changes to write, in order */
    List<Change> toWrite() {
        List<Change> out = new ArrayList<>(changes.size());
        for (Change c : changes.values()) {
            if (c.mode() == CaptureMode.ALWAYS || (c.mode() == CaptureMode.WHEN_QUEUED && queueRemoteWrites)) {
                out.add(c);
            }
        }
        return out;
    }

    /** @return true if nothing was captured */
    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
