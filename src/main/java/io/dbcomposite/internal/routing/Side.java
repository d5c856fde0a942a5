package io.dbcomposite.internal.routing;

/** One of the two databases of a composite unit. */
public enum Side {
    /** The local database (SQLite by default). */
    LOCAL,
    /** The remote database (PostgreSQL). */
    REMOTE;

    /** @return the other side */
    public Side other() {
        return this == LOCAL ? REMOTE : LOCAL;
    }

    /** @return "local" or "remote", for messages */
    public String label() {
        return this == LOCAL ? "local" : "remote";
    }
}
