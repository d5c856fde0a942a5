package io.dbcomposite;

/**
 * Where {@code persist}, {@code merge}, {@code remove} and flushes of an entity go.
 *
 * <p>{@link #DEFAULT} means "not set here": the next level of configuration decides.
 */
public enum Write {
    /** Not set at this level; the next level of configuration decides. */
    DEFAULT,
    /** Write to the local database only (the built-in default); {@link Sync} decides whether it is replayed. */
    LOCAL,
    /** Write to the remote database in the caller's unit of work; a {@link Read#LOCAL} copy is updated after the remote commit. */
    REMOTE,
    /** Write to both databases in the caller's unit of work; {@link OnRemoteFail} decides what a remote failure does. */
    DUAL
}
