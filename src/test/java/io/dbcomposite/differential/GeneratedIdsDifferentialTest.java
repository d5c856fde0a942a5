package io.dbcomposite.differential;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 10, the differential test's second group: SEQUENCE, TABLE and AUTO ids ({@link TicketModel}) on plain
 * Hibernate and on the composite unit under every routing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedIdsDifferentialTest {

    private final DifferentialSuite suite = new DifferentialSuite();

    @TestFactory
    Stream<DynamicNode> sequence_table_and_auto_ids_behave_as_plain_hibernate_on_every_routing() {
        return suite.containers(TicketModel.model(), List.of(RoutingKind.values()), kind -> List.of());
    }

    @AfterAll
    void closeUnits() {
        suite.close();
    }
}
