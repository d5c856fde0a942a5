package io.dbcomposite.internal.boot;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BlobJdbcType;
import org.hibernate.type.descriptor.jdbc.ClobJdbcType;
import org.hibernate.type.descriptor.jdbc.NClobJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * Makes the local SQLite side read and write LOBs as plain values: {@code BLOB} through {@code setBytes}/{@code getBytes},
 * {@code CLOB} and {@code NCLOB} through {@code setString}/{@code getString}.
 *
 * <p>The SQLite driver implements neither {@code ResultSet.getBlob} nor {@code getClob}/{@code getNClob}. The SQLite
 * dialect binds a {@code BLOB} with {@code setBytes} but its JDBC type extracts with {@code getBlob}, so an entity
 * with a {@code @Lob byte[]} or a {@code Blob} was written and could not be read back; an {@code NCLOB}
 * ({@code @Nationalized @Lob String}) keeps Hibernate's default, which neither binds nor reads on SQLite. The
 * materialized JDBC types read the whole value in one call, which is what SQLite holds anyway (a row's value is
 * never streamed), and wrap it in the attribute's Java type ({@code byte[]}, {@code Blob}, {@code String},
 * {@code char[]}, {@code Clob}).
 *
 * <p>Discovered as a {@code TypeContributor} service, so it runs after the dialect's own contributions (a contributor
 * given to the {@code MetadataBuilder} runs before them, and the dialect would undo it); it does something only on a
 * side whose settings carry {@link #SETTING} as {@code true}, which {@link SideFactoryBuilder} puts on the SQLite
 * local side alone, under the application's settings: the remote side, and plain Hibernate on the same class path,
 * are left as they are. It runs first among the contributors, so one of the application's own still wins, as does
 * a {@code @JdbcTypeCode} on an attribute, and {@code false} for the setting turns it off.
 */
public final class SqliteLobTypes implements TypeContributor {

    /**
     * The setting that turns this on for a side's SessionFactory ({@code true} or {@code false}). A Hibernate setting,
     * so an application can turn it off for the local side as {@code dbcomposite.local.hibernate.}{@code
     * dbcomposite.sqlite_materialized_lobs=false}, and plain Hibernate on SQLite can turn it on.
     */
    public static final String SETTING = "hibernate.dbcomposite.sqlite_materialized_lobs";

    /**
     * The setting that binds text LOBs ({@code CLOB}, {@code NCLOB}) as strings on a MySQL or MariaDB side
     * ({@code true} or {@code false}; {@link SideFactoryBuilder} puts {@code true} on the remote side). MariaDB
     * Connector/J reads a character stream in chunks and writes a surrogate pair cut by a chunk boundary as two
     * {@code ?}: an emoji in a {@code Clob} of some 20,000 characters reached the database damaged, silently.
     */
    public static final String MYSQL_STRING_CLOBS = "hibernate.dbcomposite.mysql_string_clobs";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        if (SideSettings.on(serviceRegistry, MYSQL_STRING_CLOBS)) {
            org.hibernate.engine.jdbc.spi.JdbcServices jdbc = serviceRegistry.getService(org.hibernate.engine.jdbc.spi.JdbcServices.class);
            if (jdbc != null && jdbc.getDialect() instanceof org.hibernate.dialect.MySQLDialect) {
                JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
                registry.addDescriptor(SqlTypes.CLOB, ClobJdbcType.MATERIALIZED);
                registry.addDescriptor(SqlTypes.NCLOB, NClobJdbcType.MATERIALIZED);
            }
        }
        if (!SideSettings.on(serviceRegistry, SETTING)) {
            return;
        }
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        registry.addDescriptor(SqlTypes.BLOB, BlobJdbcType.MATERIALIZED);
        registry.addDescriptor(SqlTypes.CLOB, ClobJdbcType.MATERIALIZED);
        registry.addDescriptor(SqlTypes.NCLOB, NClobJdbcType.MATERIALIZED);
    }

    // TypeContributor.ordinal() exists from Hibernate 7.3 on; without @Override this compiles against 7.2 too
    public int ordinal() {
        return Integer.MIN_VALUE;
    }
}
