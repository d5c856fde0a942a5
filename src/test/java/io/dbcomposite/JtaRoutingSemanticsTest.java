package io.dbcomposite;

import io.dbcomposite.testing.JtaUnits;

import java.util.function.Consumer;

/**
 * {@link RoutingSemanticsTest} on a JTA unit: the remote is a pool enlisted in the JTA transaction (as a container's
 * {@code <jta-data-source>}), each transaction a JTA transaction the entity manager joins.
 */
class JtaRoutingSemanticsTest extends RoutingSemanticsTest {


    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, false);
    }

    @Override
    protected void inTransaction(Consumer<CompositeEntityManager> work) {
        JtaUnits.inTransaction(emf, work);
    }

}
