package io.dbcomposite.differential;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two {@link DatabaseImage}s table by table, row by row (by primary key), column by column, and lists every
 * difference as one line naming the table, the row's key and the column. Nothing is compared loosely: the only
 * freedom is the UUID alias ({@link #aliasing}), for two databases that generated their random ids independently.
 */
final class ImageComparison {

    private ImageComparison() {
    }

    /** No value is replaced. */
    static Map<String, String> exact() {
        return Map.of();
    }

    /**
     * The generated UUIDs of one database, each replaced by the business key of its row: the hex of {@code idColumn}
     * to {@code uuid-of(<keyColumn value>)}, read from {@code table}. Applied to every value of every table of that
     * image (join tables and foreign keys too), which is safe because a random UUID equals nothing else by chance.
     */
    static Map<String, String> aliasing(DatabaseImage image, String table, String idColumn, String keyColumn) {
        Map<String, String> out = new HashMap<>();
        DatabaseImage.Table t = image.tables.get(table);
        if (t != null) {
            t.rows().values().forEach(row -> out.put(row.get(idColumn), "uuid-of(" + row.get(keyColumn) + ")"));
        }
        return out;
    }

    /**
     * @param ignored tables left out on both sides (each caller says why)
     * @return one line per difference; empty if the two hold the same
     */
    static List<String> differences(DatabaseImage left, Map<String, String> leftAliases,
                                    DatabaseImage right, Map<String, String> rightAliases, Set<String> ignored) {
        List<String> out = new ArrayList<>();
        Set<String> names = new TreeSet<>(left.tables.keySet());
        names.addAll(right.tables.keySet());
        names.removeAll(ignored);
        for (String name : names) {
            DatabaseImage.Table a = left.tables.get(name);
            DatabaseImage.Table b = right.tables.get(name);
            if (a == null || b == null) {
                out.add("table " + name + ": only in " + (a == null ? right.description : left.description));
                continue;
            }
            if (!new TreeSet<>(a.columns()).equals(new TreeSet<>(b.columns()))) {
                out.add("table " + name + ": columns differ: " + left.description + " " + new TreeSet<>(a.columns())
                        + ", " + right.description + " " + new TreeSet<>(b.columns()));
                continue;
            }
            Map<String, Map<String, String>> rowsA = rows(a, leftAliases);
            Map<String, Map<String, String>> rowsB = rows(b, rightAliases);
            Set<String> keys = new TreeSet<>(rowsA.keySet());
            keys.addAll(rowsB.keySet());
            for (String key : keys) {
                Map<String, String> ra = rowsA.get(key);
                Map<String, String> rb = rowsB.get(key);
                if (ra == null || rb == null) {
                    out.add("table " + name + " row " + key + ": missing in " + (ra == null ? left.description : right.description)
                            + " (" + (ra == null ? right.description : left.description) + " has " + (ra == null ? rb : ra) + ")");
                    continue;
                }
                for (String column : new TreeSet<>(a.columns())) {
                    String va = ra.get(column);
                    String vb = rb.get(column);
                    if (!va.equals(vb)) {
                        out.add("table " + name + " row " + key + " column " + column + ": " + left.description + "=" + va
                                + ", " + right.description + "=" + vb);
                    }
                }
            }
        }
        return out;
    }

    /** The rows of a table, values aliased, keyed by the aliased key (ordered by the table's own key order). */
    private static Map<String, Map<String, String>> rows(DatabaseImage.Table t, Map<String, String> aliases) {
        Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
        t.rows().forEach((key, row) -> {
            Map<String, String> aliased = new java.util.TreeMap<>();
            row.forEach((c, v) -> aliased.put(c, aliases.getOrDefault(v, v)));
            List<String> values = new ArrayList<>();
            key.values().forEach(v -> values.add(aliases.getOrDefault(v, v)));
            out.put(new DatabaseImage.RowKey(key.names(), values).toString(), aliased);
        });
        return out;
    }

    /** Whether every table of the image but the ignored ones is empty; the rows found otherwise. */
    static List<String> nonEmpty(DatabaseImage image, Set<String> ignored) {
        List<String> out = new ArrayList<>();
        image.tables.forEach((name, t) -> {
            if (!ignored.contains(name) && !t.rows().isEmpty()) {
                t.rows().forEach((k, row) -> out.add("table " + name + " row " + k + ": present in " + image.description
                        + " where the routing keeps no local copy: " + row));
            }
        });
        return out;
    }
}
