package io.dbcomposite.internal.capture;

import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.SyncLogEntity;
import org.hibernate.boot.Metadata;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Table;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.CollectionPart;
import org.hibernate.metamodel.mapping.EmbeddableMappingType;
import org.hibernate.metamodel.mapping.PluralAttributeMapping;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.metamodel.mapping.internal.EmbeddedAttributeMapping;
import org.hibernate.metamodel.mapping.internal.EmbeddedCollectionPart;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.SqlTypes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The remote's column limits, enforced on the local side before a row is written: SQLite ignores declared lengths
 * and stores any decimal, so without this a value the remote cannot hold commits locally and fails every replay
 * until it goes DEAD. The limits are the mapping's own ({@code length}, {@code precision}, {@code scale},
 * {@code nullable}), the ones Hibernate's DDL for the remote is made of.
 *
 * <p>What to check is worked out once per persister (entity or collection) and kept: a write walks a short array
 * of the attributes that have a limit, and the common case (a value within the limit) costs a compare.
 *
 * <p>Not checked: columns with a {@code columnDefinition} (their DDL is not derived from the limits), LOBs and
 * types the remote DDL gives no length ({@code text}, {@code bytea} on PostgreSQL, so {@code byte[]} too), formulas,
 * the id (Hibernate or the database makes it), attributes with a generator (their value may come after the
 * insert), and entities whose writes never reach the remote ({@code sync=NONE}).
 */
public final class RemoteLimits {

    private static final Check[] NONE = new Check[0];

    private final Map<EntityPersister, Check[]> entityChecks = new ConcurrentHashMap<>();
    private final Map<CollectionPersister, Check[]> collectionChecks = new ConcurrentHashMap<>();
    private volatile boolean floatLimits;
    private volatile boolean textWithoutNul;
    private volatile Predicate<Class<?>> reachesRemote = type -> false;
    private volatile Set<String> definedColumns = Set.of();

    /**
     * Notes the columns mapped with a {@code columnDefinition}: the runtime mapping does not carry it, and such a
     * column's remote type is whatever the definition says, not what the length or precision would make.
     */
    void columnDefinitions(Metadata metadata) {
        Set<String> out = new HashSet<>();
        Map<String, Long> lengths = new java.util.HashMap<>();
        for (Table table : metadata.collectTableMappings()) {
            for (Column column : table.getColumns()) {
                if (column.getSqlType() != null) {
                    out.add(key(table.getName(), column.getName()));
                }
                if (column.getLength() != null) {
                    // a length given in the mapping (an explicit @Column's, 255 by default); without one, the remote's
                    // DDL gives a LOB the dialect's default LOB length
                    lengths.put(key(table.getName(), column.getName()), column.getLength());
                }
            }
        }
        definedColumns = out;
        givenLengths = lengths;
    }

    private static String key(String table, String column) {
        return bare(table) + "." + bare(column);
    }

    /** @return a name without its qualifier or quotes, lower case (the boot and runtime models quote differently) */
    private static String bare(String name) {
        String n = name.substring(name.lastIndexOf('.') + 1);
        return n.replace("\"", "").replace("`", "").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param refused whether the remote refuses NaN, the infinities and floats beyond {@value #MYSQL_FLOAT_MAX} in a
     *     {@code float(23)} column (MySQL and MariaDB: "Out of range value"), which PostgreSQL and SQLite keep
     */
    public void floatLimits(boolean refused) {
        this.floatLimits = refused;
        entityChecks.clear();
        collectionChecks.clear();
    }

    /**
     * @param refused whether the remote refuses the character U+0000 in text (PostgreSQL: "invalid byte sequence for
     *        encoding UTF8: 0x00"); SQLite keeps it, so such a value committed locally and failed every replay
     */
    public void textWithoutNul(boolean refused) {
        this.textWithoutNul = refused;
        entityChecks.clear();
        collectionChecks.clear();
    }

    /**
     * @param ddl the remote's DDL types where the remote sizes a LOB column by its mapped length (MySQL and MariaDB: a
     *     LOB of the default length 255, as an element collection's is, is a {@code tinytext} of 255 bytes, which SQLite
     *     does not limit), so such a column's capacity is checked; null where a LOB column has no limit to check
     */
    public void lobCapacities(org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry ddl) {
        this.lobTypes = ddl;
        entityChecks.clear();
        collectionChecks.clear();
    }

    private volatile org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry lobTypes;
    private volatile Map<String, Long> givenLengths = Map.of();

    /** @return the bytes the remote's column of a LOB holds, or null if it is not known to be limited */
    private Long lobCapacity(SelectableMapping col) {
        org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry ddl = lobTypes;
        Long length = ddl == null ? null : givenLengths.get(key(col.getContainingTableExpression(), col.getSelectionExpression()));
        if (length == null) {
            return null;
        }
        String name;
        try {
            name = ddl.getTypeName(code(col), length, col.getPrecision(), col.getScale());
        } catch (RuntimeException unknown) {
            return null;
        }
        String type = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT).trim();
        return type.startsWith("tinytext") || type.startsWith("tinyblob") ? 255L
                : type.startsWith("text") || type.startsWith("blob") ? 65_535L
                : type.startsWith("mediumtext") || type.startsWith("mediumblob") ? 16_777_215L
                : null;
    }

    /** @param reachesRemote whether an entity class's local writes go to the remote (now, or replayed later) */
    public void reachesRemote(Predicate<Class<?>> reachesRemote) {
        this.reachesRemote = reachesRemote;
        entityChecks.clear();
        collectionChecks.clear();
    }

    /**
     * Refuses an entity row (insert or update) with a value the remote column cannot hold.
     *
     * @param state the row's state by the persister's property order
     * @param id the id, or null if the database assigns it later
     */
    void checkEntity(EntityPersister persister, Object id, Object[] state) {
        Check[] checks = entityChecks.computeIfAbsent(persister, this::entityChecksOf);
        for (Check c : checks) {
            c.check(persister.getJpaEntityName(), id, state[c.position]);
        }
    }

    /** Refuses the elements (and map keys) of an owned collection the remote cannot hold. */
    void checkCollection(CollectionPersister persister, EntityPersister owner, Object ownerId, Object collection) {
        if (owner == null || !reachesRemote.test(owner.getMappedClass())) {
            return;
        }
        Check[] checks = collectionChecks.computeIfAbsent(persister, this::collectionChecksOf);
        if (checks.length == 0) {
            return;
        }
        String entity = owner.getJpaEntityName();
        if (collection instanceof Collection<?> elements) {
            for (Object e : elements) {
                for (Check c : checks) {
                    if (c.position == 0) {
                        c.check(entity, ownerId, e);
                    }
                }
            }
        } else if (collection instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                for (Check c : checks) {
                    c.check(entity, ownerId, c.position == 0 ? e.getValue() : e.getKey());
                }
            }
        }
    }

    private Check[] entityChecksOf(EntityPersister persister) {
        if (persister.getMappedClass() == SyncLogEntity.class || !reachesRemote.test(persister.getMappedClass())) {
            return NONE;
        }
        List<Check> out = new ArrayList<>();
        for (int i = 0; i < persister.getNumberOfAttributeMappings(); i++) {
            AttributeMapping a = persister.getAttributeMapping(i);
            if (a == persister.getVersionMapping()
                    || a.getGenerator() != null && !(a instanceof EmbeddedAttributeMapping)) {
                continue; // Hibernate makes the value; an embeddable's "generator" only composes its parts'
            }
            Leaf leaf = leafOf(a.getAttributeName(), a);
            if (leaf != null) {
                out.add(new Check(a.getStateArrayPosition(), leaf));
            }
        }
        return out.toArray(NONE);
    }

    private Check[] collectionChecksOf(CollectionPersister persister) {
        PluralAttributeMapping plural = persister.getAttributeMapping();
        if (persister.isInverse() || persister.isOneToMany() || persister.isManyToMany()) {
            return NONE; // entity elements are checked as entities
        }
        String name = plural.getAttributeName();
        List<Check> out = new ArrayList<>();
        Leaf element = partLeaf(name, plural.getElementDescriptor());
        if (element != null) {
            out.add(new Check(0, element));
        }
        Leaf key = plural.getIndexDescriptor() == null ? null : partLeaf(name + ".key", plural.getIndexDescriptor());
        if (key != null) {
            out.add(new Check(1, key));
        }
        return out.toArray(NONE);
    }

    private Leaf partLeaf(String path, CollectionPart part) {
        if (part instanceof BasicValuedModelPart basic) {
            return column(path, basic);
        }
        if (part instanceof EmbeddedCollectionPart embedded) {
            return embeddable(path, embedded.getEmbeddableTypeDescriptor());
        }
        return null;
    }

    /** @return the checks of an attribute's value, or null if it has no limit to check */
    private Leaf leafOf(String path, AttributeMapping a) {
        if (a instanceof BasicValuedModelPart basic) {
            return column(path, basic);
        }
        if (a instanceof EmbeddedAttributeMapping embedded) {
            return embeddable(path, embedded.getEmbeddableTypeDescriptor());
        }
        return null; // associations (their foreign key is an id) and collections (checked by their own events)
    }

    private Leaf embeddable(String path, EmbeddableMappingType type) {
        List<AttributeMapping> attrs = new ArrayList<>();
        List<Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < type.getNumberOfAttributeMappings(); i++) {
            AttributeMapping a = type.getAttributeMapping(i);
            Leaf leaf = leafOf(path + "." + a.getAttributeName(), a);
            if (leaf != null) {
                attrs.add(a);
                leaves.add(leaf);
            }
        }
        if (leaves.isEmpty()) {
            return null;
        }
        AttributeMapping[] parts = attrs.toArray(new AttributeMapping[0]);
        Leaf[] checks = leaves.toArray(new Leaf[0]);
        return (entity, id, value) -> {
            for (int i = 0; i < parts.length; i++) {
                // a null embeddable writes null into each of its columns: a NOT NULL one among them refuses it
                checks[i].check(entity, id, value == null ? null : parts[i].getValue(value));
            }
        };
    }

    private Leaf column(String path, SelectableMapping col) {
        if (col.isFormula() || !col.isInsertable() && !col.isUpdateable()) {
            return null;
        }
        Leaf limits = limits(path, col);
        Class<?> java = col.getJdbcMapping().getJavaTypeDescriptor().getJavaTypeClass();
        if (!textWithoutNul || col.isLob() || !(java == String.class || java == Character.class || java == char.class
                || java == char[].class || java == Character[].class)) {
            return limits;
        }
        String limit = "text (which holds no U+0000)";
        return (entity, id, value) -> {
            if (value != null && holdsNul(value)) {
                throw new RemoteLimitException(entity, path, id, limit, "the value holds the character U+0000 (NUL),"
                        + " which PostgreSQL text cannot store");
            }
            if (limits != null) {
                limits.check(entity, id, value);
            }
        };
    }

    private static boolean holdsNul(Object value) {
        if (value instanceof String s) {
            return s.indexOf('\0') >= 0;
        }
        if (value instanceof Character c) {
            return c == '\0';
        }
        if (value instanceof char[] chars) {
            for (char c : chars) {
                if (c == '\0') {
                    return true;
                }
            }
            return false;
        }
        for (Character c : (Character[]) value) {
            if (c != null && c == '\0') {
                return true;
            }
        }
        return false;
    }

    /** @return the check of the column's length, precision, scale and nullability (float range on MySQL), or null */
    private Leaf limits(String path, SelectableMapping col) {
        Class<?> javaClass = col.getJdbcMapping().getJavaTypeDescriptor().getJavaTypeClass();
        if (floatLimits && (javaClass == Float.class || javaClass == Double.class || javaClass == float.class
                || javaClass == double.class)) {
            boolean single = code(col) == SqlTypes.FLOAT && col.getPrecision() != null && col.getPrecision() <= 24
                    || code(col) == SqlTypes.REAL || javaClass == Float.class || javaClass == float.class;
            boolean notNull = !col.isNullable();
            String limit = (single ? "float, at most " + MYSQL_FLOAT_MAX : "double, finite") + (notNull ? ", not null" : "");
            return (entity, id, value) -> {
                if (value == null) {
                    nullCheck(notNull, entity, path, id, limit);
                    return;
                }
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new RemoteLimitException(entity, path, id, limit, value + ", which the remote (MySQL, MariaDB)"
                            + " cannot store");
                }
                if (single && Math.abs(d) > MYSQL_FLOAT_MAX) {
                    throw new RemoteLimitException(entity, path, id, limit, value + " is beyond the remote's float range");
                }
            };
        }
        boolean notNull = !col.isNullable();
        Long length = null;
        Integer precision = null;
        Integer scale = null;
        if (!definedColumns.contains(key(col.getContainingTableExpression(), col.getSelectionExpression())) && !col.isLob()) {
            int code = col.getJdbcMapping().getJdbcType().getDdlTypeCode();
            Class<?> java = col.getJdbcMapping().getJavaTypeDescriptor().getJavaTypeClass();
            if ((code == SqlTypes.VARCHAR || code == SqlTypes.NVARCHAR || code == SqlTypes.CHAR || code == SqlTypes.NCHAR)
                    && (java == String.class || java == char[].class || java == Character[].class)) {
                length = col.getLength();
            } else if ((code == SqlTypes.NUMERIC || code == SqlTypes.DECIMAL) && java == BigDecimal.class) {
                precision = col.getPrecision();
                scale = col.getScale();
            }
        }
        Long lobBytes = col.isLob() && !definedColumns.contains(key(col.getContainingTableExpression(), col.getSelectionExpression()))
                ? lobCapacity(col) : null;
        if (lobBytes != null) {
            long max = lobBytes;
            String limit = (code(col) == SqlTypes.BLOB ? "a BLOB of " : "a TEXT of ") + max + " bytes"
                    + (notNull ? ", not null" : "");
            return (entity, id, value) -> {
                if (value == null) {
                    nullCheck(notNull, entity, path, id, limit);
                    return;
                }
                long bytes = value instanceof byte[] b ? b.length
                        : value instanceof Byte[] b ? b.length
                        : value instanceof String t ? (t.length() * 3L <= max ? 0 : utf8Bytes(t))
                        : value instanceof char[] c ? (c.length * 3L <= max ? 0 : utf8Bytes(new String(c)))
                        : 0; // a Clob or Blob: its length is not read here
                if (bytes > max) {
                    throw new RemoteLimitException(entity, path, id, limit, bytes + " bytes (in UTF-8 for text), more than "
                            + max + " (the column's mapped length gives the remote this type; give it a length that"
                            + " fits, e.g. @Column(length = ...))");
                }
            };
        }
        if (!notNull && length == null && precision == null) {
            return null;
        }
        if (length != null) {
            long max = length;
            String limit = (code(col) == SqlTypes.CHAR || code(col) == SqlTypes.NCHAR ? "char(" : "varchar(") + max + ")"
                    + (notNull ? " not null" : "");
            return (entity, id, value) -> {
                if (value == null) {
                    nullCheck(notNull, entity, path, id, limit);
                    return;
                }
                int units = value instanceof String s ? s.length() : value instanceof char[] c ? c.length
                        : ((Character[]) value).length;
                // PostgreSQL counts characters (code points); a surrogate pair is one
                if (units > max && (!(value instanceof String s) || s.codePointCount(0, s.length()) > max)) {
                    long chars = value instanceof String s ? s.codePointCount(0, s.length()) : units;
                    throw new RemoteLimitException(entity, path, id, limit, chars + " characters, more than " + max);
                }
            };
        }
        if (precision != null) {
            int p = precision;
            int s = scale == null ? 0 : scale;
            String limit = "numeric(" + p + "," + s + ")" + (notNull ? " not null" : "");
            return (entity, id, value) -> {
                if (value == null) {
                    nullCheck(notNull, entity, path, id, limit);
                    return;
                }
                BigDecimal d = (BigDecimal) value;
                if (d.scale() > s) {
                    // PostgreSQL would round it: the two sides would hold different values
                    throw new RemoteLimitException(entity, path, id, limit, d.toPlainString() + " has " + d.scale()
                            + " digits after the point, more than " + s);
                }
                int integerDigits = d.signum() == 0 ? 0 : d.precision() - d.scale();
                if (integerDigits > p - s) {
                    throw new RemoteLimitException(entity, path, id, limit, d.toPlainString() + " has " + integerDigits
                            + " digits before the point, more than " + (p - s));
                }
            };
        }
        String limit = "not null";
        return (entity, id, value) -> {
            if (value == null) {
                nullCheck(true, entity, path, id, limit);
            }
        };
    }

    private static long utf8Bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The largest magnitude a MySQL or MariaDB {@code FLOAT} column takes. */
    static final double MYSQL_FLOAT_MAX = 3.402823466E38;

    private static int code(SelectableMapping col) {
        return col.getJdbcMapping().getJdbcType().getDdlTypeCode();
    }

    private static void nullCheck(boolean notNull, String entity, String path, Object id, String limit) {
        if (notNull) {
            throw new RemoteLimitException(entity, path, id, limit, "null");
        }
    }

    /** The check of one value against its column (or, for an embeddable, its columns). */
    @FunctionalInterface
    private interface Leaf {
        void check(String entity, Object id, Object value);
    }

    /** A leaf and where its value is: a state array position, or for a collection 0 (element) or 1 (map key). */
    private record Check(int position, Leaf leaf) {
        void check(String entity, Object id, Object value) {
            leaf.check(entity, id, value);
        }
    }
}
