package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;

/** {@link BatchedReplayScenarios} on SQLITE_MARIADB. */
class SqliteMariadbBatchedReplayTest extends BatchedReplayScenarios {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }

    /**
     * Hibernate never batches the insert of an entity whose id is IDENTITY, and on MariaDB the replay of an insert of such
     * an entity with a {@code @Version} is that insert (the row read as missing): one statement a row, where Hibernate's
     * upsert sent two (an update that matches nothing, then the insert)
     */
    @Override
    protected long insertStatements(int rows) {
        return rows + 10;
    }
}
