package io.dbcomposite.differential;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 11, found by a probe with mappings none of our models had ({@link HostileModel}): on plain Hibernate and on the
 * composite unit under every routing, every table of both databases holds the same after each step. Before the fixes a
 * {@code @SoftDelete} or {@code @Immutable} entity never replayed (FAILED until DEAD), an {@code @SQLDelete} row was
 * deleted on the remote while the local one was kept, a {@code @ColumnDefault} left to the local database under
 * {@code @DynamicInsert} was null on the remote, and an optional secondary table got a row of nulls the local side had not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileMappingsDifferentialTest {

    private final DifferentialSuite suite = new DifferentialSuite();

    @TestFactory
    Stream<DynamicNode> mappings_we_did_not_design_behave_as_plain_hibernate_on_every_routing() {
        return suite.containers(HostileModel.model(), List.of(RoutingKind.values()), kind -> List.of());
    }

    @AfterAll
    void closeUnits() {
        suite.close();
    }
}
