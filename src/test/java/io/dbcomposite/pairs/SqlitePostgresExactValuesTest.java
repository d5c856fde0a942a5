package io.dbcomposite.pairs;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;

import java.nio.file.Path;

/** {@link ExactValuesSuite} on a SQLite local side and a PostgreSQL remote. */
class SqlitePostgresExactValuesTest extends ExactValuesSuite {

    private final PostgresRemote remote = new PostgresRemote();

    @Override
    protected String localUrl(Path dir) {
        return SqliteFiles.urlIn(dir, "local.db");
    }

    @Override
    protected String localUser() {
        return null;
    }

    @Override
    protected String localPassword() {
        return null;
    }

    @Override
    protected void createRemote() {
        remote.create("SqlitePostgresExact");
    }

    @Override
    protected void dropRemote() {
        remote.drop();
    }

    @Override
    protected String remoteUrl() {
        return remote.url();
    }

    @Override
    protected String remoteUser() {
        return PostgresTestDatabase.user();
    }

    @Override
    protected String remotePassword() {
        return PostgresTestDatabase.password();
    }

    @Override
    protected boolean localKeepsNegativeZero() {
        return false;
    }

    @Override
    protected String remoteLob(String table, String column, boolean text) {
        return remote.lob(table, column, text);
    }
}
