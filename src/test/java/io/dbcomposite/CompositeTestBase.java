package io.dbcomposite;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One composite unit per test class: a real SQLite file in a temp folder as the local side and the real
 * PostgreSQL, in a schema of its own, as the remote side, reached through a {@link TcpProxy} so tests can
 * cut the network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CompositeTestBase {

    protected Path dir;
    protected String schema;
    protected String localUrl;
    protected TcpProxy proxy;
    protected CompositeEntityManagerFactory emf;

    @BeforeAll
    void startUnit() throws Exception {
        dir = Files.createTempDirectory("dbcomposite-" + getClass().getSimpleName());
        schema = PostgresTestDatabase.createSchema(getClass().getSimpleName());
        localUrl = SqliteFiles.urlIn(dir, "local.db");
        proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
        emf = configure(CompositePersistence.builder()
                .name(getClass().getSimpleName())
                .local(localUrl)
                .remote(PostgresTestDatabase.urlThrough(proxy, schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create"))
                .build();
    }

    /** Subclasses add settings here. */
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder;
    }

    @AfterAll
    void stopUnit() {
        if (emf != null) {
            emf.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    /**
     * Ends a simulated outage and waits (polling, at most 15 s) until the unit's probe has found the remote back, so
     * the next operation is not refused as part of the known outage.
     */
    protected void restoreNetwork() {
        proxy.restore();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (!emf.getSyncStatus().remoteAvailable()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the unit did not find the remote back within 15 s of the network's return");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(20).toNanos());
        }
    }

    protected void inTransaction(Consumer<CompositeEntityManager> work) {
        Transactions.inTransaction(emf.createEntityManager(), work);
    }

    protected <R> R read(Function<CompositeEntityManager, R> work) {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            return work.apply(em);
        }
    }

    protected long localCount(String table, String where, Object... params) {
        return ((Number) SqliteFiles.rows(localUrl, "select count(*) as n from " + table + " where " + where, params)
                .get(0).values().iterator().next()).longValue();
    }

    protected long remoteCount(String table, String where, Object... params) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from " + table + " where " + where, params)
                .get(0).values().iterator().next()).longValue();
    }

    /** SQLite stores UUIDs as 16-byte blobs. */
    protected static byte[] uuidBytes(java.util.UUID id) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return b.array();
    }


    // ---- the sync log, read straight from the local SQLite file ------------------------------------

    protected static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    protected static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The highest log id so far (0 if none): later rows have higher ids. */
    protected long logMark() {
        Object max = SqliteFiles.rows(localUrl, "select coalesce(max(id), 0) as m from dbc_sync_log").get(0).get("m");
        return ((Number) max).longValue();
    }

    /** Every log row written after {@code mark}, in id order. */
    protected java.util.List<java.util.Map<String, Object>> logRowsSince(long mark) {
        return SqliteFiles.rows(localUrl, "select * from dbc_sync_log where id > ? order by id", mark);
    }

    /** Log rows of one entity row written after {@code mark}, in id order. */
    protected java.util.List<java.util.Map<String, Object>> logRows(long mark, String entityName, Object id) {
        return SqliteFiles.rows(localUrl, "select * from dbc_sync_log where id > ? and entity_name = ? and entity_id = ? order by id",
                mark, entityName, String.valueOf(id));
    }

    /** Every log row of one entity row, in id order. */
    protected java.util.List<java.util.Map<String, Object>> logRows(String entityName, Object id) {
        return logRows(0, entityName, id);
    }

    protected static java.util.Map<String, Object> only(java.util.List<java.util.Map<String, Object>> rows) {
        org.assertj.core.api.Assertions.assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    protected static com.fasterxml.jackson.databind.JsonNode payload(java.util.Map<String, Object> row) {
        Object text = row.get("payload");
        org.assertj.core.api.Assertions.assertThat(text).as("payload of %s", row).isInstanceOf(String.class);
        try {
            return JSON.readTree((String) text);
        } catch (Exception e) {
            throw new AssertionError("payload is not JSON: " + text, e);
        }
    }

    protected static long id(java.util.Map<String, Object> row) {
        return ((Number) row.get("id")).longValue();
    }
}
