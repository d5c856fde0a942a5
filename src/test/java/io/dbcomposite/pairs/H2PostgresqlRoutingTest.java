package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;


/** {@link RoutingScenarios} on H2_POSTGRESQL. */
class H2PostgresqlRoutingTest extends RoutingScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.H2_POSTGRESQL;
    }

}
