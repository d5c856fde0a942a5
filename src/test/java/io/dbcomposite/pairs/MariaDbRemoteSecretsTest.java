package io.dbcomposite.pairs;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.testing.MariaDbTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.TestModel;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A password in a MariaDB remote URL reaches the server exactly as written (MariaDB Connector/J reads query values
 * without URL-decoding them, so a {@code +} or a {@code %} in it must stay as it is) and shows nowhere: not in the
 * unit's properties, not in the URL the connection reports, not in the exception of a write the outage refused. The
 * server checks the password: a user of the test's own with a password holding {@code +} and {@code %}.
 */
class MariaDbRemoteSecretsTest {

    @TempDir
    Path dir;

    @Test
    void a_password_with_plus_and_percent_in_the_url_logs_in_and_leaks_nowhere() {
        String database = MariaDbTestDatabase.createSchema("MariaDbRemoteSecretsTest");
        String user = "dbc_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "S3c+r%3Dt-" + UUID.randomUUID().toString().substring(0, 8);
        MariaDbTestDatabase.update("test", "create user '" + user + "'@'%' identified by '" + secret + "'");
        try (TcpProxy proxy = TcpProxy.start(MariaDbTestDatabase.host(), MariaDbTestDatabase.port())) {
            MariaDbTestDatabase.update("test", "grant all on " + database + ".* to '" + user + "'@'%'");
            try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                    .name("mariadb-secrets")
                    .local(SqliteFiles.urlIn(dir, "local.db"))
                    .remote(MariaDbTestDatabase.urlThrough(proxy, database) + "?password=" + secret)
                    .property(CompositeSettings.REMOTE_USER, user)
                    .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                    .entities(TestModel.ENTITIES)
                    .syncEnabled(false)
                    .property("hibernate.hbm2ddl.auto", "create")
                    .build()) {
                Payment paid = new Payment(UUID.randomUUID(), new BigDecimal("3.00"), "EUR", PaymentMethod.CARD);
                Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(paid));
                assertThat(MariaDbTestDatabase.rows(database, "select count(*) as n from payment").get(0).get("n"))
                        .as("the DUAL write reached MariaDB, logged in with the password as written").isEqualTo(1L);

                assertThat(emf.getProperties().toString()).doesNotContain(secret).doesNotContain("S3c");
                AtomicReference<String> reported = new AtomicReference<>();
                try (Session s = emf.remoteFactory().openSession()) {
                    s.doWork(c -> reported.set(c.getMetaData().getURL()));
                }
                assertThat(reported.get()).contains(database).doesNotContain("S3c");

                proxy.cut();
                Throwable refused = catchThrowable(() -> Transactions.inTransaction(emf.createEntityManager(),
                        em -> em.persist(new Payment(UUID.randomUUID(), BigDecimal.ONE, "EUR", PaymentMethod.CARD))));
                assertThat(refused).isInstanceOf(RemoteWriteException.class);
                StringWriter printed = new StringWriter();
                refused.printStackTrace(new PrintWriter(printed));
                assertThat(printed.toString()).doesNotContain("S3c");
            }
        } finally {
            MariaDbTestDatabase.update("test", "drop user '" + user + "'@'%'");
            MariaDbTestDatabase.dropSchema(database);
        }
    }
}
