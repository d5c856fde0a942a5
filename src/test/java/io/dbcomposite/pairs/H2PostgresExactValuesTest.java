package io.dbcomposite.pairs;

import io.dbcomposite.testing.PostgresTestDatabase;

import java.nio.file.Path;

/** {@link ExactValuesSuite} on an H2 local side (a file) and a PostgreSQL remote. */
class H2PostgresExactValuesTest extends ExactValuesSuite {

    private final PostgresRemote remote = new PostgresRemote();

    @Override
    protected String localUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("local");
    }

    @Override
    protected String localUser() {
        return "sa";
    }

    @Override
    protected String localPassword() {
        return "";
    }

    @Override
    protected void createRemote() {
        remote.create("H2PostgresExact");
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
        return false; // H2 reads -0.0 back as 0.0
    }

    @Override
    protected String remoteLob(String table, String column, boolean text) {
        return remote.lob(table, column, text);
    }
}
