package io.dbcomposite;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import io.dbcomposite.testmodel.TestModel;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Jakarta Persistence ways in: {@code persistence.xml} through {@link Persistence}, a container's
 * {@link PersistenceUnitInfo}, and a {@link PersistenceConfiguration}. Local side: SQLite files in a temp
 * folder; remote side: the real PostgreSQL in schemas of this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistenceXmlBootstrapTest {

    private static final String UNIT = "composite-test";

    private String schema;

    @TempDir
    Path dir;

    @BeforeAll
    void createSchema() {
        schema = PostgresTestDatabase.createSchema(getClass().getSimpleName());
    }

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    /** The overrides a user passes to {@code Persistence.createEntityManagerFactory(unit, map)}. */
    private Map<String, Object> overrides(String localUrl, String remoteSchema) {
        Map<String, Object> map = new HashMap<>();
        map.put(CompositeSettings.LOCAL_URL, localUrl);
        map.put(CompositeSettings.REMOTE_URL, PostgresTestDatabase.urlFor(remoteSchema));
        map.put(CompositeSettings.REMOTE_USER, PostgresTestDatabase.user());
        map.put(CompositeSettings.REMOTE_PASSWORD, PostgresTestDatabase.password());
        return map;
    }

    private static void inTransaction(EntityManagerFactory emf, java.util.function.Consumer<jakarta.persistence.EntityManager> work) {
        Transactions.inTransaction(emf.createEntityManager(), work);
    }

    /** SQLite stores UUIDs as 16-byte blobs. */
    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static long localCount(String localUrl, String table, String where, Object... params) {
        return ((Number) SqliteFiles.rows(localUrl, "select count(*) as n from " + table + " where " + where, params)
                .get(0).get("n")).longValue();
    }

    private static long remoteCount(String schema, String table, String where, Object... params) {
        return ((Number) PostgresTestDatabase.rows(schema, "select count(*) as n from " + table + " where " + where, params)
                .get(0).get("n")).longValue();
    }

    private static List<Long> localIds(String localUrl, String table) {
        return SqliteFiles.rows(localUrl, "select id from " + table + " order by id").stream()
                .map(r -> r.get("id") == null ? null : ((Number) r.get("id")).longValue())
                .toList();
    }

    private static List<String> remoteTables(String schema) {
        return PostgresTestDatabase.rows(schema,
                        "select table_name from information_schema.tables where table_schema = ?", schema).stream()
                .map(r -> (String) r.get("table_name"))
                .toList();
    }

    private static Routing routing(Read read, Write write, Sync sync, OnRemoteFail onRemoteFail) {
        // resolved: onConflict comes from the built-in default
        return Routing.builder().read(read).write(write).sync(sync).onRemoteFail(onRemoteFail)
                .onConflict(io.dbcomposite.OnConflict.FAIL).build();
    }

    private static Properties containerProperties(String remoteSchema) {
        Properties props = new Properties();
        props.setProperty(CompositeSettings.REMOTE_URL, PostgresTestDatabase.urlFor(remoteSchema));
        props.setProperty(CompositeSettings.REMOTE_USER, PostgresTestDatabase.user());
        props.setProperty(CompositeSettings.REMOTE_PASSWORD, PostgresTestDatabase.password());
        props.setProperty("hibernate.hbm2ddl.auto", "create");
        props.setProperty(CompositeSettings.SYNC_ENABLED, "false");
        return props;
    }

    private static DataSource sqlite(String url) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl(url);
        return ds;
    }

    // ------------------------------------------------------------------ persistence.xml

    @Test
    void persistence_create_entity_manager_factory_returns_a_composite_unit_from_persistence_xml() {
        String localUrl = SqliteFiles.urlIn(dir, "xml-type.db");
        try (EntityManagerFactory emf = Persistence.createEntityManagerFactory(UNIT, overrides(localUrl, schema))) {
            assertThat(emf).isInstanceOf(CompositeEntityManagerFactory.class);
            assertThat(emf.getName()).isEqualTo(UNIT);
            assertThat(emf.createEntityManager()).isInstanceOf(CompositeEntityManager.class);
        }
    }

    @Test
    void a_dual_entity_persisted_through_a_persistence_xml_unit_lands_in_both_databases() {
        String localUrl = SqliteFiles.urlIn(dir, "xml-dual.db");
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("42.50"), "EUR", PaymentMethod.CARD);
        try (EntityManagerFactory emf = Persistence.createEntityManagerFactory(UNIT, overrides(localUrl, schema))) {
            inTransaction(emf, em -> em.persist(pay));
        }

        assertThat(PostgresTestDatabase.rows(schema, "select amount, currency, version from payment where id = ?", pay.getId()))
                .singleElement()
                .satisfies(row -> {
                    assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo("42.50");
                    assertThat(row.get("currency")).isEqualTo("EUR");
                    assertThat(((Number) row.get("version")).longValue()).isZero();
                });
        assertThat(SqliteFiles.rows(localUrl, "select currency, version from payment where id = ?", uuidBytes(pay.getId())))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.get("currency")).isEqualTo("EUR");
                    assertThat(((Number) row.get("version")).longValue()).isZero();
                });
    }

    @Test
    void routing_from_the_annotations_applies_to_a_persistence_xml_unit() {
        String localUrl = SqliteFiles.urlIn(dir, "xml-routing.db");
        Product product = new Product("XML-1", "Xml widget", new BigDecimal("3.50"), Category.ELECTRONICS);
        AuditEvent event = new AuditEvent("xml", "from persistence.xml");
        try (EntityManagerFactory plain = Persistence.createEntityManagerFactory(UNIT, overrides(localUrl, schema))) {
            CompositeEntityManagerFactory emf = (CompositeEntityManagerFactory) plain;
            assertThat(emf.routingOf(Payment.class))
                    .isEqualTo(routing(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.FAIL));
            assertThat(emf.routingOf(AuditEvent.class))
                    .isEqualTo(routing(Read.REMOTE, Write.REMOTE, Sync.NONE, OnRemoteFail.QUEUE));
            assertThat(emf.routingOf(Product.class)).isEqualTo(Routing.BUILT_IN);

            inTransaction(emf, em -> {
                em.persist(product);
                em.persist(event);
            });
        }

        assertThat(localCount(localUrl, "product", "sku = ?", "XML-1")).isEqualTo(1);
        assertThat(remoteCount(schema, "product", "sku = ?", "XML-1")).isZero();
        assertThat(remoteCount(schema, "audit_event", "id = ?", event.getId())).isEqualTo(1);
        assertThat(localCount(localUrl, "audit_event", "id = ?", uuidBytes(event.getId()))).isZero();
    }

    @Test
    void a_per_entity_override_in_the_map_wins_over_the_annotation_of_a_persistence_xml_unit() {
        String localUrl = SqliteFiles.urlIn(dir, "xml-override.db");
        Map<String, Object> map = overrides(localUrl, schema);
        map.put("dbcomposite.routing.Payment.onRemoteFail", "QUEUE");
        try (EntityManagerFactory emf = Persistence.createEntityManagerFactory(UNIT, map)) {
            assertThat(((CompositeEntityManagerFactory) emf).routingOf(Payment.class))
                    .isEqualTo(routing(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.QUEUE));
        }
    }

    @Test
    void a_typo_in_a_persistence_xml_unit_fails_the_bootstrap_naming_the_key() {
        Map<String, Object> map = overrides(SqliteFiles.urlIn(dir, "xml-typo.db"), schema);
        map.put("dbcomposite.sync.intervall", "5s");

        assertThatThrownBy(() -> {
            try (EntityManagerFactory emf = Persistence.createEntityManagerFactory(UNIT, map)) {
                assertThat(emf).as("the bootstrap should have failed").isNull();
            }
        }).isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("dbcomposite.sync.intervall")
                .hasMessageContaining("did you mean 'dbcomposite.sync.interval'");
    }

    @Test
    void a_unit_of_another_provider_in_the_same_persistence_xml_is_not_taken() {
        Map<String, Object> map = overrides(SqliteFiles.urlIn(dir, "other.db"), schema);
        CompositePersistenceProvider provider = new CompositePersistenceProvider();

        assertThat(provider.createEntityManagerFactory("other-unit", map)).isNull();
        assertThat(provider.createEntityManagerFactory("no-such-unit", map)).isNull();
        assertThat(provider.generateSchema("other-unit", map)).isFalse();
    }

    @Test
    void generate_schema_by_unit_name_creates_the_tables_in_the_remote_schema() {
        String genSchema = PostgresTestDatabase.createSchema(getClass().getSimpleName() + "_xmlgen");
        try {
            Map<String, Object> map = overrides(SqliteFiles.urlIn(dir, "xml-gen.db"), genSchema);
            assertThat(remoteTables(genSchema)).isEmpty();

            assertThat(new CompositePersistenceProvider().generateSchema(UNIT, map)).isTrue();

            assertThat(remoteTables(genSchema)).containsAll(TestModel.TABLES);
        } finally {
            PostgresTestDatabase.dropSchema(genSchema);
        }
    }

    // ------------------------------------------------------------------ container bootstrap

    @Test
    void a_container_jta_unit_takes_its_jta_data_source_as_the_remote_and_joins_the_containers_transactions() throws Exception {
        String localUrl = SqliteFiles.urlIn(dir, "container-jta.db");
        Properties props = new Properties();
        props.setProperty("hibernate.hbm2ddl.auto", "create");
        props.setProperty(CompositeSettings.SYNC_ENABLED, "false");
        io.agroal.api.AgroalDataSource remote = io.dbcomposite.testing.StandaloneJta.dataSource(
                PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password());
        TestPersistenceUnitInfo info = new TestPersistenceUnitInfo("container-jta", props, sqlite(localUrl), remote);
        Payment pay = new Payment(java.util.UUID.randomUUID(), new BigDecimal("3.00"), "EUR", PaymentMethod.CARD);
        jakarta.transaction.TransactionManager tm = io.dbcomposite.testing.StandaloneJta.manager();
        try (remote; EntityManagerFactory emf = new CompositePersistenceProvider().createContainerEntityManagerFactory(info, Map.of())) {
            assertThat(emf.getTransactionType()).isEqualTo(jakarta.persistence.PersistenceUnitTransactionType.JTA);
            tm.begin();
            EntityManager em = emf.createEntityManager(); // as a container creates a transaction-scoped one
            em.persist(pay);
            em.close();
            tm.commit();
        }
        assertThat(remoteCount(schema, "payment", "id = ?", pay.getId())).isEqualTo(1);
        assertThat(SqliteFiles.rows(localUrl, "select version from payment")).as("the local copy of the DUAL write")
                .hasSize(1);
    }

    @Test
    void a_container_unit_uses_its_non_jta_data_source_as_the_local_side() {
        String localUrl = SqliteFiles.urlIn(dir, "container.db");
        TestPersistenceUnitInfo info = new TestPersistenceUnitInfo("container-unit", containerProperties(schema), sqlite(localUrl));

        Product product = new Product("CONT-1", "Container widget", new BigDecimal("7.00"), Category.ELECTRONICS);
        try (EntityManagerFactory emf = new CompositePersistenceProvider().createContainerEntityManagerFactory(info, Map.of())) {
            assertThat(emf).isInstanceOf(CompositeEntityManagerFactory.class);
            assertThat(emf.getName()).isEqualTo("container-unit");
            inTransaction(emf, em -> em.persist(product));
            assertThat(product.getId()).isNotNull();
            try (var em = emf.createEntityManager()) {
                assertThat(em.find(Product.class, product.getId()).getSku()).isEqualTo("CONT-1");
            }
        }

        assertThat(SqliteFiles.rows(localUrl, "select id, name from product where sku = ?", "CONT-1"))
                .singleElement()
                .satisfies(row -> {
                    assertThat(((Number) row.get("id")).longValue()).isEqualTo(product.getId());
                    assertThat(row.get("name")).isEqualTo("Container widget");
                });
        assertThat(remoteCount(schema, "product", "sku = ?", "CONT-1")).isZero();
    }

    @Test
    void every_identity_entity_gets_its_id_on_a_sqlite_data_source_given_by_the_container() {
        String localUrl = SqliteFiles.urlIn(dir, "container-identity.db");
        TestPersistenceUnitInfo info = new TestPersistenceUnitInfo("container-identity", containerProperties(schema), sqlite(localUrl));

        Tag tag = new Tag("container");
        Product product = new Product("CONT-2", "Tagged", new BigDecimal("1.00"), Category.ELECTRONICS).addTag(tag);
        Draft draft = new Draft("Container draft", "body");
        Customer customer = new Customer("Ada", "ada-container@example.com");
        PurchaseOrder order = new PurchaseOrder(customer);
        OrderLine line = order.addLine(product, 2, new BigDecimal("1.00"));
        try (EntityManagerFactory emf = new CompositePersistenceProvider().createContainerEntityManagerFactory(info, Map.of())) {
            inTransaction(emf, em -> {
                em.persist(tag);
                em.persist(product);
                em.persist(draft);
                em.persist(customer);
                em.persist(order);
            });
        }

        assertThat(java.util.Arrays.asList(tag.getId(), product.getId(), draft.getId(), line.getId())).doesNotContainNull();
        // the ids Hibernate reported are the ones stored (an untyped id column would keep NULL)
        assertThat(localIds(localUrl, "tag")).as("tag ids in the local file").containsExactly(tag.getId());
        assertThat(localIds(localUrl, "product")).as("product ids in the local file").containsExactly(product.getId());
        assertThat(localIds(localUrl, "draft")).as("draft ids in the local file").containsExactly(draft.getId());
        assertThat(localIds(localUrl, "order_line")).as("order_line ids in the local file").containsExactly(line.getId());
        assertThat(localCount(localUrl, "product_tag", "product_id = ? and tag_id = ?", product.getId(), tag.getId())).isEqualTo(1);
    }

    @Test
    void a_container_unit_without_a_provider_element_is_built_by_the_provider_the_container_chose() {
        // e.g. Spring's LocalContainerEntityManagerFactoryBean with packagesToScan and setPersistenceProvider(...):
        // the unit info names no provider; the container has already picked this one
        String localUrl = SqliteFiles.urlIn(dir, "container-unnamed.db");
        TestPersistenceUnitInfo info = new TestPersistenceUnitInfo("container-unnamed", containerProperties(schema), sqlite(localUrl)) {
            @Override
            public String getPersistenceProviderClassName() {
                return null;
            }
        };

        try (EntityManagerFactory emf = new CompositePersistenceProvider().createContainerEntityManagerFactory(info, Map.of())) {
            assertThat(emf).isInstanceOf(CompositeEntityManagerFactory.class);
            assertThat(emf.getName()).isEqualTo("container-unnamed");
        }
    }

    @Test
    void generate_schema_for_a_container_unit_creates_the_tables_in_the_remote_schema() {
        String genSchema = PostgresTestDatabase.createSchema(getClass().getSimpleName() + "_gen");
        try {
            Properties props = containerProperties(genSchema);
            props.remove("hibernate.hbm2ddl.auto"); // the standard schema-generation property below decides
            TestPersistenceUnitInfo info = new TestPersistenceUnitInfo("container-gen-unit", props,
                    sqlite(SqliteFiles.urlIn(dir, "container-gen.db")));
            assertThat(remoteTables(genSchema)).isEmpty();

            new CompositePersistenceProvider().generateSchema(info,
                    Map.of(PersistenceConfiguration.SCHEMAGEN_DATABASE_ACTION, "create"));

            assertThat(remoteTables(genSchema)).containsAll(TestModel.TABLES);
        } finally {
            PostgresTestDatabase.dropSchema(genSchema);
        }
    }

    // ------------------------------------------------------------------ PersistenceConfiguration

    @Test
    void a_persistence_configuration_naming_the_composite_provider_opens_a_working_composite_unit() {
        String localUrl = SqliteFiles.urlIn(dir, "configuration.db");
        PersistenceConfiguration configuration = new PersistenceConfiguration("configured-unit")
                .provider(CompositePersistenceProvider.class.getName());
        TestModel.ENTITIES.forEach(configuration::managedClass);
        configuration.properties(overrides(localUrl, schema))
                .property("hibernate.hbm2ddl.auto", "create")
                .property(CompositeSettings.SYNC_ENABLED, "false");

        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("9.90"), "USD", PaymentMethod.CARD);
        try (EntityManagerFactory emf = new CompositePersistenceProvider().createEntityManagerFactory(configuration)) {
            assertThat(emf).isInstanceOf(CompositeEntityManagerFactory.class);
            assertThat(emf.getName()).isEqualTo("configured-unit");
            assertThat(((CompositeEntityManagerFactory) emf).routingOf(Payment.class))
                    .isEqualTo(routing(Read.LOCAL, Write.DUAL, Sync.BACKGROUND, OnRemoteFail.FAIL));
            inTransaction(emf, em -> em.persist(pay));
        }

        assertThat(remoteCount(schema, "payment", "id = ? and currency = 'USD'", pay.getId())).isEqualTo(1);
        assertThat(localCount(localUrl, "payment", "id = ? and currency = 'USD'", uuidBytes(pay.getId()))).isEqualTo(1);
    }

    @Test
    void xml_mapping_files_are_refused_rather_than_left_out() {
        PersistenceConfiguration configuration = new PersistenceConfiguration("mapped-unit")
                .provider(CompositePersistenceProvider.class.getName())
                .mappingFile("META-INF/shop-orm.xml");
        TestModel.ENTITIES.forEach(configuration::managedClass);
        configuration.properties(overrides(SqliteFiles.urlIn(dir, "mapped.db"), schema));

        assertThatThrownBy(() -> new CompositePersistenceProvider().createEntityManagerFactory(configuration))
                .isInstanceOf(io.dbcomposite.CompositeConfigurationException.class)
                .hasMessageContaining("mapped-unit").hasMessageContaining("META-INF/shop-orm.xml");
    }

    @Test
    void a_persistence_configuration_naming_another_provider_is_not_taken() {
        PersistenceConfiguration configuration = new PersistenceConfiguration("hibernate-configured")
                .provider(HibernatePersistenceProvider.class.getName())
                .managedClass(Product.class);

        assertThat(new CompositePersistenceProvider().createEntityManagerFactory(configuration)).isNull();
    }

    /** A container's view of a unit: the test model's classes, the given properties and non-JTA data source. */
    @SuppressWarnings({"deprecation", "removal"})
    private static class TestPersistenceUnitInfo implements PersistenceUnitInfo {
        private final String name;
        private final Properties properties;
        private final DataSource nonJtaDataSource;
        private final DataSource jtaDataSource;

        TestPersistenceUnitInfo(String name, Properties properties, DataSource nonJtaDataSource) {
            this(name, properties, nonJtaDataSource, null);
        }

        /** A JTA unit if {@code jtaDataSource} is given, as a container describes one. */
        TestPersistenceUnitInfo(String name, Properties properties, DataSource nonJtaDataSource, DataSource jtaDataSource) {
            this.name = name;
            this.properties = properties;
            this.nonJtaDataSource = nonJtaDataSource;
            this.jtaDataSource = jtaDataSource;
        }

        @Override
        public String getPersistenceUnitName() {
            return name;
        }

        @Override
        public String getPersistenceProviderClassName() {
            return CompositePersistenceProvider.class.getName();
        }

        @Override
        public String getScopeAnnotationName() {
            return null;
        }

        @Override
        public List<String> getQualifierAnnotationNames() {
            return List.of();
        }

        @Override
        public PersistenceUnitTransactionType getTransactionType() {
            return jtaDataSource != null ? PersistenceUnitTransactionType.JTA : PersistenceUnitTransactionType.RESOURCE_LOCAL;
        }

        @Override
        public DataSource getJtaDataSource() {
            return jtaDataSource;
        }

        @Override
        public DataSource getNonJtaDataSource() {
            return nonJtaDataSource;
        }

        @Override
        public List<String> getMappingFileNames() {
            return List.of();
        }

        @Override
        public List<URL> getJarFileUrls() {
            return List.of();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            return null;
        }

        @Override
        public List<String> getManagedClassNames() {
            return TestModel.ENTITIES.stream().map(Class::getName).toList();
        }

        @Override
        public boolean excludeUnlistedClasses() {
            return true;
        }

        @Override
        public SharedCacheMode getSharedCacheMode() {
            return SharedCacheMode.UNSPECIFIED;
        }

        @Override
        public ValidationMode getValidationMode() {
            return ValidationMode.NONE;
        }

        @Override
        public Properties getProperties() {
            return properties;
        }

        @Override
        public String getPersistenceXMLSchemaVersion() {
            return "3.2";
        }

        @Override
        public ClassLoader getClassLoader() {
            return Thread.currentThread().getContextClassLoader();
        }

        @Override
        public void addTransformer(ClassTransformer transformer) {
            // no enhancement in tests
        }

        @Override
        public ClassLoader getNewTempClassLoader() {
            return getClassLoader();
        }
    }
}
