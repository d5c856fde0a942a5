package io.dbcomposite.wildfly;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composite unit in a real Jakarta EE 11 server: a WAR built here (a JAX-RS resource, a CDI bean with a
 * container-managed {@code @PersistenceContext} and {@code @Transactional} methods, the test model's entities, the library
 * and the Hibernate it runs on) deployed to WildFly Preview, as the README tells users to do it. The remote is the
 * PostgreSQL server, defined as a transactional data source of the server and reached through a TCP proxy the test can
 * cut; the local side is a SQLite file. HTTP calls exercise each routing row, a JTA rollback, an outage and the background
 * sync on the container's managed scheduled executor; redeploying twice leaves no thread of an earlier deployment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyContainerTest {

    private static final String WAR = "shop.war";
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(150);

    private String schema;
    private TcpProxy proxy;
    private WildFlyServer server;
    private String localUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startServer() throws Exception {
        schema = PostgresTestDatabase.createSchema("WildFly");
        proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
        server = WildFlyServer.prepare(PostgresTestDatabase.urlThrough(proxy, schema), PostgresTestDatabase.user(),
                PostgresTestDatabase.password());
        Path local = server.base.resolve("shop-local.db");
        localUrl = "jdbc:sqlite:" + local;
        server.start();
        server.deploy(WAR, war(localUrl), DEPLOY_TIMEOUT);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @AfterEach
    void networkBack() {
        if (proxy.isCut()) {
            restore();
        }
    }

    /** Ends the outage and waits until the unit's probe has found the remote back (the data source validates its connections). */
    private void restore() {
        proxy.restore();
        await("the remote to be seen again", Duration.ofSeconds(20), () -> call("GET", "/status").body().contains("remoteAvailable=true"));
    }

    /** The WAR: the application's classes, the test model, the library and the Hibernate it needs. */
    private static WildFlyServer.War war(String localUrl) {
        Path classes = Path.of(System.getProperty("dbcomposite.classes"));
        Path testClasses = Path.of(System.getProperty("dbcomposite.test.classes"));
        WildFlyServer.War war = new WildFlyServer.War()
                .addTree("WEB-INF/classes/", testClasses, "io/dbcomposite/wildfly/app")
                .addTree("WEB-INF/classes/", testClasses, "io/dbcomposite/testmodel")
                .add("WEB-INF/classes/META-INF/persistence.xml", persistenceXml(localUrl))
                .add("WEB-INF/jboss-deployment-structure.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <jboss-deployment-structure xmlns="urn:jboss:deployment-structure:1.2">
                          <deployment>
                            <exclusions>
                              <module name="org.hibernate"/>
                              <module name="org.hibernate.envers"/>
                            </exclusions>
                          </deployment>
                        </jboss-deployment-structure>
                        """)
                .addJarOf("WEB-INF/lib/db-composite.jar", classes);
        for (Path jar : bundledJars()) {
            war.addFile("WEB-INF/lib/" + jar.getFileName(), jar);
        }
        return war;
    }

    /** What the application bundles besides the library: Hibernate ORM and what it and the library need at run time. */
    static List<Path> bundledJars() {
        List<String> wanted = List.of("/org/hibernate/orm/hibernate-core/", "/org/hibernate/orm/hibernate-community-dialects/",
                "/org/hibernate/models/", "/net/bytebuddy/", "/org/antlr/", "/org/glassfish/jaxb/", "/com/sun/istack/",
                "/org/eclipse/angus/", "/jakarta/xml/bind/", "/jakarta/activation/", "/io/smallrye/", "/com/fasterxml/classmate/",
                "/org/xerial/sqlite-jdbc/", "/com/zaxxer/HikariCP/", "/org/quartz-scheduler/", "/com/fasterxml/jackson/");
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(p -> p.endsWith(".jar"))
                .filter(p -> wanted.stream().anyMatch(w -> p.replace('\\', '/').contains(w)))
                .map(Path::of)
                .distinct()
                .collect(Collectors.toList());
    }

    private static String persistenceXml(String localUrl) {
        String classes = TestModel.ENTITIES.stream().map(c -> "    <class>" + c.getName() + "</class>")
                .collect(Collectors.joining("\n"));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.2">
                  <persistence-unit name="shop" transaction-type="JTA">
                    <provider>io.dbcomposite.CompositePersistenceProvider</provider>
                    <jta-data-source>java:jboss/datasources/RemoteDS</jta-data-source>
                %s
                    <exclude-unlisted-classes>true</exclude-unlisted-classes>
                    <properties>
                      <property name="jboss.as.jpa.providerModule" value="application"/>
                      <property name="dbcomposite.local.url" value="%s"/>
                      <property name="dbcomposite.sync.interval" value="200ms"/>
                      <property name="dbcomposite.sync.initial-backoff" value="100ms"/>
                      <property name="dbcomposite.sync.max-backoff" value="500ms"/>
                      <property name="dbcomposite.remote.connect-timeout" value="2s"/>
                      <property name="hibernate.hbm2ddl.auto" value="update"/>
                    </properties>
                  </persistence-unit>
                </persistence>
                """.formatted(classes, localUrl);
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    private HttpResponse<String> call(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/shop/api/shop" + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP " + method + " " + path + " failed: " + e + "\n" + server.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A write that must succeed: its body (the new id). */
    private String post(String path) {
        HttpResponse<String> r = call("POST", path);
        assertThat(r.statusCode()).as("POST " + path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private long localCount(String table, String where, Object... params) {
        return ((Number) SqliteFiles.rows(localUrl, "select count(*) as n from " + table + " where " + where, params)
                .get(0).get("n")).longValue();
    }

    private long remoteCount(String table, String where, Object... params) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from " + table + " where " + where, params)
                .get(0).get("n")).longValue();
    }

    private String logStatus(String entity, Object id) {
        List<java.util.Map<String, Object>> rows = SqliteFiles.rows(localUrl,
                "select status from dbc_sync_log where entity_name = ? and entity_id = ? order by id", entity, String.valueOf(id));
        assertThat(rows).as("log rows of " + entity + "#" + id).hasSize(1);
        return (String) rows.get(0).get("status");
    }

    private static byte[] uuidBytes(UUID id) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return b.array();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    // ---- the routing rows ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void a_local_write_commits_with_the_container_transaction_and_the_managed_executor_job_replays_it() {
        String sku = "WF-" + UUID.randomUUID().toString().substring(0, 8);
        long id = Long.parseLong(post("/product/" + sku));

        assertThat(localCount("product", "id = ? and sku = ?", id, sku)).isEqualTo(1);
        await("the background job to replay the product", Duration.ofSeconds(30), () -> remoteCount("product", "sku = ?", sku) == 1);
        // the log row is marked after the remote commit that made the row visible: a moment later
        await("the product's change marked SYNCED", Duration.ofSeconds(30), () -> "SYNCED".equals(logStatus("Product", id)));
        assertThat(call("GET", "/threads").body()).as("no Quartz thread: the job runs on the container's executor")
                .doesNotContain("Quartz").doesNotContain("_Worker");
    }

    @Test
    @Order(2)
    void a_transactional_method_that_throws_leaves_no_local_row_and_no_log_row() {
        String sku = "WF-RB-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> r = call("POST", "/product-rollback/" + sku);

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("failing on purpose");
        assertThat(localCount("product", "sku = ?", sku)).isZero();
        assertThat(SqliteFiles.rows(localUrl, "select id from dbc_sync_log where payload like ?", "%" + sku + "%")).isEmpty();
        assertThat(remoteCount("product", "sku = ?", sku)).isZero();
    }

    @Test
    @Order(3)
    void a_local_sync_none_write_stays_local_and_is_not_logged() {
        long id = Long.parseLong(post("/draft/wf-draft"));
        assertThat(localCount("draft", "id = ?", id)).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select id from dbc_sync_log where entity_name = 'Draft'")).isEmpty();
        assertThat(remoteCount("draft", "id = ?", id)).isZero();
    }

    @Test
    @Order(4)
    void dual_fail_writes_both_sides_and_with_the_remote_cut_fails_and_writes_nothing() {
        UUID id = UUID.fromString(post("/payment/19.90"));
        assertThat(remoteCount("payment", "id = ? and amount = 19.90", id)).isEqualTo(1);
        assertThat(localCount("payment", "id = ?", (Object) uuidBytes(id))).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select id from dbc_sync_log where entity_name = 'Payment' and status <> 'SYNCED'"))
                .as("nothing of a DUAL+FAIL write waits for the sync").isEmpty();

        long before = localCount("payment", "1 = 1");
        long remoteBefore = remoteCount("payment", "1 = 1");
        proxy.cut();
        HttpResponse<String> r = call("POST", "/payment/5.00");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(r.body()).contains("RemoteWriteException").contains("Payment");
        restore();
        assertThat(localCount("payment", "1 = 1")).isEqualTo(before);
        assertThat(remoteCount("payment", "1 = 1")).isEqualTo(remoteBefore);
    }

    @Test
    @Order(5)
    void dual_queue_writes_both_sides_and_with_the_remote_cut_commits_locally_and_the_job_replays_it_later() {
        UUID up = UUID.fromString(post("/movement/WF-SM/3"));
        assertThat(remoteCount("stock_movement", "id = ?", up)).isEqualTo(1);
        assertThat(logStatus("StockMovement", up)).isEqualTo("SYNCED");

        proxy.cut();
        UUID down = UUID.fromString(post("/movement/WF-SM/-2"));
        assertThat(localCount("stock_movement", "id = ?", (Object) uuidBytes(down))).isEqualTo(1);
        assertThat(logStatus("StockMovement", down)).isIn("PENDING", "FAILED");
        restore();
        await("the job to replay the queued movement", Duration.ofSeconds(30), () -> remoteCount("stock_movement", "id = ?", down) == 1);
    }

    @Test
    @Order(6)
    void remote_queue_writes_the_remote_only_and_with_the_remote_cut_is_queued_and_replayed() {
        UUID up = UUID.fromString(post("/notification/up@example.com"));
        assertThat(remoteCount("notification", "id = ?", up)).isEqualTo(1);
        assertThat(localCount("notification", "id = ?", (Object) uuidBytes(up))).isZero();

        proxy.cut();
        UUID down = UUID.fromString(post("/notification/down@example.com"));
        assertThat(logStatus("Notification", down)).isIn("PENDING", "FAILED");
        restore();
        await("the job to replay the queued notification", Duration.ofSeconds(30), () -> remoteCount("notification", "id = ?", down) == 1);
    }

    @Test
    @Order(7)
    void remote_fail_writes_through_to_the_local_copy_and_with_the_remote_cut_fails() {
        post("/rate/WFEUR/1.25");
        assertThat(remoteCount("exchange_rate", "id = 'WFEUR'")).isEqualTo(1);
        assertThat(localCount("exchange_rate", "id = 'WFEUR'")).isEqualTo(1);

        proxy.cut();
        HttpResponse<String> r = call("POST", "/rate/WFGBP/0.85");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        restore();
        assertThat(remoteCount("exchange_rate", "id = 'WFGBP'")).isZero();
        assertThat(localCount("exchange_rate", "id = 'WFGBP'")).isZero();
    }

    @Test
    @Order(8)
    void a_remote_entity_is_written_and_read_back_from_the_remote_in_one_transaction() {
        assertThat(post("/audit/wf-login")).isEqualTo("wf-login");
        assertThat(remoteCount("audit_event", "event_type = 'wf-login'")).isEqualTo(1);
    }

    @Test
    @Order(9)
    void an_injected_entity_manager_and_an_ejb_with_an_unsynchronized_one_route_as_the_others_do() {
        String injected = "WF-INJ-" + UUID.randomUUID().toString().substring(0, 8);
        long id = Long.parseLong(post("/ledger/" + injected));
        assertThat(localCount("product", "id = ? and sku = ?", id, injected)).isEqualTo(1);
        assertThat(logStatus("Product", id)).isIn("PENDING", "SYNCED");

        String joined = "WF-EJB-J-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("/archive/" + joined + "/true")).isEqualTo("true");
        assertThat(localCount("product", "sku = ?", joined)).as("joined: written").isEqualTo(1);

        String apart = "WF-EJB-U-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("/archive/" + apart + "/false")).isEqualTo("false");
        assertThat(localCount("product", "sku = ?", apart)).as("never joined: nothing written").isZero();
        assertThat(SqliteFiles.rows(localUrl, "select id from dbc_sync_log where payload like ?", "%" + apart + "%")).isEmpty();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    @Test
    @Order(20)
    void redeploying_twice_leaves_no_thread_of_an_earlier_deployment() throws Exception {
        List<String> first = threads();
        assertThat(first).as("the deployment's own threads").isNotEmpty();
        for (int i = 0; i < 2; i++) {
            server.undeploy(WAR, DEPLOY_TIMEOUT);
            server.redeploy(WAR, DEPLOY_TIMEOUT);
        }
        String sku = "WF-AFTER-" + UUID.randomUUID().toString().substring(0, 8);
        post("/product/" + sku);
        await("the redeployed job to replay", Duration.ofSeconds(30), () -> remoteCount("product", "sku = ?", sku) == 1);
        // each deployment names its threads alike (the unit is "shop"): a thread left by an undeployed one is a second
        // thread of the same name
        await("no thread of an undeployed unit", Duration.ofSeconds(30),
                () -> threads().stream().distinct().count() == threads().size());
        assertThat(threads()).doesNotHaveDuplicates().isNotEmpty();
    }

    private List<String> threads() {
        String body = call("GET", "/threads").body();
        return body.isBlank() ? List.of() : List.of(body.strip().split("\n"));
    }
}
