package io.dbcomposite.conflict;

import io.dbcomposite.testing.DatabasePair;

/** The conflict table of {@link ConflictPolicyTest} with MariaDB as the remote. */
class SqliteMariadbConflictPolicyTest extends ConflictPolicyTest {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }
}
