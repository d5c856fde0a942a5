package io.dbcomposite;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 as the local side ("also works" in the README): the sync log is written without SQLite's kept
 * statements, in multi-row inserts prepared per transaction, and a single writer's log replays in order.
 * Concurrent writers are not covered: H2 does not make writers take turns the way SQLite's IMMEDIATE
 * transactions do, so log ids need not commit in id order there.
 */
class H2LocalSideTest {

    @TempDir
    Path dir;

    @Test
    void a_transaction_of_forty_writes_on_an_h2_local_side_is_logged_in_order_and_replays() {
        String schema = PostgresTestDatabase.createSchema("H2LocalSideTest");
        try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("h2-local")
                .local("jdbc:h2:file:" + dir.resolve("local"), "sa", "")
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create")
                .build()) {
            Instant before = Instant.now().minusSeconds(1);
            List<Product> products = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                products.add(new Product("H2-" + i, "On H2 " + i, new BigDecimal("1.25"), Category.BOOKS).addLabel("h2"));
            }
            try (CompositeEntityManager em = emf.createEntityManager()) {
                em.getTransaction().begin();
                products.forEach(em::persist);
                em.getTransaction().commit();

                List<SyncLogEntity> log = em.createQuery("select c from SyncLogEntity c order by c.id", SyncLogEntity.class)
                        .getResultList();
                assertThat(log).extracting(SyncLogEntity::getEntityId)
                        .containsExactlyElementsOf(products.stream().map(p -> String.valueOf(p.getId())).toList());
                assertThat(log).extracting(SyncLogEntity::getTxId).containsOnly(log.get(0).getTxId());
                assertThat(log).extracting(SyncLogEntity::getStatus).containsOnly(ChangeStatus.PENDING);
                assertThat(log).extracting(SyncLogEntity::getCreatedAt).allSatisfy(at -> assertThat(at).isAfter(before));
            }

            SyncResult r = emf.sync();

            assertThat(r.applied()).isEqualTo(40);
            assertThat(r.failed()).isZero();
            assertThat(r.remaining()).isZero();
            assertThat(PostgresTestDatabase.count(schema, "product")).isEqualTo(40);
            assertThat(PostgresTestDatabase.count(schema, "product_label")).isEqualTo(40);
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
