package io.dbcomposite.internal.capture;

/** Whether the local writes of an entity go to the sync log (decided per entity by the routing plan). */
public enum CaptureMode {
    /** Never logged: {@code sync=NONE} local entities, {@code onRemoteFail=FAIL} entities, the log itself. */
    NEVER,
    /** Always logged, PENDING unless the remote already has the change: {@code write=LOCAL, sync=BACKGROUND} and {@code write=DUAL, onRemoteFail=QUEUE}. */
    ALWAYS,
    /** Logged only when the remote write failed and is queued: the local copy of {@code write=REMOTE, onRemoteFail=QUEUE}. */
    WHEN_QUEUED;
}
