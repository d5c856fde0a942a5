package io.dbcomposite;

/**
 * The configuration is wrong: an unknown {@code dbcomposite.*} key, an unknown entity name,
 * a bad value, a missing remote URL or an unreachable database. Thrown by the bootstrap,
 * before anything is written.
 */
public class CompositeConfigurationException extends CompositeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key, the entity and the valid values */
    public CompositeConfigurationException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the key, the entity and the valid values
     * @param cause the underlying failure
     */
    public CompositeConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
