package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link SyncScenarios} on SQLITE_MARIADB. */
class SqliteMariadbSyncTest extends SyncScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }

}
