package io.dbcomposite;

import io.dbcomposite.demo.Demo;
import io.dbcomposite.testing.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the demo writes one entity per routing kind and shows where each landed. */
class DemoTest {

    /** entity -> {local rows, remote rows, remote rows after sync()} the contract's routing promises for one written entity */
    private static final Map<String, List<Long>> EXPECTED = Map.of(
            "Product", List.of(1L, 0L, 1L),
            "Draft", List.of(1L, 0L, 0L),
            "Payment", List.of(1L, 1L, 1L),
            "StockMovement", List.of(1L, 1L, 1L),
            "AuditEvent", List.of(0L, 1L, 1L),
            "ExchangeRate", List.of(1L, 1L, 1L),
            "Notification", List.of(0L, 1L, 1L));

    @Test
    void the_demo_on_embedded_defaults_places_each_entity_where_its_routing_says(@TempDir Path dir) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<Demo.Placement> placements = Demo.run("jdbc:sqlite:" + dir.resolve("local.db"),
                "jdbc:h2:file:" + dir.resolve("remote"), "sa", "", new PrintStream(text, true, StandardCharsets.UTF_8));

        assertPlacements(placements);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("Payment", "DUAL", "FAIL", "read back", "remote after sync",
                "emf.sync() applied");
    }

    @Test
    void the_demo_against_postgresql_places_each_entity_where_its_routing_says(@TempDir Path dir) {
        String schema = PostgresTestDatabase.createSchema("demo");
        try {
            List<Demo.Placement> placements = Demo.run("jdbc:sqlite:" + dir.resolve("local.db"),
                    PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertPlacements(placements);
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void the_demos_class_path_has_a_logging_provider_so_slf4j_prints_no_warning() {
        // without one, SLF4J (HikariCP's and Quartz's logging) prints "No SLF4J providers were found" and drops their lines
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName()).doesNotContain("NOP")
                .isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
    }

    private static void assertPlacements(List<Demo.Placement> placements) {
        assertThat(placements).allSatisfy(p -> assertThat(p.readBack()).as(p.entity() + " read back").isTrue());
        Map<String, List<Long>> actual = placements.stream()
                .collect(Collectors.toMap(Demo.Placement::entity, p -> List.of(p.localRows(), p.remoteRows(), p.remoteRowsAfterSync())));
        assertThat(actual).isEqualTo(EXPECTED);
    }
}
