package io.dbcomposite.remote;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.differential.model.Cutting;
import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.differential.model.Jar;
import io.dbcomposite.differential.model.Journal;
import io.dbcomposite.differential.model.Leaflet;
import io.dbcomposite.differential.model.Loan;
import io.dbcomposite.differential.model.Publication;
import io.dbcomposite.differential.model.SeedPacket;
import io.dbcomposite.differential.model.Shelf;
import io.dbcomposite.differential.model.Specimen;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The seed-bank model of the differential test on its REMOTE routing: every entity read and written REMOTE; Grower,
 * Specimen, Publication and Shelf (IDENTITY ids, owned collections) with {@code onRemoteFail=FAIL}, Habitat, Jar and
 * Loan with the default {@code QUEUE} (held by the local session until commit). A fresh SQLite file and PostgreSQL
 * schema; no background job.
 */
final class RemoteRoutingUnit implements AutoCloseable {

    final String schema;
    final CompositeEntityManagerFactory emf;
    /** The TCP proxy in front of PostgreSQL (to cut the remote), or null. */
    final TcpProxy proxy;

    RemoteRoutingUnit(String name) {
        this(name, false);
    }

    /** @param throughProxy whether the unit reaches PostgreSQL through a {@link TcpProxy} that a test can cut */
    RemoteRoutingUnit(String name, boolean throughProxy) {
        this(name, throughProxy, new Class<?>[0]);
    }

    /** @param more entities a test adds to the model, routed by the defaults (REMOTE, held until commit) */
    RemoteRoutingUnit(String name, boolean throughProxy, Class<?>... more) {
        schema = PostgresTestDatabase.createSchema(name);
        proxy = throughProxy ? TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port()) : null;
        try {
            String localUrl = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-" + name), "local.db");
            emf = CompositePersistence.builder()
                    .name(name)
                    .local(localUrl)
                    .remote(proxy != null ? PostgresTestDatabase.urlThrough(proxy, schema) : PostgresTestDatabase.urlFor(schema),
                            PostgresTestDatabase.user(), PostgresTestDatabase.password())
                    .entities(Grower.class, Habitat.class, Specimen.class, SeedPacket.class, Cutting.class, Publication.class,
                            Leaflet.class, Journal.class, Shelf.class, Jar.class, Loan.class)
                    .entities(more)
                    .defaults(Routing.builder().read(Read.REMOTE).write(Write.REMOTE).build())
                    .property("dbcomposite.routing.Grower.onRemoteFail", "FAIL")
                    .property("dbcomposite.routing.Specimen.onRemoteFail", "FAIL")
                    .property("dbcomposite.routing.Publication.onRemoteFail", "FAIL")
                    .property("dbcomposite.routing.Shelf.onRemoteFail", "FAIL")
                    .syncEnabled(false)
                    // a cut network is found within 1 s instead of the default 5 s
                    .property("dbcomposite.remote.connect-timeout", "1s")
                    .property("hibernate.hbm2ddl.auto", "create")
                    .build();
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private void closeQuietly() {
        if (proxy != null) {
            proxy.close();
        }
        PostgresTestDatabase.dropSchema(schema);
    }

    /**
     * Ends a cut and waits (polling the status, at most 15 s) until the unit's probe has found the remote back, so the
     * next operation is not refused as part of the known outage.
     */
    void restoreNetwork() {
        proxy.restore();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (!emf.getSyncStatus().remoteAvailable()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the unit did not find the remote back within 15 s of the network's return");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(20).toNanos());
        }
    }

    /** @return the rows a query on the remote returns */
    List<Map<String, Object>> remote(String sql, Object... params) {
        return PostgresTestDatabase.rows(schema, sql, params);
    }

    /** @return the single value of the first row a remote query returns */
    Object remoteValue(String sql, Object... params) {
        return remote(sql, params).get(0).values().iterator().next();
    }

    @Override
    public void close() {
        try {
            emf.close();
        } finally {
            closeQuietly();
        }
    }
}
