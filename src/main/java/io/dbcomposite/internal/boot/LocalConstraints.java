package io.dbcomposite.internal.boot;

import org.hibernate.boot.Metadata;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.ForeignKey;
import org.hibernate.mapping.Join;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.UniqueKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The foreign keys and unique keys of the mapping as the local SQLite schema holds them, worked out once from the boot
 * model: which foreign keys the local tables declare (inline, at {@code create table}), and how to name a constraint
 * and its entity when SQLite refuses a statement (SQLite reports no foreign key's name, only "FOREIGN KEY constraint
 * failed").
 *
 * <p>A foreign key is declared locally only if the rows on both of its ends live in the local database: tables of
 * entities written {@code LOCAL} or {@code DUAL} (and their collection, secondary and subclass tables). A table of an
 * entity written {@code REMOTE} holds no rows locally, or only those applied after the remote commit (a write-through
 * cache), so a local key to or from it would refuse rows the remote holds.
 */
final class LocalConstraints {

    /** One foreign key of the local schema, as messages name it. */
    record Key(String name, String table, List<String> columns, String referencedTable, List<String> referencedColumns,
               String owner, String referencedOwner) {

        String describe() {
            return name + " (" + owner + ": " + table + "(" + String.join(", ", columns) + ") references "
                    + referencedTable + "(" + String.join(", ", referencedColumns) + ")"
                    + (referencedOwner == null ? "" : " of " + referencedOwner) + ")";
        }
    }

    private final Set<ForeignKey> created = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, List<Key>> byTable = new LinkedHashMap<>();
    private final Map<String, List<Key>> byReferencedTable = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();
    private final Map<String, List<UniqueKey>> uniqueKeys = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    /**
     * @param metadata the local side's boot model
     * @param rowsLocal whether an entity's rows are written to the local database in the caller's flush
     */
    static LocalConstraints of(Metadata metadata, Predicate<PersistentClass> rowsLocal) {
        return new LocalConstraints(metadata, rowsLocal);
    }

    private LocalConstraints(Metadata metadata, Predicate<PersistentClass> rowsLocal) {
        Map<Table, PersistentClass> ownerClass = new IdentityHashMap<>();
        Map<Table, String> ownerName = new IdentityHashMap<>();
        for (PersistentClass pc : metadata.getEntityBindings()) {
            PersistentClass sup = pc.getSuperPersistentClass();
            if (sup == null || sup.getTable() != pc.getTable()) {
                ownerClass.put(pc.getTable(), pc);
                ownerName.put(pc.getTable(), pc.getJpaEntityName());
            }
            for (Join join : pc.getJoins()) {
                ownerClass.put(join.getTable(), pc);
                ownerName.put(join.getTable(), pc.getJpaEntityName());
            }
        }
        for (Collection c : metadata.getCollectionBindings()) {
            Table t = c.getCollectionTable();
            if (t != null && !ownerClass.containsKey(t)) {
                PersistentClass owner = c.getOwner();
                ownerClass.put(t, owner);
                String role = c.getRole();
                String property = role.startsWith(c.getOwnerEntityName() + ".")
                        ? role.substring(c.getOwnerEntityName().length() + 1) : role;
                ownerName.put(t, owner.getJpaEntityName() + "." + property);
            }
        }
        ownerName.forEach((t, n) -> owners.put(key(t.getName()), n));
        for (var namespace : metadata.getDatabase().getNamespaces()) {
            for (Table table : namespace.getTables()) {
                if (!table.isPhysicalTable() || table.isView()) {
                    continue;
                }
                uniqueKeys.put(key(table.getName()), List.copyOf(table.getUniqueKeys().values()));
                for (ForeignKey fk : table.getForeignKeyCollection()) {
                    Table target = fk.getReferencedTable();
                    if (!fk.isCreationEnabled() || !fk.isPhysicalConstraint() || target == null
                            || !target.isPhysicalTable() || target.isView()) {
                        continue;
                    }
                    PersistentClass from = ownerClass.get(table);
                    PersistentClass to = ownerClass.get(target);
                    String why = from != null && !rowsLocal.test(from) ? ownerName.get(table) + " is not written locally"
                            : to != null && !rowsLocal.test(to) ? ownerName.get(target) + " is not written locally"
                            : !referencesKey(fk) ? "the referenced columns are not a primary or unique key" : null;
                    if (why != null) {
                        skipped.add(fk.getName() + " of " + table.getName() + ": " + why);
                        continue;
                    }
                    created.add(fk);
                    Key k = new Key(fk.getName(), table.getName(), names(fk.getColumns()), target.getName(),
                            names(targetColumns(fk)), ownerName.getOrDefault(table, table.getName()), ownerName.get(target));
                    byTable.computeIfAbsent(key(table.getName()), x -> new ArrayList<>()).add(k);
                    byReferencedTable.computeIfAbsent(key(target.getName()), x -> new ArrayList<>()).add(k);
                }
            }
        }
    }

    /** @return the columns a foreign key references: the target's primary key, or the columns it names */
    static List<Column> targetColumns(ForeignKey fk) {
        return fk.isReferenceToPrimaryKey() ? fk.getReferencedTable().getPrimaryKey().getColumns()
                : fk.getReferencedColumns();
    }

    /** SQLite refuses every write that touches a key whose parent columns are not a primary key or unique. */
    private static boolean referencesKey(ForeignKey fk) {
        Table target = fk.getReferencedTable();
        if (fk.isReferenceToPrimaryKey()) {
            return target.getPrimaryKey() != null && target.getPrimaryKey().getColumnSpan() == fk.getColumnSpan();
        }
        List<String> wanted = names(fk.getReferencedColumns());
        if (target.getPrimaryKey() != null && sameSet(names(target.getPrimaryKey().getColumns()), wanted)) {
            return true;
        }
        if (wanted.size() == 1) {
            Column c = target.getColumn(fk.getReferencedColumns().get(0));
            if (c != null && c.isUnique()) {
                return true;
            }
        }
        for (UniqueKey uk : target.getUniqueKeys().values()) {
            if (sameSet(names(uk.getColumns()), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameSet(List<String> a, List<String> b) {
        return a.size() == b.size() && a.stream().map(LocalConstraints::key).toList()
                .containsAll(b.stream().map(LocalConstraints::key).toList());
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::getName).toList();
    }

    static String key(String table) {
        String n = table.substring(table.lastIndexOf('.') + 1);
        return n.replace("\"", "").replace("`", "").toLowerCase(Locale.ROOT);
    }

    /** @return whether the local table declares this foreign key */
    boolean creates(ForeignKey fk) {
        return created.contains(fk);
    }

    /** @return the foreign keys a local table declares */
    List<Key> keysOf(String table) {
        return byTable.getOrDefault(key(table), List.of());
    }

    /** @return the foreign keys that reference a local table */
    List<Key> keysTo(String table) {
        return byReferencedTable.getOrDefault(key(table), List.of());
    }

    /** @return the unique keys of a table (named as the mapping or Hibernate names them) */
    List<UniqueKey> uniqueKeysOf(String table) {
        return uniqueKeys.getOrDefault(key(table), List.of());
    }

    /** @return the entity (or {@code Entity.collection}) whose rows a table holds, or null */
    String ownerOf(String table) {
        return owners.get(key(table));
    }

    /** @return the tables with foreign keys, each with its keys */
    Map<String, List<Key>> byTable() {
        return byTable;
    }

    /** @return the mapping's foreign keys the local schema leaves out, and why */
    List<String> skipped() {
        return skipped;
    }
}
