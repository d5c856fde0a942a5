package io.dbcomposite.spring.boot;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Actuator endpoint {@code dbcomposite} (expose it with {@code management.endpoints.web.exposure.include}):
 * <ul>
 *   <li>{@code GET /actuator/dbcomposite}: the sync status;</li>
 *   <li>{@code GET /actuator/dbcomposite/{status}?page=0&size=50}: the changes in that status ({@code pending},
 *       {@code failed}, {@code dead}, {@code conflict}, {@code synced}, {@code discarded}), oldest first;</li>
 *   <li>{@code POST /actuator/dbcomposite/retry/{id}} and {@code POST /actuator/dbcomposite/discard/{id}}: one change,
 *       as {@link CompositeEntityManagerFactory#retry(long...)} and {@link CompositeEntityManagerFactory#discard(long...)};
 *       {@code POST /actuator/dbcomposite/sync/now} runs a sync, {@code POST /actuator/dbcomposite/retry/dead} puts
 *       every dead letter back.</li>
 * </ul>
 */
@Endpoint(id = "dbcomposite")
public class DbCompositeEndpoint {

    /** The largest page {@link #changes(String, Integer, Integer)} returns. */
    public static final int MAX_PAGE_SIZE = 500;

    private final CompositeEntityManagerFactory unit;

    /** @param unit the composite unit */
    public DbCompositeEndpoint(CompositeEntityManagerFactory unit) {
        this.unit = unit;
    }

    /** @return the sync status */
    @ReadOperation
    public Map<String, Object> status() {
        SyncStatus s = unit.getSyncStatus();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pending", s.pendingChanges());
        out.put("failed", s.failedCount());
        out.put("dead", s.deadLetterCount());
        out.put("conflicts", s.conflictCount());
        out.put("oldestPendingAt", text(s.oldestPendingAt()));
        out.put("lastSyncedAt", text(s.lastSyncedAt()));
        out.put("lastError", s.lastError());
        out.put("remoteAvailable", s.remoteAvailable());
        return out;
    }

    /**
     * @param status a {@link ChangeStatus}, any case
     * @param page the page, from 0 (default 0)
     * @param size its size, 1 to {@value #MAX_PAGE_SIZE} (default 50)
     * @return the page of changes, oldest first, and the paging
     */
    @ReadOperation
    public Map<String, Object> changes(@Selector String status, @Nullable Integer page, @Nullable Integer size) {
        ChangeStatus wanted = status(status);
        int p = page == null ? 0 : page;
        int n = size == null ? 50 : size;
        long first = (long) p * n;
        if (p < 0 || n < 1 || n > MAX_PAGE_SIZE || first > Integer.MAX_VALUE) {
            throw new InvalidEndpointRequestException("page must be 0 or more (page times size below 2^31) and size 1 to "
                    + MAX_PAGE_SIZE + " (got page "
                    + p + ", size " + n + ")", "bad paging");
        }
        try (CompositeEntityManager em = unit.createEntityManager()) {
            // a FAILED, DEAD or CONFLICT change always has an error: saying so lets SQLite read the log's partial index
            boolean withError = wanted == ChangeStatus.FAILED || wanted == ChangeStatus.DEAD || wanted == ChangeStatus.CONFLICT;
            List<SyncLogEntity> rows = em.createQuery("select c from SyncLogEntity c where c.status = :status"
                            + (withError ? " and c.lastError is not null" : "") + " order by c.id", SyncLogEntity.class)
                    .setParameter("status", wanted).setFirstResult((int) first).setMaxResults(n).getResultList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", wanted.name());
            out.put("page", p);
            out.put("size", n);
            out.put("changes", rows.stream().map(DbCompositeEndpoint::change).toList());
            return out;
        }
    }

    /**
     * @param action {@code retry} or {@code discard} (a change id), {@code retry} with {@code dead} (every dead letter),
     *        or {@code sync} with {@code now}
     * @param target the change id, {@code dead} or {@code now}
     * @return how many changes moved, or what the sync run did
     */
    @WriteOperation
    public Map<String, Object> act(@Selector String action, @Selector String target) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", action);
        out.put("target", target);
        switch (action) {
            case "retry" -> out.put("moved", "dead".equals(target) ? unit.retryDeadLetters() : unit.retry(id(target)));
            case "discard" -> out.put("moved", unit.discard(id(target)));
            case "sync" -> {
                if (!"now".equals(target)) {
                    throw new InvalidEndpointRequestException("sync takes 'now' (POST .../sync/now), not '" + target + "'",
                            "bad target");
                }
                SyncResult r = unit.sync();
                out.put("applied", r.applied());
                out.put("failed", r.failed());
            }
            default -> throw new InvalidEndpointRequestException("Unknown action '" + action
                    + "'; valid: retry/{id}, retry/dead, discard/{id}, sync/now", "unknown action");
        }
        return out;
    }

    private static long id(String target) {
        try {
            return Long.parseLong(target);
        } catch (NumberFormatException e) {
            throw new InvalidEndpointRequestException("'" + target + "' is not a change id (a whole number, the id of a"
                    + " SyncLogEntity)", "bad change id");
        }
    }

    private static ChangeStatus status(String text) {
        try {
            return ChangeStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException("Unknown change status '" + text + "'; valid: "
                    + Arrays.toString(ChangeStatus.values()).toLowerCase(Locale.ROOT), "unknown status");
        }
    }

    private static Map<String, Object> change(SyncLogEntity c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.getId());
        m.put("txId", c.getTxId());
        m.put("entityName", c.getEntityName());
        m.put("entityId", c.getEntityId());
        m.put("operation", c.getOperation().name());
        m.put("status", c.getStatus().name());
        m.put("attempts", c.getAttempts());
        m.put("nextAttemptAt", text(c.getNextAttemptAt()));
        m.put("lastError", c.getLastError());
        m.put("createdAt", text(c.getCreatedAt()));
        m.put("syncedAt", text(c.getSyncedAt()));
        m.put("payload", c.getPayload());
        m.put("remoteState", c.getRemoteState());
        return m;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
