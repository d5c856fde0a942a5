package io.dbcomposite.ids;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.TestModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ids the local side generated reach a MariaDB remote, and an id MariaDB allocates afterwards is past them: its
 * SEQUENCE objects (Hibernate's MariaDB dialect uses them for SEQUENCE and AUTO ids) and generator tables are moved
 * as PostgreSQL's are, and its AUTO_INCREMENT moves by itself past the IDENTITY ids replayed into it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbGeneratorCatchUpTest {

    private StandaloneUnit unit;
    private StandaloneUnit dual;

    private StandaloneUnit unit() {
        if (unit == null) {
            unit = StandaloneUnit.start(DatabasePair.SQLITE_MARIADB, "MariaGenCatchUp", null, Map.of(),
                    SharedGenerators.ALL.toArray(new Class<?>[0]));
        }
        return unit;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
        if (dual != null) {
            dual.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SharedGenerators.Kind.class)
    void an_id_mariadb_allocates_after_replayed_rows_with_local_ids_is_past_them(SharedGenerators.Kind kind) {
        StandaloneUnit unit = unit();
        Map<Long, String> expected = new TreeMap<>();
        List<SharedGenerators.Row> locals = new ArrayList<>();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (int i = 0; i < 3; i++) {
                SharedGenerators.Row row = kind.newLocal("local-" + i);
                em.persist(row);
                locals.add(row);
            }
        });
        assertThat(unit.emf.sync().failed()).isZero();
        locals.forEach(row -> expected.put(row.getId(), row.getName()));
        long highest = Collections.max(expected.keySet());

        // numbered by MariaDB's own generator: without the catch-up its first value, a duplicate key
        SharedGenerators.Row remote = kind.newRemote("remote");
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(remote));
        assertThat(remote.getId()).isGreaterThan(highest);
        expected.put(remote.getId(), "remote");

        if (kind.blocks) {
            SharedGenerators.Row later = kind.newLocal("local-later");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(later));
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(later.getId()).isNotEqualTo(remote.getId());
            expected.put(later.getId(), "local-later");
        }
        Map<Long, String> rows = new TreeMap<>();
        unit.pair.remoteRows(unit.schema, "select id, name from " + kind.table())
                .forEach(row -> rows.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
        assertThat(rows).as("every row, none overwritten").isEqualTo(expected);

        if (kind.sequence != null) {
            // another application taking a value straight from the sequence
            assertThat(unit.remote("select nextval(" + kind.sequence + ")")).isGreaterThan(Collections.max(expected.keySet()));
        }
    }

    @Test
    void mirrored_dual_rows_move_the_sequence_too() {
        dual = StandaloneUnit.start(DatabasePair.SQLITE_MARIADB, "MariaGenCatchUpDual",
                Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build(), Map.of(),
                SharedGenerators.ALL.toArray(new Class<?>[0]));
        SharedGenerators.Row row = SharedGenerators.Kind.SEQUENCE_ONE.newLocal("dual");
        Transactions.inTransaction(dual.emf.createEntityManager(), em -> em.persist(row));
        assertThat(dual.remote("select count(*) from catchup_seq_one_row where id = ?", row.getId())).isEqualTo(1);

        assertThat(dual.remote("select nextval(catchup_seq_one)")).isGreaterThan(row.getId());
    }

    @Test
    void auto_increment_moves_past_replayed_identity_ids_by_itself() {
        try (StandaloneUnit shop = StandaloneUnit.start(DatabasePair.SQLITE_MARIADB, "MariaIdentity", null, Map.of(),
                TestModel.ENTITIES.toArray(new Class<?>[0]))) {
            List<Product> products = new ArrayList<>();
            Transactions.inTransaction(shop.emf.createEntityManager(), em -> {
                for (int i = 0; i < 5; i++) {
                    Product p = new Product("AI-" + i, "Identity", BigDecimal.ONE, Category.TOYS);
                    em.persist(p);
                    products.add(p);
                }
            });
            assertThat(shop.emf.sync().failed()).isZero();

            shop.pair.remoteUpdate(shop.schema, "insert into product (sku, name, price, category, version, created_at, active)"
                    + " values ('AI-remote', 'Remote', 1, 'TOYS', 0, current_timestamp(6), 1)");

            long remoteId = shop.remote("select id from product where sku = 'AI-remote'");
            assertThat(remoteId).isGreaterThan(products.get(4).getId());
        }
    }
}
