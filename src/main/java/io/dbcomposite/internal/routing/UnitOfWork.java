package io.dbcomposite.internal.routing;

import io.dbcomposite.ChangeOperation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one composite entity manager's flushes left to do on the other side: pending writes per target
 * side, one per entity row, in an order that keeps foreign keys valid.
 */
final class UnitOfWork {

    private final Map<Side, LinkedHashMap<RowKey, PendingWrite>> pending = new EnumMap<>(Side.class);
    private final Set<String> remoteEntities = new LinkedHashSet<>();

    private record RowKey(String entityName, Object id) {
    }

    UnitOfWork() {
        pending.put(Side.LOCAL, new LinkedHashMap<>());
        pending.put(Side.REMOTE, new LinkedHashMap<>());
    }

    void record(Side target, PendingWrite write) {
        LinkedHashMap<RowKey, PendingWrite> writes = pending.get(target);
        RowKey key = new RowKey(write.entityName(), write.id());
        PendingWrite earlier = writes.get(key);
        if (write.operation() == ChangeOperation.DELETE) {
            // a delete goes after the deletes of rows that point at this one, which come first in flush order
            writes.remove(key);
            writes.put(key, write);
        } else if (earlier != null) {
            // keep the first position (parents before children) and the first known previous version
            Object previous = earlier.operation() == ChangeOperation.DELETE ? write.previousVersion() : earlier.previousVersion();
            ChangeOperation op = earlier.operation() == ChangeOperation.INSERT ? ChangeOperation.INSERT : write.operation();
            writes.put(key, new PendingWrite(write.entityName(), write.id(), op, write.state(), previous));
        } else {
            writes.put(key, write);
        }
        if (target == Side.REMOTE) {
            remoteEntities.add(write.entityName());
        }
    }

    /** Notes an entity written on the remote side directly, for the failure policy at commit. */
    void touchedRemote(String entityName) {
        remoteEntities.add(entityName);
    }

    boolean hasPending(Side target) {
        return !pending.get(target).isEmpty();
    }

    /** @return the pending writes for a side, removing them */
    List<PendingWrite> drain(Side target) {
        LinkedHashMap<RowKey, PendingWrite> writes = pending.get(target);
        List<PendingWrite> out = new ArrayList<>(writes.values());
        writes.clear();
        return out;
    }

    /** @return the entities written to the remote in this transaction */
    Set<String> remoteEntities() {
        return remoteEntities;
    }

    void clear() {
        pending.values().forEach(Map::clear);
        remoteEntities.clear();
    }
}
