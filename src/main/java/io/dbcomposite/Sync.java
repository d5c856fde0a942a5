package io.dbcomposite;

/**
 * Whether local writes of an entity are captured into the sync log and replayed to the remote.
 *
 * <p>{@link #DEFAULT} means "not set here": the next level of configuration decides.
 */
public enum Sync {
    /** Not set at this level; the next level of configuration decides. */
    DEFAULT,
    /** Capture local writes and replay them to the remote in the background (the built-in default). */
    BACKGROUND,
    /** Never capture nor replay local writes. */
    NONE
}
