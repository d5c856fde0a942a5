package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link SyncScenarios} on H2_POSTGRESQL. */
class H2PostgresqlSyncTest extends SyncScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.H2_POSTGRESQL;
    }

}
