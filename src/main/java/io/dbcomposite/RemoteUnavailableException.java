package io.dbcomposite;

import java.time.Instant;

/**
 * The remote database cannot be reached: an operation that needs it (a {@code read=REMOTE} find or query,
 * {@link CompositeEntityManagerFactory#sync()}, or, as the cause of a {@link RemoteWriteException}, a
 * {@code FAIL} write) gave up within {@code dbcomposite.remote.connect-timeout}, or at once while the remote
 * is known to be down. Nothing was written and no change of the sync log used an attempt.
 */
public class RemoteUnavailableException extends CompositeException {
    private static final long serialVersionUID = 1L;

    private final transient Instant downSince;

    /**
     * @param message what could not be done, naming the remote without credentials
     * @param downSince when the remote was first found unreachable in this outage, or null if unknown
     * @param cause the connection failure, or null when the remote was already known to be down
     */
    public RemoteUnavailableException(String message, Instant downSince, Throwable cause) {
        super(message, cause);
        this.downSince = downSince;
    }

    /** @return when the remote was first found unreachable in this outage, or null if unknown */
    public Instant downSince() {
        return downSince;
    }
}
