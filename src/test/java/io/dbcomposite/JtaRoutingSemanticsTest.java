package io.dbcomposite;

import io.agroal.api.AgroalDataSource;
import io.dbcomposite.testing.JtaUnits;
import io.dbcomposite.testing.StandaloneJta;

import java.util.function.Consumer;

/**
 * {@link RoutingSemanticsTest} on a JTA unit: the remote is a pool enlisted in the JTA transaction (as a container's
 * {@code <jta-data-source>}), each transaction a JTA transaction the entity manager joins.
 */
class JtaRoutingSemanticsTest extends RoutingSemanticsTest {

    private AgroalDataSource remote;

    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        remote = StandaloneJta.dataSource(pair.remoteUrlThrough(proxy, schema), pair.remoteUser(), pair.remotePassword());
        return JtaUnits.jta(builder, remote);
    }

    @Override
    protected void inTransaction(Consumer<CompositeEntityManager> work) {
        JtaUnits.inTransaction(emf, work);
    }

    @Override
    protected void stopUnit() {
        super.stopUnit();
        if (remote != null) {
            remote.close();
        }
    }
}
