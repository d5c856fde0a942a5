package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link RoutingScenarios} on SQLITE_MARIADB. */
class SqliteMariadbRoutingTest extends RoutingScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }

}
