package io.dbcomposite;

/**
 * Where {@code find}, queries and lazy loads of an entity go.
 *
 * <p>{@link #DEFAULT} means "not set here": the next level of configuration decides
 * (per-entity settings, then {@link CompositeRouting}, then the configured defaults, then {@link #LOCAL}).
 */
public enum Read {
    /** Not set at this level; the next level of configuration decides. */
    DEFAULT,
    /** Read from the local database (the built-in default). */
    LOCAL,
    /** Read from the remote database. */
    REMOTE
}
