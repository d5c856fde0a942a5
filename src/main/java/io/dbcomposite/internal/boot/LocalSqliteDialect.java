package io.dbcomposite.internal.boot;

import org.hibernate.JDBCException;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.SqlStringGenerationContext;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.dialect.DatabaseVersion;
import org.hibernate.dialect.unique.CreateTableUniqueDelegate;
import org.hibernate.dialect.unique.UniqueDelegate;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.ConstraintViolationException.ConstraintKind;
import org.hibernate.exception.spi.SQLExceptionConversionDelegate;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.ForeignKey;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.UniqueKey;
import org.hibernate.tool.schema.internal.StandardTableExporter;
import org.hibernate.tool.schema.spi.Exporter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The local side's SQLite dialect: Hibernate's community dialect, made to enforce the mapping's constraints as the
 * remote does.
 *
 * <ul>
 *   <li>Foreign keys are declared inline in {@code create table} (SQLite has no {@code alter table add constraint},
 *       so the community dialect declares none). The connections have {@code foreign_keys} on, so a dangling
 *       reference fails the statement at once, like PostgreSQL's non-deferrable keys. Only keys whose two ends
 *       live locally are declared ({@link LocalConstraints}).</li>
 *   <li>Unique keys over several columns (and named ones) are declared inline too; the community dialect declares
 *       only single-column ones.</li>
 *   <li>Tables are dropped with {@code foreign_keys} off for the one statement, since SQLite's implicit
 *       {@code delete} of a dropped table checks the keys that reference it; a truncation runs with them off.</li>
 *   <li>A constraint SQLite refuses is Hibernate's {@link ConstraintViolationException} (with its kind), naming the
 *       constraint and the entity, not a {@code GenericJDBCException}.</li>
 * </ul>
 */
public class LocalSqliteDialect extends SQLiteDialect {

    private static final Pattern SQLITE_MESSAGE = Pattern.compile("^\\[(SQLITE_CONSTRAINT\\w*)][^(]*\\((.*)\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern STATEMENT = Pattern.compile(
            "^\\s*(?:/\\*.*?\\*/\\s*)*(insert\\s+(?:or\\s+\\w+\\s+)?into|update|delete\\s+from)\\s+([\\w.\"`\\[\\]]+)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final UniqueDelegate uniqueDelegate = new InlineUniqueDelegate(this);
    private final Exporter<Table> tableExporter = new InlineKeysTableExporter(this);
    private volatile LocalConstraints constraints;

    public LocalSqliteDialect() {
        super();
    }

    public LocalSqliteDialect(DatabaseVersion version) {
        super(version);
    }

    public LocalSqliteDialect(DialectResolutionInfo info) {
        super(info);
    }

    /** Gives the dialect the mapping's constraints, before schema management runs. */
    void constraints(LocalConstraints constraints) {
        this.constraints = constraints;
    }

    /** @return the constraints given, or null */
    LocalConstraints constraints() {
        return constraints;
    }

    @Override
    public UniqueDelegate getUniqueDelegate() {
        return uniqueDelegate;
    }

    @Override
    public Exporter<Table> getTableExporter() {
        return tableExporter;
    }

    /** SQLite has no {@code truncate}: the community dialect's statement fails, so a truncation emptied nothing. */
    @Override
    public String getTruncateTableStatement(String tableName) {
        return "delete from " + tableName;
    }

    /** Around a truncation ({@code SchemaManager.truncate()}): tables are emptied in any order. */
    @Override
    public String getDisableConstraintsStatement() {
        return "pragma foreign_keys = off";
    }

    @Override
    public String getEnableConstraintsStatement() {
        return "pragma foreign_keys = on";
    }

    @Override
    public SQLExceptionConversionDelegate buildSQLExceptionConversionDelegate() {
        SQLExceptionConversionDelegate base = super.buildSQLExceptionConversionDelegate();
        return (sqlException, message, sql) -> {
            JDBCException violation = violation(sqlException, message, sql);
            return violation != null ? violation : base.convert(sqlException, message, sql);
        };
    }

    // ---- constraint violations ------------------------------------------------------------------------------

    private ConstraintViolationException violation(SQLException e, String message, String sql) {
        if ((e.getErrorCode() & 0xFF) != 19 || e.getMessage() == null) {
            return null;
        }
        Matcher m = SQLITE_MESSAGE.matcher(e.getMessage());
        String code = m.matches() ? m.group(1) : "SQLITE_CONSTRAINT";
        String detail = m.matches() ? m.group(2) : e.getMessage();
        Statement statement = Statement.of(sql);
        LocalConstraints known = constraints;
        return switch (code) {
            case "SQLITE_CONSTRAINT_FOREIGNKEY" -> foreignKey(e, message, sql, statement, known);
            case "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY" -> unique(e, message, sql, detail,
                    code.endsWith("PRIMARYKEY"), known);
            case "SQLITE_CONSTRAINT_NOTNULL" -> {
                String column = after(detail, "NOT NULL constraint failed: ");
                yield new ConstraintViolationException(message + "; not null constraint " + column
                        + entityOf(tableOf(column), known) + " refused a null", e, sql, ConstraintKind.NOT_NULL, column);
            }
            case "SQLITE_CONSTRAINT_CHECK" -> {
                String name = after(detail, "CHECK constraint failed: ");
                yield new ConstraintViolationException(message + "; check constraint " + name
                        + (statement == null ? "" : entityOf(statement.table, known)) + " refused the row", e, sql,
                        ConstraintKind.CHECK, name);
            }
            default -> new ConstraintViolationException(message, e, sql, ConstraintKind.OTHER, null);
        };
    }

    private static ConstraintViolationException foreignKey(SQLException e, String message, String sql, Statement statement,
            LocalConstraints known) {
        if (statement == null || known == null) {
            return new ConstraintViolationException(message + "; a foreign key refused the statement", e, sql,
                    ConstraintKind.FOREIGN_KEY, null);
        }
        List<LocalConstraints.Key> candidates;
        String what;
        if (statement.delete) {
            candidates = known.keysTo(statement.table);
            what = "a row of " + statement.table + entityOf(statement.table, known)
                    + " is still referenced by";
        } else {
            candidates = known.keysOf(statement.table);
            what = "a row of " + statement.table + entityOf(statement.table, known)
                    + " references a row that does not exist through";
        }
        // an update of a referenced key can fail either way; name both sides' keys then
        if (!statement.delete && !statement.insert) {
            List<LocalConstraints.Key> both = new ArrayList<>(candidates);
            both.addAll(known.keysTo(statement.table));
            candidates = both;
            what = "a row of " + statement.table + entityOf(statement.table, known)
                    + " references a missing row, or is referenced, through";
        }
        String name = candidates.size() == 1 ? candidates.get(0).name() : null;
        String keys = candidates.isEmpty() ? "a foreign key"
                : (candidates.size() == 1 ? "foreign key " : "one of the foreign keys ")
                        + candidates.stream().map(LocalConstraints.Key::describe).collect(Collectors.joining(", "));
        return new ConstraintViolationException(message + "; foreign key constraint failed: " + what + " " + keys, e,
                sql, ConstraintKind.FOREIGN_KEY, name);
    }

    private static ConstraintViolationException unique(SQLException e, String message, String sql, String detail,
            boolean primaryKey, LocalConstraints known) {
        // "UNIQUE constraint failed: Table.a, Table.b"
        String columns = after(detail, "constraint failed: ");
        String[] parts = columns.split(",\\s*");
        String table = tableOf(parts[0]);
        List<String> names = Arrays.stream(parts).map(p -> p.substring(p.lastIndexOf('.') + 1)).toList();
        String name = null;
        if (!primaryKey && known != null && table != null) {
            for (UniqueKey uk : known.uniqueKeysOf(table)) {
                List<String> ukColumns = uk.getColumns().stream().map(Column::getName).toList();
                if (ukColumns.size() == names.size() && ukColumns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList()
                        .containsAll(names.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList())) {
                    name = uk.getName();
                    break;
                }
            }
        }
        if (name == null) {
            name = primaryKey ? "primary key of " + table : columns;
        }
        return new ConstraintViolationException(message + "; " + (primaryKey ? "primary key " : "unique constraint ")
                + name + " (" + columns + ")" + entityOf(table, known) + " refused a duplicate value", e, sql,
                ConstraintKind.UNIQUE, name);
    }

    private static String entityOf(String table, LocalConstraints known) {
        String owner = known == null || table == null ? null : known.ownerOf(table);
        return owner == null ? "" : " of entity " + owner;
    }

    private static String tableOf(String qualifiedColumn) {
        int dot = qualifiedColumn.lastIndexOf('.');
        return dot < 0 ? null : qualifiedColumn.substring(0, dot);
    }

    private static String after(String text, String marker) {
        int at = text.indexOf(marker);
        return at < 0 ? text : text.substring(at + marker.length()).trim();
    }

    /** The table and kind of a DML statement Hibernate ran. */
    private record Statement(String table, boolean insert, boolean delete) {
        static Statement of(String sql) {
            if (sql == null) {
                return null;
            }
            Matcher m = STATEMENT.matcher(sql);
            if (!m.find()) {
                return null;
            }
            String verb = m.group(1).toLowerCase(Locale.ROOT);
            String table = m.group(2).replace("\"", "").replace("`", "").replace("[", "").replace("]", "");
            return new Statement(table, verb.startsWith("insert"), verb.startsWith("delete"));
        }
    }

    // ---- DDL ------------------------------------------------------------------------------------------------

    /**
     * Unique keys in {@code create table}, also when {@code hbm2ddl=update} creates a table; never by
     * {@code alter table}, which SQLite does not have for constraints.
     */
    private static final class InlineUniqueDelegate extends CreateTableUniqueDelegate {
        InlineUniqueDelegate(LocalSqliteDialect dialect) {
            super(dialect);
        }

        @Override
        public String getColumnDefinitionUniquenessFragment(Column column, SqlStringGenerationContext context) {
            return column.isUnique() ? " unique" : "";
        }

        @Override
        public String getTableCreationUniqueConstraintsFragment(Table table, SqlStringGenerationContext context) {
            StringBuilder fragment = new StringBuilder();
            for (UniqueKey uniqueKey : table.getUniqueKeys().values()) {
                if (!singleUniqueColumn(table, uniqueKey)) {
                    appendUniqueConstraint(fragment, uniqueKey);
                }
            }
            return fragment.toString();
        }

        private static boolean singleUniqueColumn(Table table, UniqueKey uniqueKey) {
            if (uniqueKey.getColumns().size() != 1) {
                return false;
            }
            Column c = uniqueKey.getColumn(0);
            if (c.isUnique()) {
                return true;
            }
            Column real = table.getColumn(c);
            return real != null && real.isUnique();
        }

        @Override
        public String getAlterTableToAddUniqueKeyCommand(UniqueKey uniqueKey, Metadata metadata,
                SqlStringGenerationContext context) {
            return "";
        }

        @Override
        public String getAlterTableToDropUniqueKeyCommand(UniqueKey uniqueKey, Metadata metadata,
                SqlStringGenerationContext context) {
            return "";
        }
    }

    /** {@code create table} with the foreign keys inline; {@code drop table} with the keys off for that statement. */
    private static final class InlineKeysTableExporter extends StandardTableExporter {
        private final LocalSqliteDialect dialect;
        private final ThreadLocal<Metadata> creating = new ThreadLocal<>();

        InlineKeysTableExporter(LocalSqliteDialect dialect) {
            super(dialect);
            this.dialect = dialect;
        }

        @Override
        public String[] getSqlCreateStrings(Table table, Metadata metadata, SqlStringGenerationContext context) {
            if (dialect.constraints == null) {
                // used outside a composite unit (a plain factory on this dialect): every key of the mapping is local
                dialect.constraints = LocalConstraints.of(metadata, entity -> true);
            }
            creating.set(metadata);
            try {
                return super.getSqlCreateStrings(table, metadata, context);
            } finally {
                creating.remove();
            }
        }

        @Override
        protected void applyTableCheck(Table table, StringBuilder buf) {
            super.applyTableCheck(table, buf);
            Metadata metadata = creating.get();
            LocalConstraints known = dialect.constraints;
            for (ForeignKey fk : table.getForeignKeyCollection()) {
                if (known == null || !known.creates(fk)) {
                    continue;
                }
                buf.append(", constraint ").append(metadata == null ? dialect.quote(fk.getName())
                        : metadata.getDatabase().getJdbcEnvironment().getIdentifierHelper().toIdentifier(fk.getName())
                                .render(dialect)).append(' ');
                if (fk.getKeyDefinition() != null) {
                    buf.append(fk.getKeyDefinition());
                    continue;
                }
                buf.append("foreign key (").append(quoted(fk.getColumns())).append(") references ")
                        .append(fk.getReferencedTable().getQuotedName(dialect))
                        .append(" (").append(quoted(LocalConstraints.targetColumns(fk))).append(')');
                var onDelete = fk.getOnDeleteAction();
                if (onDelete != null && onDelete != org.hibernate.annotations.OnDeleteAction.NO_ACTION) {
                    buf.append(" on delete ").append(onDelete.toSqlString());
                }
                if (fk.getOptions() != null && !fk.getOptions().isEmpty()) {
                    buf.append(' ').append(fk.getOptions());
                }
            }
        }

        private String quoted(List<Column> columns) {
            return columns.stream().map(c -> c.getQuotedName(dialect)).collect(Collectors.joining(", "));
        }

        @Override
        public String[] getSqlDropStrings(Table table, Metadata metadata, SqlStringGenerationContext context) {
            String[] drop = super.getSqlDropStrings(table, metadata, context);
            if (table.getViewQuery() != null) {
                return drop;
            }
            // the implicit "delete from" of a dropped table fails while rows of another table reference its rows;
            // the pragma is per connection (and a no-op inside a transaction, where the drop then behaves as before)
            String[] out = new String[drop.length + 2];
            out[0] = "pragma foreign_keys = off";
            System.arraycopy(drop, 0, out, 1, drop.length);
            out[out.length - 1] = "pragma foreign_keys = on";
            return out;
        }
    }
}
