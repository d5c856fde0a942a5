package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link SyncScenarios} on SQLITE_POSTGRESQL. */
class SqlitePostgresqlSyncTest extends SyncScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }

}
