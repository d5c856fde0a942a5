package io.dbcomposite;

/**
 * A write routed to the remote failed and the entity's {@link OnRemoteFail} is {@code FAIL}:
 * nothing of the transaction was written, neither remotely nor locally.
 */
public class RemoteWriteException extends CompositeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the entities of the transaction
     * @param cause the remote failure
     */
    public RemoteWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
