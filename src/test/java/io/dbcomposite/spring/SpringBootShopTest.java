package io.dbcomposite.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.SyncResult;
import io.dbcomposite.spring.app.AuditEvent;
import io.dbcomposite.spring.app.AuditEventRepository;
import io.dbcomposite.spring.app.Customer;
import io.dbcomposite.spring.app.CustomerName;
import io.dbcomposite.spring.app.CustomerRepository;
import io.dbcomposite.spring.app.Draft;
import io.dbcomposite.spring.app.DraftRepository;
import io.dbcomposite.spring.app.Invoice;
import io.dbcomposite.spring.app.InvoiceRepository;
import io.dbcomposite.spring.app.RecordingListener;
import io.dbcomposite.spring.app.ShopApplication;
import io.dbcomposite.spring.app.ShopService;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.management.ObjectName;
import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.dbcomposite.spring.SpringTests.await;
import static io.dbcomposite.spring.SpringTests.causes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring Boot 4 application on the composite unit: SQLite file local, the real PostgreSQL remote behind a TCP proxy,
 * Spring Data repositories for each routing, {@code @Transactional} services, open-in-view, Actuator over a real HTTP
 * port, Micrometer, JMX, logging.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootShopTest {

    static final String SCHEMA = PostgresTestDatabase.createSchema("spring_shop");
    static final TcpProxy PROXY = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
    static final Path DIR;
    static final String LOCAL_URL;

    static {
        try {
            DIR = Files.createTempDirectory("dbcomposite-spring");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        LOCAL_URL = SqliteFiles.urlIn(DIR, "shop.db");
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.application.name", () -> "spring-shop");
        registry.add("dbcomposite.local.url", () -> LOCAL_URL);
        registry.add("dbcomposite.remote.url", () -> PostgresTestDatabase.urlThrough(PROXY, SCHEMA));
        registry.add("dbcomposite.remote.user", PostgresTestDatabase::user);
        registry.add("dbcomposite.remote.password", PostgresTestDatabase::password);
        registry.add("dbcomposite.remote.connect-timeout", () -> "2s");
        registry.add("dbcomposite.sync.interval", () -> "1h"); // the tests sync when they choose
        registry.add("dbcomposite.sync.after-commit", () -> "off");
        registry.add("dbcomposite.sync.max-attempts", () -> "1");
        registry.add("spring.jpa.hibernate.ddl-auto", () -> "update");
        registry.add("spring.jpa.properties.hibernate.jdbc.batch_size", () -> "20");
        registry.add("management.endpoints.web.exposure.include", () -> "health,dbcomposite");
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    CompositeEntityManagerFactory emf;
    @Autowired
    CustomerRepository customers;
    @Autowired
    InvoiceRepository invoices;
    @Autowired
    AuditEventRepository audit;
    @Autowired
    DraftRepository drafts;
    @Autowired
    ShopService shop;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    RecordingListener listener;
    @Autowired
    MeterRegistry meters;
    @Autowired
    DataSource dataSource;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @PersistenceContext
    EntityManager sharedEntityManager;

    @AfterEach
    void networkBack() {
        PROXY.restore();
    }

    @AfterAll
    static void dropSchema() {
        PROXY.close();
        PostgresTestDatabase.dropSchema(SCHEMA);
    }

    @Test
    @Order(1)
    void boot_builds_the_composite_unit_and_keeps_its_own_transaction_manager() throws Exception {
        assertThat(context.getBean("entityManagerFactory")).isSameAs(emf);
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
        assertThat(((JpaTransactionManager) transactionManager).getEntityManagerFactory()).isSameAs(emf);
        assertThat(emf.routingOf(Customer.class).write()).hasToString("LOCAL");
        assertThat(emf.routingOf(Invoice.class).write()).hasToString("DUAL");
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getURL()).isEqualTo(LOCAL_URL); // the context's DataSource is the local side
        }
        // spring.jpa.hibernate.* reached both sides: Boot's snake-case naming made the same columns there
        assertThat(PostgresTestDatabase.rows(SCHEMA, "select column_name from information_schema.columns"
                + " where table_schema = ? and table_name = 'customer' and column_name = 'full_name'", SCHEMA)).hasSize(1);
        assertThat(SqliteFiles.rows(LOCAL_URL, "select name from pragma_table_info('customer') where name = 'created_at'"))
                .hasSize(1);
    }

    @Test
    @Order(2)
    void repositories_write_each_routing_where_it_belongs() {
        Customer ada = customers.save(new Customer("Ada Boot", "Leeds", "vip"));
        Invoice invoice = invoices.save(new Invoice("Ada Boot", new BigDecimal("12.50")));
        AuditEvent event = audit.save(new AuditEvent("ada signed up"));
        drafts.save(new Draft("d-ada", "unsent letter"));

        // LOCAL: local now, remote after a sync; auditing filled @CreatedDate through the Spring bean container
        assertThat(SqliteFiles.count(LOCAL_URL, "customer where full_name = 'Ada Boot'")).isEqualTo(1);
        assertThat(remote("select count(*) n from customer where full_name = 'Ada Boot'")).isEqualTo(0L);
        assertThat(ada.getCreatedAt()).isNotNull();
        // DUAL: both sides at commit
        assertThat(SqliteFiles.count(LOCAL_URL, "invoice where customer_name = 'Ada Boot'")).isEqualTo(1);
        assertThat(remote("select count(*) n from invoice where customer_name = 'Ada Boot'")).isEqualTo(1L);
        // REMOTE: remote only
        assertThat(remote("select count(*) n from audit_event where message = 'ada signed up'")).isEqualTo(1L);
        assertThat(SqliteFiles.count(LOCAL_URL, "audit_event where message = 'ada signed up'")).isEqualTo(0);
        assertThat(audit.findByMessageContaining("ada signed")).extracting(AuditEvent::getId).containsExactly(event.getId());

        SyncResult run = emf.sync();
        assertThat(run.failed()).isZero();
        List<Map<String, Object>> remoteAda = PostgresTestDatabase.rows(SCHEMA,
                "select id, city, created_at from customer where full_name = 'Ada Boot'");
        assertThat(remoteAda).hasSize(1);
        assertThat(((Number) remoteAda.get(0).get("id")).longValue()).isEqualTo(ada.getId());
        assertThat(remoteAda.get(0).get("created_at")).isNotNull();
        assertThat(remote("select count(*) n from customer_tags where tags = 'vip'")).isEqualTo(1L);
        // sync NONE: never replayed
        assertThat(SqliteFiles.count(LOCAL_URL, "draft where id = 'd-ada'")).isEqualTo(1);
        assertThat(remote("select count(*) n from draft")).isEqualTo(0L);
        assertThat(invoices.findById(invoice.getId())).get().extracting(Invoice::getAmount).isEqualTo(new BigDecimal("12.50"));
        assertThat(listener.events).contains("applied Customer#" + ada.getId());
    }

    @Test
    @Order(3)
    void derived_jpql_native_paged_specified_and_projected_queries_read_the_local_side() {
        customers.saveAll(List.of(new Customer("Q Carol", "York"), new Customer("Q Alice", "York"),
                new Customer("Q Bob", "York"), new Customer("Q Dan", "Hull")));

        assertThat(customers.findByCityOrderByFullNameAsc("York")).extracting(Customer::getFullName)
                .containsExactly("Q Alice", "Q Bob", "Q Carol");
        assertThat(customers.named("Q ")).extracting(Customer::getFullName)
                .containsExactly("Q Alice", "Q Bob", "Q Carol", "Q Dan");
        assertThat(customers.countNative("York")).isEqualTo(3);
        Page<Customer> page = customers.findAllByCity("York", PageRequest.of(1, 2, Sort.by("fullName").descending()));
        assertThat(page.getTotalElements()).isEqualTo(3);
        assertThat(page.getContent()).extracting(Customer::getFullName).containsExactly("Q Alice");
        Specification<Customer> inHull = (root, query, cb) -> cb.equal(root.get("city"), "Hull");
        assertThat(customers.findAll(inHull)).extracting(Customer::getFullName).containsExactly("Q Dan");
        assertThat(customers.count(inHull)).isEqualTo(1);
        assertThat(customers.findByCity("Hull")).extracting(CustomerName::getFullName).containsExactly("Q Dan");
        assertThat(shop.customersIn("York")).isEqualTo(3); // @Transactional(readOnly = true)
        // the repositories read the local side: nothing of these is on the remote before a sync
        assertThat(remote("select count(*) n from customer where full_name like 'Q %'")).isEqualTo(0L);
        emf.sync();
        assertThat(remote("select count(*) n from customer where full_name like 'Q %'")).isEqualTo(4L);
    }

    @Test
    @Order(4)
    void a_failing_transactional_method_leaves_nothing_on_either_side() {
        long logRows = SqliteFiles.count(LOCAL_URL, "dbc_sync_log");
        assertThatThrownBy(() -> shop.orderThenFail("Rolled Back", "Bath", new BigDecimal("9.99")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("payment refused");

        assertThat(SqliteFiles.count(LOCAL_URL, "customer where full_name = 'Rolled Back'")).isZero();
        assertThat(SqliteFiles.count(LOCAL_URL, "invoice where customer_name = 'Rolled Back'")).isZero();
        assertThat(SqliteFiles.count(LOCAL_URL, "dbc_sync_log")).isEqualTo(logRows);
        assertThat(remote("select count(*) n from invoice where customer_name = 'Rolled Back'")).isEqualTo(0L);
        assertThat(remote("select count(*) n from audit_event where message = 'order by Rolled Back'")).isEqualTo(0L);

        Customer kept = shop.order("Kept Order", "Bath", new BigDecimal("1.00"));
        assertThat(SqliteFiles.count(LOCAL_URL, "customer where id = " + kept.getId())).isEqualTo(1);
        assertThat(remote("select count(*) n from invoice where customer_name = 'Kept Order'")).isEqualTo(1L);
        assertThat(remote("select count(*) n from audit_event where message = 'order by Kept Order'")).isEqualTo(1L);
    }

    @Test
    @Order(5)
    void a_bulk_update_of_a_captured_entity_through_the_shared_entity_manager_is_refused_not_skipped() {
        customers.save(new Customer("Bulk Bea", "Bude"));
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> sharedEntityManager
                .createQuery("update Customer c set c.city = 'Nowhere'").executeUpdate()))
                .isInstanceOf(CompositeRoutingException.class).hasMessageContaining("Bulk update/delete of entity 'Customer'");
        assertThat(SqliteFiles.count(LOCAL_URL, "customer where city = 'Nowhere'")).isZero();
        // Spring Data's batch deletes are bulk deletes too
        long before = SqliteFiles.count(LOCAL_URL, "customer");
        assertThatThrownBy(() -> customers.deleteAllInBatch())
                .satisfies(e -> assertThat(causes(e)).anyMatch(CompositeRoutingException.class::isInstance));
        assertThat(SqliteFiles.count(LOCAL_URL, "customer")).isEqualTo(before);
    }

    @Test
    @Order(5)
    void a_read_only_transaction_flushes_nothing_and_captures_nothing() {
        Customer c = customers.save(new Customer("Read Only Rita", "Wells"));
        long logRows = SqliteFiles.count(LOCAL_URL, "dbc_sync_log");
        shop.moveInReadOnly(c.getId(), "Nowhere");
        assertThat(SqliteFiles.count(LOCAL_URL, "customer where id = " + c.getId() + " and city = 'Wells'")).isEqualTo(1);
        assertThat(SqliteFiles.count(LOCAL_URL, "dbc_sync_log")).isEqualTo(logRows);
    }

    @Test
    @Order(5)
    void jdbc_template_in_the_same_transaction_shares_the_local_connection() {
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        long seen = tx.execute(s -> {
            customers.saveAndFlush(new Customer("Jdbc Jim", "Troon"));
            return jdbc.queryForObject("select count(*) from customer where full_name = 'Jdbc Jim'", Long.class);
        });
        assertThat(seen).as("the uncommitted row, seen on the transaction's own connection").isEqualTo(1);
    }

    @Test
    @Order(5)
    void a_duplicate_key_is_a_data_integrity_violation() {
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        tx.executeWithoutResult(s -> sharedEntityManager.persist(new Draft("d-dup", "first")));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> sharedEntityManager.persist(new Draft("d-dup", "second"))))
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        assertThat(SqliteFiles.rows(LOCAL_URL, "select body from draft where id = 'd-dup'")).singleElement()
                .extracting(r -> r.get("body")).isEqualTo("first");
    }

    @Test
    @Order(6)
    void open_in_view_keeps_the_entity_manager_open_for_a_lazy_collection_in_the_controller() throws Exception {
        Customer c = customers.save(new Customer("Lazy Lou", "Ely", "b", "a"));
        HttpResponse<String> response = get("/customers/" + c.getId() + "/tags");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a,b");
    }

    @Test
    @Order(7)
    void health_meters_and_jmx_report_the_sync_log() throws Exception {
        emf.sync();
        Customer c = customers.save(new Customer("Metered", "Kent"));
        JsonNode health = json(get("/actuator/health/dbComposite"));
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("details").path("pending").asLong()).isEqualTo(1);
        assertThat(health.path("details").path("dead").asLong()).isZero();
        assertThat(health.path("details").path("remoteAvailable").asBoolean()).isTrue();

        assertThat(meters.get("dbcomposite.sync.pending").tag("unit", "spring-shop").gauge().value()).isEqualTo(1.0);
        double appliedBefore = meters.get("dbcomposite.sync.applied").tag("unit", "spring-shop").counter().count();
        ObjectName mbean = new ObjectName("io.dbcomposite:type=CompositeUnit,name=spring-shop");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, "PendingChanges")).isEqualTo(1L);

        ManagementFactory.getPlatformMBeanServer().invoke(mbean, "sync", new Object[0], new String[0]);

        assertThat(remote("select count(*) n from customer where id = " + c.getId())).isEqualTo(1L);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, "PendingChanges")).isEqualTo(0L);
        assertThat(meters.get("dbcomposite.sync.applied").tag("unit", "spring-shop").counter().count())
                .isEqualTo(appliedBefore + 1);
        assertThat(json(get("/actuator/dbcomposite")).path("pending").asLong()).isZero();
    }

    @Test
    @Order(8)
    void a_dead_change_turns_health_down_and_the_endpoint_lists_retries_and_discards_it() throws Exception {
        PostgresTestDatabase.update(SCHEMA, "alter table customer add constraint no_poison check (full_name not like 'poison%')");
        try {
            Customer first = customers.save(new Customer("poison one", "Rye"));
            Customer second = customers.save(new Customer("poison two", "Rye"));
            emf.sync(); // max-attempts 1: both dead at once
            assertThat(emf.getSyncStatus().deadLetterCount()).isEqualTo(2);
            assertThat(listener.events).contains("dead Customer#" + first.getId(), "dead Customer#" + second.getId());

            HttpResponse<String> down = get("/actuator/health/dbComposite");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).path("status").asText()).isEqualTo("DOWN");
            assertThat(json(down).path("details").path("dead").asLong()).isEqualTo(2);
            assertThat(json(down).path("details").path("lastError").asText()).contains("no_poison");

            JsonNode dead = json(get("/actuator/dbcomposite/dead?size=1"));
            assertThat(dead.path("changes")).hasSize(1);
            JsonNode oldest = dead.path("changes").get(0);
            assertThat(oldest.path("entityName").asText()).isEqualTo("Customer");
            assertThat(oldest.path("entityId").asText()).isEqualTo(String.valueOf(first.getId()));
            assertThat(oldest.path("operation").asText()).isEqualTo("INSERT");
            long firstChange = oldest.path("id").asLong();
            long secondChange = json(get("/actuator/dbcomposite/dead?page=1&size=1")).path("changes").get(0).path("id").asLong();

            assertThat(json(post("/actuator/dbcomposite/discard/" + secondChange)).path("moved").asInt()).isEqualTo(1);
            PostgresTestDatabase.update(SCHEMA, "alter table customer drop constraint no_poison");
            assertThat(json(post("/actuator/dbcomposite/retry/" + firstChange)).path("moved").asInt()).isEqualTo(1);
            JsonNode run = json(post("/actuator/dbcomposite/sync/now"));
            assertThat(run.path("failed").asInt()).isZero();

            assertThat(remote("select count(*) n from customer where id = " + first.getId())).isEqualTo(1L);
            assertThat(remote("select count(*) n from customer where id = " + second.getId())).isEqualTo(0L);
            assertThat(json(get("/actuator/dbcomposite/discarded")).path("changes")).extracting(n -> n.path("id").asLong())
                    .contains(secondChange);
            assertThat(json(get("/actuator/health/dbComposite")).path("status").asText()).isEqualTo("UP");
        } finally {
            PostgresTestDatabase.update(SCHEMA, "alter table customer drop constraint if exists no_poison");
        }
    }

    @Test
    @Order(9)
    void the_endpoint_names_what_is_wrong_with_a_request() throws Exception {
        HttpResponse<String> badStatus = get("/actuator/dbcomposite/sleeping");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        HttpResponse<String> badAction = post("/actuator/dbcomposite/explode/1");
        assertThat(badAction.statusCode()).isEqualTo(400);
        HttpResponse<String> badId = post("/actuator/dbcomposite/retry/forty-two");
        assertThat(badId.statusCode()).isEqualTo(400);
        HttpResponse<String> badPage = get("/actuator/dbcomposite/pending?size=100000");
        assertThat(badPage.statusCode()).isEqualTo(400);
    }

    @Test
    @Order(10)
    void an_outage_is_logged_once_each_way_reported_as_health_detail_and_heard_by_the_listener_bean() throws Exception {
        emf.sync();
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger sync = Logger.getLogger("io.dbcomposite.sync");
        sync.addHandler(capture);
        try {
            PROXY.cut();
            Customer offline = customers.save(new Customer("Offline Olga", "Wick")); // LOCAL writes go on
            assertThatThrownBy(() -> invoices.save(new Invoice("Offline Olga", BigDecimal.TEN)))
                    .satisfies(e -> assertThat(causes(e)).anyMatch(RemoteUnavailableException.class::isInstance));
            assertThat(SqliteFiles.count(LOCAL_URL, "invoice where customer_name = 'Offline Olga'")).isZero();
            assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
            assertThatThrownBy(emf::sync).isInstanceOf(RemoteUnavailableException.class);
            JsonNode health = json(get("/actuator/health/dbComposite"));
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("details").path("remoteAvailable").asBoolean()).isFalse();
            // the gauges read the status at most once a second
            await(() -> meters.get("dbcomposite.sync.pending").tag("unit", "spring-shop").gauge().value() == 1.0);
            assertThat(health.path("details").path("pending").asLong()).isEqualTo(1);

            PROXY.restore();
            await(() -> emf.getSyncStatus().remoteAvailable()); // the unit's probe finds the remote back
            // told on the probe's thread right after the status turns, with the INFO line
            await(() -> listener.events.contains("remote available"));
            emf.sync();
            assertThat(remote("select count(*) n from customer where id = " + offline.getId())).isEqualTo(1L);
            assertThat(lines.stream().filter(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("is unreachable")))
                    .hasSize(1);
            assertThat(lines.stream().filter(r -> r.getLevel() == Level.INFO && r.getMessage().contains("is reachable again")))
                    .hasSize(1);
            assertThat(listener.events).containsSubsequence("remote unavailable", "remote available");
            assertThat(json(get("/actuator/health/dbComposite")).path("details").path("remoteAvailable").asBoolean()).isTrue();
        } finally {
            sync.removeHandler(capture);
        }
    }



    private static long remote(String sql) {
        return ((Number) PostgresTestDatabase.rows(SCHEMA, sql).get(0).get("n")).longValue();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
