package io.dbcomposite.differential;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 10, the differential test's second group: SEQUENCE, TABLE and AUTO ids ({@link TicketModel}) on plain
 * Hibernate and on the composite unit under every routing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedIdsDifferentialTest {

    private final DifferentialSuite suite = new DifferentialSuite().withKnownDivergences(Map.of(
            // the tickets are held entities on REMOTE (onRemoteFail=QUEUE): their removals are recorded until commit,
            // so the count the step then queries on the remote still includes the removed ticket (plain Hibernate
            // flushes the removal before the query); the ids and generators are not involved
            DifferentialSuite.knownDivergence(RoutingKind.REMOTE, "remove a ticket of each kind"),
            "a query on the remote does not see the held entities' pending removals (REMOTE held-entity semantics)"));

    @TestFactory
    Stream<DynamicNode> sequence_table_and_auto_ids_behave_as_plain_hibernate_on_every_routing() {
        return suite.containers(TicketModel.model(), List.of(RoutingKind.values()), kind -> List.of());
    }

    @AfterAll
    void closeUnits() {
        suite.close();
    }
}
