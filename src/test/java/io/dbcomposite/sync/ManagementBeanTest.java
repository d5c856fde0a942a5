package io.dbcomposite.sync;

import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.Product;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit's management bean {@code io.dbcomposite:type=CompositeUnit,name=<unit>} on the platform MBean server: the
 * sync status as attributes, the operations, a second unit of the same name beside it, and its end with the unit.
 */
class ManagementBeanTest extends SyncTestBase {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private ObjectName name() throws Exception {
        return new ObjectName("io.dbcomposite:type=CompositeUnit,name=" + getClass().getSimpleName());
    }

    @Test
    void the_status_is_read_and_the_operations_run_through_jmx() throws Exception {
        Product p = new Product(unique("JMX"), "Managed", new BigDecimal("2.00"), Category.BOOKS);
        inTransaction(em -> em.persist(p));
        long pending = emf.getSyncStatus().pendingChanges();
        assertThat(pending).isPositive();

        assertThat(server.getAttribute(name(), "PendingChanges")).isEqualTo(pending);
        assertThat(server.getAttribute(name(), "RemoteAvailable")).isEqualTo(true);
        assertThat(server.getAttribute(name(), "OldestPendingAt")).isNotNull();

        Object result = server.invoke(name(), "sync", new Object[0], new String[0]);

        assertThat(String.valueOf(result)).contains("applied=" + pending);
        assertThat(server.getAttribute(name(), "PendingChanges")).isEqualTo(0L);
        assertThat(server.getAttribute(name(), "LastSyncedAt")).isNotNull();
        assertThat(server.getAttribute(name(), "LagSeconds")).isEqualTo(0L);
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isEqualTo(1);
        assertThat(server.invoke(name(), "retry", new Object[] {Long.MAX_VALUE}, new String[] {"long"})).isEqualTo(0);
        assertThat(server.invoke(name(), "discard", new Object[] {Long.MAX_VALUE}, new String[] {"long"})).isEqualTo(0);
        assertThat(server.invoke(name(), "retryDeadLetters", new Object[0], new String[0])).isEqualTo(0);
    }

    @Test
    void a_second_unit_of_the_same_name_gets_an_instance_key_and_a_closed_unit_leaves_no_bean() throws Exception {
        ObjectName second;
        try (StandaloneUnit other = StandaloneUnit.start(getClass().getSimpleName(), Draft.class)) {
            second = new ObjectName(name() + ",instance=2");
            assertThat(server.isRegistered(name())).as("this class's unit").isTrue();
            assertThat(server.isRegistered(second)).as("the second open unit of the same name").isTrue();
            assertThat(server.getAttribute(second, "PendingChanges")).isEqualTo(0L);
        }
        assertThat(server.isRegistered(second)).as("gone with its unit").isFalse();
        assertThat(server.isRegistered(name())).isTrue();
    }
}
