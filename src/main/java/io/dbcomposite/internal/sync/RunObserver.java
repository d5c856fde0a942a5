package io.dbcomposite.internal.sync;

import io.dbcomposite.SyncResult;

/** A listener of the library's own (the metrics) that also hears each sync run's result. */
public interface RunObserver {

    /** @param result what a sync run (the job's or {@code sync()}'s) did, its duration included */
    void ran(SyncResult result);
}
