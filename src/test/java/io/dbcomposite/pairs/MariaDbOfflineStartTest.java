package io.dbcomposite.pairs;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testing.MariaDbTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.StockMovement;
import io.dbcomposite.testmodel.TestModel;
import org.hibernate.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A unit that starts while its MariaDB remote is down (its dialect from the URL or named by
 * {@code hibernate.dialect}, with no version: Hibernate would assume its oldest MariaDB; its schema created when the
 * remote first answers) writes the remote as a unit started with the remote up does: the tables it creates are the ones
 * Hibernate creates for the server it then finds, so a unit started later with the remote up reads and writes them.
 */
class MariaDbOfflineStartTest {

    @TempDir
    Path dir;

    private CompositeEntityManagerFactory unit(String name, String url, String ddl, boolean explicitDialect) {
        CompositePersistence.Builder builder = CompositePersistence.builder();
        if (explicitDialect) {
            builder.property(CompositeSettings.REMOTE_HIBERNATE_PREFIX + "dialect", "org.hibernate.dialect.MariaDBDialect");
        }
        return builder
                .name(name)
                .local(SqliteFiles.urlIn(dir, name + ".db"))
                .remote(url, MariaDbTestDatabase.user(), MariaDbTestDatabase.password())
                .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                .property(CompositeSettings.LOCAL_HIBERNATE_PREFIX + "hbm2ddl.auto", "create")
                .property(CompositeSettings.REMOTE_HIBERNATE_PREFIX + "hbm2ddl.auto", ddl)
                .build();
    }

    @ParameterizedTest(name = "dialect named explicitly: {0}")
    @ValueSource(booleans = {false, true})
    void a_unit_started_while_mariadb_is_down_creates_the_schema_a_unit_started_online_uses(boolean explicitDialect) {
        String database = MariaDbTestDatabase.createSchema("MariaDbOfflineStartTest");
        try (TcpProxy proxy = TcpProxy.start(MariaDbTestDatabase.host(), MariaDbTestDatabase.port())) {
            proxy.cut();
            StockMovement queued = new StockMovement("OFF-1", 3);
            Notification note = new Notification("ops@example.com", "written while down");
            try (CompositeEntityManagerFactory offline = unit("offline" + explicitDialect,
                    MariaDbTestDatabase.urlThrough(proxy, database), "create", explicitDialect)) {
                assertThat(offline.getSyncStatus().remoteAvailable()).isFalse();
                Transactions.inTransaction(offline.createEntityManager(), em -> em.persist(queued));
                Transactions.inTransaction(offline.createEntityManager(), em -> em.persist(note));

                proxy.restore();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!offline.getSyncStatus().remoteAvailable() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                SyncResult r = offline.sync();
                assertThat(r.failed()).isZero();
                assertThat(r.applied()).isEqualTo(2);
            }

            try (CompositeEntityManagerFactory online = unit("online" + explicitDialect, MariaDbTestDatabase.urlFor(database), "validate",
                    false)) {
                try (Session s = online.remoteFactory().openSession()) {
                    assertThat(s.find(StockMovement.class, queued.getId())).as("the row the offline unit replayed").isNotNull();
                    assertThat(s.find(Notification.class, note.getId()).getMessage()).isEqualTo("written while down");
                }
                StockMovement more = new StockMovement("ON-1", 4);
                Transactions.inTransaction(online.createEntityManager(), em -> em.persist(more));
                assertThat(MariaDbTestDatabase.rows(database, "select count(*) as n from stock_movement").get(0).get("n"))
                        .isEqualTo(2L);
            }
        } finally {
            MariaDbTestDatabase.dropSchema(database);
        }
    }
}
