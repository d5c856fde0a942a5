package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** {@link CaptureScenarios} on H2_POSTGRESQL. H2 does not make writers take turns: log ids need not commit in id order. */
class H2PostgresqlCaptureTest extends CaptureScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.H2_POSTGRESQL;
    }

    @Override
    protected void assertOverlappingWriters(String first, String second, CompletableFuture<Void> secondWriter,
                                            CountDownLatch release) throws Exception {
        secondWriterCommitsFirst(first, second, secondWriter, release);
    }
}
