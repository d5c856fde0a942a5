package io.dbcomposite.capture;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the same rows from both databases of a unit over JDBC, every column, in a form the two drivers agree on. */
final class SideBySide {

    private SideBySide() {
    }

    /**
     * Asserts that both databases hold exactly the same rows of {@code table} where {@code where} holds, and returns the
     * local ones (what plain Hibernate wrote).
     */
    static List<Map<String, Object>> assertSame(StandaloneUnit unit, String table, String where, String orderBy) {
        String sql = "select * from " + table + " where " + where + " order by " + orderBy;
        List<Map<String, Object>> local = normalized(SqliteFiles.rows(unit.localUrl, sql));
        List<Map<String, Object>> remote = normalized(PostgresTestDatabase.rows(unit.schema, sql));
        assertThat(remote).as("the remote's rows of %s where %s", table, where).isEqualTo(local);
        return local;
    }

    private static List<Map<String, Object>> normalized(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> n = new TreeMap<>();
            row.forEach((k, v) -> n.put(k.toLowerCase(Locale.ROOT), v instanceof Number number ? number.longValue() : v));
            out.add(n);
        }
        return out;
    }
}
