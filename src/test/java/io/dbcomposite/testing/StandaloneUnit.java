package io.dbcomposite.testing;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * A composite unit of its own for a test class with a model of its own: a fresh SQLite file, a fresh PostgreSQL
 * schema (reached directly, no proxy), schema created by Hibernate, no background job. Closing it drops the schema.
 */
public final class StandaloneUnit implements AutoCloseable {

    /** The remote schema. */
    public final String schema;
    /** The local SQLite URL. */
    public final String localUrl;
    /** The unit. */
    public final CompositeEntityManagerFactory emf;

    /** The databases the unit runs on. */
    public final DatabasePair pair;

    private StandaloneUnit(DatabasePair pair, String schema, String localUrl, CompositeEntityManagerFactory emf) {
        this.pair = pair;
        this.schema = schema;
        this.localUrl = localUrl;
        this.emf = emf;
    }

    /**
     * @param name the unit's name (and the schema's prefix)
     * @param entities the unit's entity classes
     * @return the started unit
     */
    public static StandaloneUnit start(String name, Class<?>... entities) {
        return start(name, null, entities);
    }

    /**
     * @param name the unit's name (and the schema's prefix)
     * @param defaults the routing of every entity without one of its own, or null for the built-in defaults
     * @param entities the unit's entity classes
     * @return the started unit
     */
    public static StandaloneUnit start(String name, io.dbcomposite.Routing defaults, Class<?>... entities) {
        return start(name, defaults, java.util.Map.of(), entities);
    }

    /**
     * @param name the unit's name (and the schema's prefix)
     * @param defaults the routing of every entity without one of its own, or null for the built-in defaults
     * @param properties more settings, as {@code persistence.xml} would give them
     * @param entities the unit's entity classes
     * @return the started unit
     */
    public static StandaloneUnit start(String name, io.dbcomposite.Routing defaults, java.util.Map<String, ?> properties,
                                       Class<?>... entities) {
        return start(DatabasePair.SQLITE_POSTGRESQL, name, defaults, properties, entities);
    }

    /**
     * @param pair the databases (a SQLite local side only: {@link #local} reads it as SQLite)
     * @param name the unit's name (and the schema's prefix)
     * @param defaults the routing of every entity without one of its own, or null for the built-in defaults
     * @param properties more settings, as {@code persistence.xml} would give them
     * @param entities the unit's entity classes
     * @return the started unit
     */
    public static StandaloneUnit start(DatabasePair pair, String name, io.dbcomposite.Routing defaults,
                                       java.util.Map<String, ?> properties, Class<?>... entities) {
        String schema = pair.createRemote(name);
        try {
            String localUrl = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-" + name), "local.db");
            CompositePersistence.Builder builder = CompositePersistence.builder();
            if (defaults != null) {
                builder.defaults(defaults);
            }
            builder
                    .name(name)
                    .local(localUrl)
                    .remote(pair.remoteUrl(schema), pair.remoteUser(), pair.remotePassword())
                    .entities(entities)
                    .syncEnabled(false)
                    .property("hibernate.hbm2ddl.auto", "create");
            properties.forEach(builder::property);
            CompositeEntityManagerFactory emf = builder.build();
            return new StandaloneUnit(pair, schema, localUrl, emf);
        } catch (IOException e) {
            pair.dropRemote(schema);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            pair.dropRemote(schema);
            throw e;
        }
    }

    /** @return the single number a remote query returns (e.g. a {@code count(*)}) */
    public long remote(String sql, Object... params) {
        return ((Number) pair.remoteRows(schema, sql, params).get(0).values().iterator().next()).longValue();
    }

    /** @return the single number a local query returns */
    public long local(String sql, Object... params) {
        return ((Number) SqliteFiles.rows(localUrl, sql, params).get(0).values().iterator().next()).longValue();
    }

    @Override
    public void close() {
        try {
            emf.close();
        } finally {
            pair.dropRemote(schema);
        }
    }
}
