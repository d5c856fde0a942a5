package io.dbcomposite.internal.capture;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;

/** Whether the local writes of an entity go to the sync log. */
public enum CaptureMode {
    /** Never logged: {@code sync=NONE} local entities, {@code onRemoteFail=FAIL} entities, the log itself. */
    NEVER,
    /** Always logged, PENDING unless the remote already has the change: {@code write=LOCAL, sync=BACKGROUND} and {@code write=DUAL, onRemoteFail=QUEUE}. */
    ALWAYS,
    /** Logged only when the remote write failed and is queued: the local copy of {@code write=REMOTE, onRemoteFail=QUEUE}. */
    WHEN_QUEUED;

    /** @return the capture mode of an entity with this (fully resolved) routing */
    public static CaptureMode of(Routing r) {
        if (r.write() == Write.LOCAL) {
            return r.sync() == Sync.BACKGROUND ? ALWAYS : NEVER;
        }
        if (r.onRemoteFail() == OnRemoteFail.FAIL) {
            return NEVER;
        }
        if (r.write() == Write.DUAL) {
            return ALWAYS;
        }
        return r.read() == Read.LOCAL ? WHEN_QUEUED : NEVER;
    }
}
