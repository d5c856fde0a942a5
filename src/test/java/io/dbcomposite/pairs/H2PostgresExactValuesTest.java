package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

/** {@link ExactValuesSuite} on an H2 local side (a file) and a PostgreSQL remote. */
class H2PostgresExactValuesTest extends ExactValuesSuite {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.H2_POSTGRESQL;
    }
}
