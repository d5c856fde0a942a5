package io.dbcomposite;

/**
 * What a failing remote write does to the caller of {@code commit()}.
 *
 * <p>{@link #DEFAULT} means "not set here": the next level of configuration decides.
 */
public enum OnRemoteFail {
    /** Not set at this level; the next level of configuration decides. */
    DEFAULT,
    /** Keep the change in the local sync log for the background job; the caller's commit succeeds (the built-in default). */
    QUEUE,
    /** Throw {@link RemoteWriteException}; nothing is written anywhere. */
    FAIL
}
