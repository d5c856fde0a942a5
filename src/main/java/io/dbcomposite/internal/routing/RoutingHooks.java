package io.dbcomposite.internal.routing;

import io.dbcomposite.internal.capture.ColumnDefaults;
import io.dbcomposite.internal.capture.StoredValues;
import io.dbcomposite.internal.config.CompositeConfiguration;
import org.hibernate.SessionFactory;
import org.hibernate.integrator.spi.Integrator;

/**
 * What the routing facade hooks into each side's SessionFactory before it is built (the listeners that mirror
 * writes to the other side), and the routing table they read once it is resolved.
 */
public final class RoutingHooks {

    private final SessionRegistry registry = new SessionRegistry();
    private volatile RoutingTable table;

    /**
     * @param storedValues the unit's reader of values as the local database stores them (what the other side is given)
     * @param columnDefaults the reader of values an insert left to column defaults
     * @return the integrator of the local side's SessionFactory
     */
    public Integrator localIntegrator(StoredValues storedValues, ColumnDefaults columnDefaults) {
        return new MirrorIntegrator(Side.LOCAL, registry, () -> table, storedValues, columnDefaults);
    }

    /**
     * @param columnDefaults the reader of values an insert left to column defaults
     * @return the integrator of the remote side's SessionFactory
     */
    public Integrator remoteIntegrator(ColumnDefaults columnDefaults) {
        return new MirrorIntegrator(Side.REMOTE, registry, () -> table, null, columnDefaults);
    }

    /**
     * Resolves the routing table from the local factory's metamodel; the listeners read it from then on.
     *
     * @return the table
     */
    public RoutingTable resolve(CompositeConfiguration config, SessionFactory localFactory) {
        table = RoutingTable.resolve(config, localFactory);
        return table;
    }

    SessionRegistry registry() {
        return registry;
    }

    RoutingTable table() {
        return table;
    }
}
