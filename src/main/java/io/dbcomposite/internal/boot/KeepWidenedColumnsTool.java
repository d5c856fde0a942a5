package io.dbcomposite.internal.boot;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.relational.QualifiedTableName;
import org.hibernate.boot.model.relational.SqlStringGenerationContext;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.Size;
import org.hibernate.engine.jdbc.internal.Formatter;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.extract.spi.ColumnInformation;
import org.hibernate.tool.schema.extract.spi.ForeignKeyInformation;
import org.hibernate.tool.schema.extract.spi.IndexInformation;
import org.hibernate.tool.schema.extract.spi.PrimaryKeyInformation;
import org.hibernate.tool.schema.extract.spi.TableInformation;
import org.hibernate.tool.schema.internal.GroupedSchemaMigratorImpl;
import org.hibernate.tool.schema.internal.HibernateSchemaManagementTool;
import org.hibernate.tool.schema.internal.IndividuallySchemaMigratorImpl;
import org.hibernate.tool.schema.spi.ExecutionOptions;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaMigrator;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;
import org.hibernate.tool.schema.internal.DefaultSchemaFilterProvider;
import org.hibernate.tool.schema.spi.GenerationTarget;
import org.hibernate.tool.schema.JdbcMetadataAccessStrategy;

import java.sql.Types;
import java.util.Map;

/**
 * The remote side's schema management tool: Hibernate's own, except that {@code hbm2ddl=update} never narrows a
 * column. Hibernate's migrator alters a column whose length (or numeric precision and scale) differs from the mapping
 * in either direction, so a remote {@code varchar} an administrator widened to hold longer values was set back to the
 * mapped length on every start (failing while a longer value is stored, or narrowing the column while none is). A
 * column at least as wide as the mapping says is left as it is; a narrower one is still widened, a column of another
 * type still altered.
 */
final class KeepWidenedColumnsTool extends HibernateSchemaManagementTool {

    @Override
    public SchemaMigrator getSchemaMigrator(Map<String, Object> options) {
        SchemaFilter filter = filterProvider(options).getMigrateFilter();
        return JdbcMetadataAccessStrategy.interpretSetting(options) == JdbcMetadataAccessStrategy.GROUPED
                ? new Grouped(this, filter) : new Individually(this, filter);
    }

    private SchemaFilterProvider filterProvider(Map<String, Object> options) {
        return getServiceRegistry().requireService(org.hibernate.boot.registry.selector.spi.StrategySelector.class)
                .resolveDefaultableStrategy(SchemaFilterProvider.class,
                        options == null ? null : options.get(org.hibernate.cfg.AvailableSettings.HBM2DDL_FILTER_PROVIDER),
                        DefaultSchemaFilterProvider.INSTANCE);
    }

    private static final class Grouped extends GroupedSchemaMigratorImpl {
        Grouped(HibernateSchemaManagementTool tool, SchemaFilter filter) {
            super(tool, filter);
        }

        @Override
        protected void migrateTable(Table table, TableInformation info, Dialect dialect, Metadata metadata,
                Formatter formatter, ExecutionOptions options, SqlStringGenerationContext context, GenerationTarget... targets) {
            super.migrateTable(table, new WideEnough(table, info, dialect, metadata), dialect, metadata, formatter, options,
                    context, targets);
        }
    }

    private static final class Individually extends IndividuallySchemaMigratorImpl {
        Individually(HibernateSchemaManagementTool tool, SchemaFilter filter) {
            super(tool, filter);
        }

        @Override
        protected void migrateTable(Table table, TableInformation info, Dialect dialect, Metadata metadata,
                Formatter formatter, ExecutionOptions options, SqlStringGenerationContext context, GenerationTarget... targets) {
            super.migrateTable(table, new WideEnough(table, info, dialect, metadata), dialect, metadata, formatter, options,
                    context, targets);
        }
    }

    /**
     * The table as the database has it, except that a column wider than the mapping reports the mapped size, so the
     * migrator finds nothing to alter in it.
     */
    private record WideEnough(Table table, TableInformation info, Dialect dialect, Metadata metadata)
            implements TableInformation {

        @Override
        public ColumnInformation getColumn(Identifier columnIdentifier) {
            ColumnInformation actual = info.getColumn(columnIdentifier);
            if (actual == null) {
                return null;
            }
            Column column = null;
            for (Column c : table.getColumns()) {
                if (Identifier.toIdentifier(c.getName(), c.isQuoted()).equals(columnIdentifier)) {
                    column = c;
                    break;
                }
            }
            if (column == null || column.getSqlType(metadata) == null || !column.getSqlType(metadata).contains("(")) {
                return actual;
            }
            Size size;
            try {
                size = column.getColumnSize(dialect, metadata);
            } catch (RuntimeException e) {
                return actual;
            }
            int type = actual.getTypeCode();
            if (isString(type) && size.getLength() != null && actual.getColumnSize() >= size.getLength()) {
                return new Reported(actual, size.getLength().intValue(), actual.getDecimalDigits());
            }
            if ((type == Types.NUMERIC || type == Types.DECIMAL) && size.getPrecision() != null && size.getScale() != null
                    && actual.getDecimalDigits() >= size.getScale()
                    && actual.getColumnSize() - actual.getDecimalDigits() >= size.getPrecision() - size.getScale()) {
                return new Reported(actual, size.getPrecision(), size.getScale());
            }
            return actual;
        }

        private static boolean isString(int type) {
            return type == Types.VARCHAR || type == Types.NVARCHAR || type == Types.CHAR || type == Types.NCHAR
                    || type == Types.LONGVARCHAR || type == Types.LONGNVARCHAR || type == Types.VARBINARY
                    || type == Types.BINARY || type == Types.LONGVARBINARY;
        }

        @Override
        public QualifiedTableName getName() {
            return info.getName();
        }

        @Override
        public boolean isPhysicalTable() {
            return info.isPhysicalTable();
        }

        @Override
        public String getComment() {
            return info.getComment();
        }

        @Override
        public PrimaryKeyInformation getPrimaryKey() {
            return info.getPrimaryKey();
        }

        @Override
        public Iterable<ForeignKeyInformation> getForeignKeys() {
            return info.getForeignKeys();
        }

        @Override
        public ForeignKeyInformation getForeignKey(Identifier keyName) {
            return info.getForeignKey(keyName);
        }

        @Override
        public Iterable<IndexInformation> getIndexes() {
            return info.getIndexes();
        }

        @Override
        public IndexInformation getIndex(Identifier indexName) {
            return info.getIndex(indexName);
        }

        @Override
        public void addColumn(ColumnInformation columnIdentifier) {
            info.addColumn(columnIdentifier);
        }
    }

    /** A column as the database has it, with the size the mapping asks for. */
    private record Reported(ColumnInformation actual, int size, int digits) implements ColumnInformation {
        @Override
        public TableInformation getContainingTableInformation() {
            return actual.getContainingTableInformation();
        }

        @Override
        public Identifier getColumnIdentifier() {
            return actual.getColumnIdentifier();
        }

        @Override
        public Boolean getNullable() {
            return actual.getNullable();
        }

        @Override
        public int getTypeCode() {
            return actual.getTypeCode();
        }

        @Override
        public String getTypeName() {
            return actual.getTypeName();
        }

        @Override
        public int getColumnSize() {
            return size;
        }

        @Override
        public int getDecimalDigits() {
            return digits;
        }
    }
}
