package io.dbcomposite.pairs;

import io.dbcomposite.testing.PostgresTestDatabase;

import java.util.Map;

/** The PostgreSQL remote of a database pair: a schema of its own per test. */
final class PostgresRemote {

    private String schema;

    void create(String prefix) {
        schema = PostgresTestDatabase.createSchema(prefix);
    }

    void drop() {
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
            schema = null;
        }
    }

    String url() {
        return PostgresTestDatabase.urlFor(schema);
    }

    /** A large-object column ({@code oid}) is read through {@code lo_get}, a text or bytea one as it is. */
    String lob(String table, String column, boolean text) {
        Map<String, Object> type = PostgresTestDatabase.rows(schema, "select udt_name from information_schema.columns"
                + " where table_schema = ? and table_name = ? and column_name = ?", schema, table.toLowerCase(),
                column.toLowerCase()).get(0);
        if (!"oid".equals(type.get("udt_name"))) {
            return column;
        }
        return text ? "convert_from(lo_get(" + column + "), 'UTF8')" : "lo_get(" + column + ")";
    }
}
