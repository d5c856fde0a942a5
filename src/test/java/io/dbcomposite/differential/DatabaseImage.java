package io.dbcomposite.differential;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every table of one database read over plain JDBC (no Hibernate in between), each value turned into a canonical
 * string so that the same data reads the same from SQLite and from PostgreSQL. The canonical forms, and why each one
 * is needed (nothing else is changed; in particular text, integers and the presence of rows are compared as stored):
 * <ul>
 *   <li><b>booleans</b>: SQLite has no boolean storage class and keeps {@code 0}/{@code 1} in a column declared
 *       {@code boolean}; PostgreSQL has {@code bool}. Both become {@code true}/{@code false}; a SQLite value other than
 *       0 or 1 stays as it is (and so differs).</li>
 *   <li><b>decimals</b>: a SQLite {@code numeric(p,s)} column stores a REAL or INTEGER (scale not kept), PostgreSQL pads
 *       to the column's scale. Both become the number without trailing zeros ({@code 12.500} and {@code 12.5} read
 *       {@code 12.5}); any difference in value still shows.</li>
 *   <li><b>timestamps</b>: SQLite keeps them as text ({@code yyyy-MM-dd HH:mm:ss.SSS}, UTC, as the unit configures it)
 *       or, if written as a number, epoch milliseconds; PostgreSQL as {@code timestamp}/{@code timestamptz}. Both become
 *       {@code yyyy-MM-dd HH:mm:ss.fffffffff} in UTC with all nine fraction digits, so a one-millisecond or even
 *       one-nanosecond difference shows.</li>
 *   <li><b>dates</b>: text or epoch milliseconds on SQLite, {@code date} on PostgreSQL; both {@code yyyy-MM-dd}.</li>
 *   <li><b>integers</b>: SQLite returns {@code Integer} or {@code Long} by size, PostgreSQL by column width
 *       ({@code int2/int4/int8}); all become their decimal digits.</li>
 *   <li><b>binary</b> ({@code blob}, {@code bytea}, {@code uuid}, and PostgreSQL large objects behind an {@code oid}
 *       column, read through {@link Blob}): lower-case hex of the bytes. A UUID is 16 bytes on SQLite and a
 *       {@code uuid} on PostgreSQL: both are the hex of its 16 bytes.</li>
 *   <li><b>text large objects</b>: a PostgreSQL {@code oid} column whose SQLite twin holds text is read as UTF-8 text
 *       (see {@link #textLobColumns}).</li>
 *   <li>{@code null} is {@code <null>}, never confused with the text "null".</li>
 * </ul>
 * Rows are keyed by their primary key (in key order, numbers as numbers); a table without one is keyed by the whole
 * row with a running number for duplicates, so a duplicated row shows.
 */
final class DatabaseImage {

    static final String NULL = "<null>";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS", Locale.ROOT);

    /** One table: its columns and its rows by key. */
    record Table(String name, List<String> columns, List<String> key, TreeMap<RowKey, Map<String, String>> rows) {
    }

    /** A row's key: the canonical values of the key columns, compared as numbers where both are numbers. */
    record RowKey(List<String> names, List<String> values) implements Comparable<RowKey> {
        @Override
        public int compareTo(RowKey o) {
            for (int i = 0; i < Math.min(values.size(), o.values.size()); i++) {
                String a = values.get(i);
                String b = o.values.get(i);
                int c;
                if (a.matches("-?\\d{1,18}") && b.matches("-?\\d{1,18}")) {
                    c = Long.compare(Long.parseLong(a), Long.parseLong(b));
                } else {
                    c = a.compareTo(b);
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(values.size(), o.values.size());
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                parts.add(names.get(i) + "=" + values.get(i));
            }
            return "{" + String.join(", ", parts) + "}";
        }
    }

    final String description;
    final Map<String, Table> tables;

    private DatabaseImage(String description, Map<String, Table> tables) {
        this.description = description;
        this.tables = Collections.unmodifiableMap(tables);
    }

    /**
     * Columns that hold text large objects: on PostgreSQL Hibernate maps a {@code @Lob String} to an {@code oid}, a
     * reference to a large object whose bytes are the text in UTF-8. Named here (table.column) because the column's
     * type alone cannot tell text from binary.
     */
    static final Set<String> textLobColumns = Set.of("journal.editorial");

    /** Every table of a SQLite file but SQLite's own. */
    static DatabaseImage ofSqlite(String description, String url) {
        try (Connection c = SqliteFiles.connect(url)) {
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select name from sqlite_master where type = 'table' and name not like 'sqlite%' order by name")) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            Map<String, Table> tables = new TreeMap<>();
            for (String name : names) {
                Map<String, String> types = new LinkedHashMap<>();
                TreeMap<Integer, String> pk = new TreeMap<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("pragma table_info('" + name + "')")) {
                    while (rs.next()) {
                        String column = rs.getString("name").toLowerCase(Locale.ROOT);
                        types.put(column, rs.getString("type").toLowerCase(Locale.ROOT));
                        if (rs.getInt("pk") > 0) {
                            pk.put(rs.getInt("pk"), column);
                        }
                    }
                }
                tables.put(name, read(c, name, "select * from " + name, new ArrayList<>(pk.values()),
                        (rs, i, column) -> sqliteValue(rs.getObject(i), types.get(column))));
            }
            return new DatabaseImage(description, tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + description, e);
        }
    }

    /** Every table of a PostgreSQL schema. */
    static DatabaseImage ofPostgres(String description, String schema) {
        try (Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(schema))) {
            c.setAutoCommit(false); // large objects are read inside a transaction
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select table_name from information_schema.tables where table_schema = ?"
                    + " and table_type = 'BASE TABLE' order by table_name")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            Map<String, Table> tables = new TreeMap<>();
            for (String name : names) {
                List<String> pk = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select k.column_name from information_schema.table_constraints t"
                        + " join information_schema.key_column_usage k on k.constraint_name = t.constraint_name"
                        + " and k.table_schema = t.table_schema and k.table_name = t.table_name"
                        + " where t.constraint_type = 'PRIMARY KEY' and t.table_schema = ? and t.table_name = ? order by k.ordinal_position")) {
                    ps.setString(1, schema);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            pk.add(rs.getString(1));
                        }
                    }
                }
                tables.put(name, read(c, name, "select * from \"" + schema + "\"." + name, pk,
                        (rs, i, column) -> postgresValue(rs, i, name + "." + column)));
            }
            c.rollback();
            return new DatabaseImage(description, tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + description, e);
        }
    }

    private interface ValueReader {
        String read(ResultSet rs, int index, String column) throws SQLException;
    }

    private static Table read(Connection c, String name, String sql, List<String> pk, ValueReader reader) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            // without a primary key the whole row is the key; key columns in name order, as the two databases may
            // order a table's columns (and a composite key's columns) differently
            List<String> key = (pk.isEmpty() ? columns : pk).stream().sorted().toList();
            TreeMap<RowKey, Map<String, String>> rows = new TreeMap<>();
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.put(columns.get(i - 1), reader.read(rs, i, columns.get(i - 1)));
                }
                List<String> values = new ArrayList<>();
                key.forEach(k -> values.add(row.get(k)));
                RowKey rowKey = new RowKey(key, values);
                if (pk.isEmpty()) {
                    // no key: identical rows are told apart by a running number, so a duplicate shows
                    List<String> names = new ArrayList<>(key);
                    names.add("#");
                    int n = 1;
                    do {
                        List<String> numbered = new ArrayList<>(values);
                        numbered.add(String.valueOf(n++));
                        rowKey = new RowKey(names, numbered);
                    } while (rows.containsKey(rowKey));
                }
                rows.put(rowKey, row);
            }
            return new Table(name, columns, key, rows);
        }
    }

    static String sqliteValue(Object raw, String declared) {
        if (raw == null) {
            return NULL;
        }
        String type = declared == null ? "" : declared;
        if (type.contains("bool") && raw instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) {
            return String.valueOf(n.longValue() == 1);
        }
        if (type.startsWith("timestamp") || type.startsWith("datetime")) {
            if (raw instanceof Number millis) {
                return TIMESTAMP.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis.longValue(), 1000),
                        (int) Math.floorMod(millis.longValue(), 1000) * 1_000_000, ZoneOffset.UTC));
            }
            return timestampText(raw.toString());
        }
        if (type.equals("date")) {
            if (raw instanceof Number millis) {
                return LocalDate.ofEpochDay(Math.floorDiv(millis.longValue(), 86_400_000L)).toString();
            }
            return raw.toString().length() >= 10 ? LocalDate.parse(raw.toString().substring(0, 10)).toString() : raw.toString();
        }
        if (type.startsWith("numeric") || type.startsWith("decimal")) {
            if (raw instanceof Number n) {
                return decimal(n instanceof Double || n instanceof Float ? new BigDecimal(n.toString()) : new BigDecimal(n.toString()));
            }
        }
        if (raw instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return raw.toString();
    }

    static String postgresValue(ResultSet rs, int i, String column) throws SQLException {
        String type = rs.getMetaData().getColumnTypeName(i).toLowerCase(Locale.ROOT);
        switch (type) {
            case "timestamptz": {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                return t == null ? NULL : TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            }
            case "timestamp": {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                return t == null ? NULL : TIMESTAMP.format(t);
            }
            case "date": {
                LocalDate d = rs.getObject(i, LocalDate.class);
                return d == null ? NULL : d.toString();
            }
            case "oid": {
                long oid = rs.getLong(i);
                if (rs.wasNull()) {
                    return NULL;
                }
                Blob blob = rs.getBlob(i);
                byte[] bytes = blob.getBytes(1, (int) blob.length());
                return textLobColumns.contains(column) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        : HexFormat.of().formatHex(bytes);
            }
            case "uuid": {
                java.util.UUID u = rs.getObject(i, java.util.UUID.class);
                if (u == null) {
                    return NULL;
                }
                return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                        .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
            }
            default:
                Object raw = rs.getObject(i);
                if (raw == null) {
                    return NULL;
                }
                if (raw instanceof BigDecimal d) {
                    return decimal(d);
                }
                if (raw instanceof byte[] bytes) {
                    return HexFormat.of().formatHex(bytes);
                }
                return raw.toString();
        }
    }

    private static String decimal(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String timestampText(String text) {
        String t = text.trim().replace('T', ' ');
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return TIMESTAMP.format(LocalDateTime.parse(t.replace(' ', 'T')));
        } catch (RuntimeException e) {
            return text; // not a timestamp we know how to read: compared as stored
        }
    }
}
