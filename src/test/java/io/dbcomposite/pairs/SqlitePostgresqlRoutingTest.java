package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link RoutingScenarios} on SQLITE_POSTGRESQL. */
class SqlitePostgresqlRoutingTest extends RoutingScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }

}
