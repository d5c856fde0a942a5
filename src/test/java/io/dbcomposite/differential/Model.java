package io.dbcomposite.differential;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model the differential suite runs: its entity classes, its steps, and what the comparison needs to know of it.
 *
 * @param name short name (unit names, schema prefixes)
 * @param entities the entity classes
 * @param steps the operations, in order
 * @param remoteOverrides per-entity properties for the REMOTE routing (entities the contract refuses with QUEUE)
 * @param generatorTables tables that only back id generators: SQLite has no sequences, so Hibernate emulates them with
 *        tables the PostgreSQL side does not have, and the remote never allocates ids of its own (replays keep the
 *        local ids), so their rows are compared with plain Hibernate's but not between the two composite sides
 * @param uuidTable table, id column and key column of the entity whose ids are random UUIDs (or null)
 */
record Model(String name, List<Class<?>> entities, List<Step> steps, Map<String, String> remoteOverrides,
             Set<String> generatorTables, List<String> uuidTable) {
}
