package io.dbcomposite.spring.app;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Data JPA test slice runs on the composite unit too: each test in a transaction of both sides, rolled back at its
 * end (a DUAL entity's remote row included).
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataJpaSliceTest {

    static final String SCHEMA = PostgresTestDatabase.createSchema("spring_slice");
    static final String LOCAL_URL;

    static {
        try {
            LOCAL_URL = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-slice"), "slice.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("dbcomposite.local.url", () -> LOCAL_URL);
        registry.add("dbcomposite.remote.url", () -> PostgresTestDatabase.urlFor(SCHEMA));
        registry.add("dbcomposite.remote.user", PostgresTestDatabase::user);
        registry.add("dbcomposite.remote.password", PostgresTestDatabase::password);
        registry.add("dbcomposite.sync.enabled", () -> "false");
        registry.add("spring.jpa.hibernate.ddl-auto", () -> "update");
    }

    @Autowired
    EntityManagerFactory entityManagerFactory;
    @Autowired
    CustomerRepository customers;
    @Autowired
    InvoiceRepository invoices;

    @AfterAll
    static void dropSchema() {
        PostgresTestDatabase.dropSchema(SCHEMA);
    }

    @Test
    @Order(1)
    void the_slice_uses_the_composite_unit_inside_the_test_transaction() {
        assertThat(entityManagerFactory).isInstanceOf(CompositeEntityManagerFactory.class);
        Customer c = customers.saveAndFlush(new Customer("Slice Sam", "Deal"));
        invoices.saveAndFlush(new Invoice("Slice Sam", new BigDecimal("3.30")));
        assertThat(customers.findByCityOrderByFullNameAsc("Deal")).extracting(Customer::getId).containsExactly(c.getId());
        // flushed but not committed: another connection sees nothing on either side yet
        assertThat(SqliteFiles.count(LOCAL_URL, "customer")).isZero();
        assertThat(PostgresTestDatabase.count(SCHEMA, "invoice")).isZero();
    }

    @Test
    @Order(2)
    void the_test_transaction_was_rolled_back_on_both_sides() {
        assertThat(SqliteFiles.count(LOCAL_URL, "customer")).isZero();
        assertThat(SqliteFiles.count(LOCAL_URL, "dbc_sync_log")).isZero();
        assertThat(PostgresTestDatabase.count(SCHEMA, "invoice")).isZero();
        assertThat(customers.count()).isZero();
    }
}
