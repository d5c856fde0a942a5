package io.dbcomposite;

/**
 * An operation cannot be routed: a query whose roots are read from different databases,
 * a bulk mutation that would bypass the sync log, or an object that is not a mapped entity.
 */
public class CompositeRoutingException extends CompositeException {
    private static final long serialVersionUID = 1L;

    /** @param message what cannot be routed and why, naming the entities */
    public CompositeRoutingException(String message) {
        super(message);
    }
}
