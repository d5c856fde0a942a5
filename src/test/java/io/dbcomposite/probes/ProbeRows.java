package io.dbcomposite.probes;

import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes' comparison of a table on both sides, straight over JDBC: every row, every column, as text both databases
 * agree on (numbers without trailing zeros, booleans as 0/1, bytes as hex), sorted; the local rows must be the remote's.
 */
final class ProbeRows {

    private ProbeRows() {
    }

    /** Replays the whole log and asserts that nothing failed and nothing is left pending. */
    static void syncAll(StandaloneUnit unit) {
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
    }

    /** {@link #syncAll}, then asserts that every one of {@code tables} holds the same rows on both sides. */
    static void syncAndCompare(StandaloneUnit unit, String... tables) {
        syncAll(unit);
        for (String table : tables) {
            assertSameRows(unit, table, 0);
        }
    }

    /** @return the first {@code CompositeException} in {@code e}'s causes (an assertion error if there is none) */
    static io.dbcomposite.CompositeException compositeIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.dbcomposite.CompositeException c) {
                return c;
            }
        }
        throw new AssertionError("no CompositeException in " + e, e);
    }

    /** Asserts that {@code table} holds the same rows on both sides (and at least {@code atLeast} of them). */
    static void assertSameRows(StandaloneUnit unit, String table, int atLeast) {
        List<String> local = texts(SqliteFiles.rows(unit.localUrl, "select * from " + table));
        List<String> remote = texts(unit.pair.remoteRows(unit.schema, "select * from " + table));
        assertThat(remote).as("remote rows of %s (local: %s)", table, local).containsExactlyElementsOf(local);
        assertThat(local).as("rows of %s", table).hasSizeGreaterThanOrEqualTo(atLeast);
    }

    /** @return the rows of {@code table} on the local side, as compared */
    static List<String> localRows(StandaloneUnit unit, String table) {
        return texts(SqliteFiles.rows(unit.localUrl, "select * from " + table));
    }

    static List<String> texts(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, String> sorted = new TreeMap<>();
            row.forEach((k, v) -> sorted.put(k.toLowerCase(Locale.ROOT), text(v)));
            out.add(sorted.toString());
        }
        out.sort(null);
        return out;
    }

    private static String text(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return v.toString();
    }
}
