package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

/** {@link ExactValuesSuite} on a SQLite local side and a PostgreSQL remote. */
class SqlitePostgresExactValuesTest extends ExactValuesSuite {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }
}
