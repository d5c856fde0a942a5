package io.dbcomposite.differential;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10: the differential test. Every step of {@link SeedbankModel} runs on plain Hibernate and on the composite
 * unit under each routing; results and every table of both databases are compared after each step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedbankDifferentialTest {

    private final DifferentialSuite suite = new DifferentialSuite();

    @TestFactory
    Stream<DynamicNode> every_step_behaves_as_plain_hibernate_on_every_routing() {
        Model model = SeedbankModel.model();
        return suite.containers(model, List.of(RoutingKind.values()), kind -> kind == RoutingKind.REMOTE
                ? List.of(DynamicTest.dynamicTest("000 read=REMOTE, write=REMOTE with QUEUE for every entity is refused at bootstrap",
                        () -> assertRemoteQueueRefused(model)))
                : List.of());
    }

    /** The contract: REMOTE+QUEUE entities must have assigned ids and own no collections; the bootstrap checks it. */
    private static void assertRemoteQueueRefused(Model model) throws Exception {
        String schema = PostgresTestDatabase.createSchema("diff_remote_queue");
        java.nio.file.Path dir = Files.createTempDirectory("diff_remote_queue");
        try {
            String localUrl = SqliteFiles.urlIn(dir, "local.db");
            assertThatThrownBy(() -> RoutingKind.REMOTE.configure(CompositePersistence.builder()
                            .name("diff_remote_queue")
                            .local(localUrl)
                            .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                            .entities(model.entities().toArray(Class<?>[]::new))
                            .syncEnabled(false)
                            .property("hibernate.hbm2ddl.auto", "create"), java.util.Map.of())
                    .build().close())
                    .isInstanceOf(CompositeConfigurationException.class)
                    .hasMessageContaining("read=REMOTE, write=REMOTE, onRemoteFail=QUEUE")
                    .hasMessageContaining(".onRemoteFail");
        } finally {
            PostgresTestDatabase.dropSchema(schema);
            DifferentialRun.deleteTree(dir);
        }
    }

    @AfterAll
    void closeUnits() {
        suite.close();
    }
}
