package io.dbcomposite;

import io.dbcomposite.testing.DatabasePair;
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
 * cut the network. A subclass may run on another {@link DatabasePair} by overriding {@link #pair()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CompositeTestBase {

    protected Path dir;
    protected DatabasePair pair;
    /** The remote schema (a database of its own on MariaDB). */
    protected String schema;
    protected DatabasePair.LocalStore local;
    protected String localUrl;
    protected TcpProxy proxy;
    protected CompositeEntityManagerFactory emf;

    @BeforeAll
    void startUnit() throws Exception {
        pair = pair();
        dir = Files.createTempDirectory("dbcomposite-" + getClass().getSimpleName());
        schema = pair.createRemote(getClass().getSimpleName());
        local = pair.newLocal(dir, "local");
        localUrl = local.url();
        proxy = TcpProxy.start(pair.remoteHost(), pair.remotePort());
        CompositePersistence.Builder builder = CompositePersistence.builder().name(getClass().getSimpleName());
        builder = local.user() == null ? builder.local(localUrl) : builder.local(localUrl, local.user(), local.password());
        emf = configure(remote(builder)
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                // a cut network is found within 1 s instead of the default 5 s; a subclass may set its own
                .property("dbcomposite.remote.connect-timeout", "1s")
                .property("hibernate.hbm2ddl.auto", "create"))
                .build();
    }

    /** The databases this class runs on; SQLite + PostgreSQL unless a subclass says otherwise. */
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_POSTGRESQL;
    }

    /** How the unit reaches the remote: its URL through the proxy, unless a subclass says otherwise (a JTA data source). */
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return builder.remote(pair.remoteUrlThrough(proxy, schema), pair.remoteUser(), pair.remotePassword());
    }

    /** Opened for this class's unit, closed after it. */
    private final java.util.List<AutoCloseable> closeAfterUnit = new java.util.ArrayList<>();

    /**
     * Makes this class's unit a JTA unit whose remote is a pool enlisted in the standalone transaction manager's
     * transactions (as a container's {@code <jta-data-source>}), through the proxy; the pool closes with the unit.
     *
     * @param xa an XA data source ({@code PGXADataSource}) instead of a non-XA one
     */
    protected CompositePersistence.Builder jtaRemote(CompositePersistence.Builder builder, boolean xa) {
        String url = pair.remoteUrlThrough(proxy, schema);
        io.agroal.api.AgroalDataSource remote = xa
                ? io.dbcomposite.testing.StandaloneJta.xaDataSource(url, pair.remoteUser(), pair.remotePassword())
                : io.dbcomposite.testing.StandaloneJta.dataSource(url, pair.remoteUser(), pair.remotePassword());
        closeAfterUnit.add(remote);
        return io.dbcomposite.testing.JtaUnits.jta(builder, remote);
    }

    /** Subclasses add settings here. */
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder;
    }

    @AfterAll
    protected void stopUnit() {
        if (emf != null) {
            emf.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable c : closeAfterUnit) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (schema != null) {
            pair.dropRemote(schema);
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
        return ((Number) pair.localRows(local, "select count(*) as n from " + table + " where " + where, params)
                .get(0).values().iterator().next()).longValue();
    }

    protected long remoteCount(String table, String where, Object... params) {
        return ((Number) pair.remoteRows(schema, "select count(*) as n from " + table + " where " + where, params)
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
        Object max = pair.localRows(local, "select coalesce(max(id), 0) as m from dbc_sync_log").get(0).get("m");
        return ((Number) max).longValue();
    }

    /** Every log row written after {@code mark}, in id order. */
    protected java.util.List<java.util.Map<String, Object>> logRowsSince(long mark) {
        return pair.localRows(local, "select * from dbc_sync_log where id > ? order by id", mark);
    }

    /** Log rows of one entity row written after {@code mark}, in id order. */
    protected java.util.List<java.util.Map<String, Object>> logRows(long mark, String entityName, Object id) {
        return pair.localRows(local, "select * from dbc_sync_log where id > ? and entity_name = ? and entity_id = ? order by id",
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
