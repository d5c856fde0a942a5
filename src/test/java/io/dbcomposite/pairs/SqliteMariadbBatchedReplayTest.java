package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

/** {@link BatchedReplayScenarios} on SQLITE_MARIADB. */
class SqliteMariadbBatchedReplayTest extends BatchedReplayScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }
}
