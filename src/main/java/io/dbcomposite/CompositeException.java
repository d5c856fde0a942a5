package io.dbcomposite;

import jakarta.persistence.PersistenceException;

/** The root of every exception db-composite throws. */
public class CompositeException extends PersistenceException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the entity, id or setting */
    public CompositeException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the entity, id or setting
     * @param cause the underlying failure
     */
    public CompositeException(String message, Throwable cause) {
        super(message, cause);
    }
}
