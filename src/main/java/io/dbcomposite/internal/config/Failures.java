package io.dbcomposite.internal.config;

/** What a failure says, for messages, logs and {@code lastError}: its deepest message, without credentials. */
public final class Failures {

    private Failures() {
    }

    /** @return the deepest non-null message in the cause chain (or the class name), credentials removed */
    public static String rootMessage(Throwable e) {
        Throwable named = deepest(e);
        return ConnectionSpec.redact(named.getMessage() == null ? named.getClass().getSimpleName() : named.getMessage());
    }

    /** @return "ExceptionClass: message" of the deepest cause that has a message, credentials removed */
    public static String describe(Throwable e) {
        Throwable named = deepest(e);
        return ConnectionSpec.redact(named.getClass().getSimpleName() + ": "
                + (named.getMessage() == null ? "(no message)" : named.getMessage()));
    }

    private static Throwable deepest(Throwable e) {
        Throwable named = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                named = t;
            }
        }
        return named;
    }
}
