package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

/** {@link BatchedReplayScenarios} on SQLITE_POSTGRESQL. */
class SqlitePostgresqlBatchedReplayTest extends BatchedReplayScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }
}
