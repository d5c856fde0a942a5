package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** {@link CaptureScenarios} on SQLITE_POSTGRESQL. SQLite makes writers take turns: log ids ascend in commit order. */
class SqlitePostgresqlCaptureTest extends CaptureScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }

    @Override
    protected void assertOverlappingWriters(String first, String second, CompletableFuture<Void> secondWriter,
                                            CountDownLatch release) throws Exception {
        secondWriterWaitsForTheFirst(first, second, secondWriter, release);
    }
}
