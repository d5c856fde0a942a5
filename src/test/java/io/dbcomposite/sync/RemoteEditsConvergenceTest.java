package io.dbcomposite.sync;

import io.dbcomposite.OnConflict;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The random shop workload with random edits straight on the remote in between, as another application would make
 * them: tags (no {@code @Version}: told by their values) and products (a {@code @Version}). Every edited row is then
 * changed again locally (updated or, by the workload, deleted). Under FAIL and REMOTE_WINS every remote edit survives;
 * under LOCAL_WINS none does and the remote ends equal to the local state; REMOTE_WINS ends with the local state equal
 * to the remote; and no row nobody edited on the remote is ever a conflict.
 */
class RemoteEditsConvergenceTest extends SyncTestBase {

    @ParameterizedTest
    @EnumSource(value = OnConflict.class, names = {"FAIL", "LOCAL_WINS", "REMOTE_WINS"})
    void a_random_workload_with_random_edits_straight_on_the_remote_ends_as_the_policy_says(OnConflict policy) {
        try (FreshStores stores = new FreshStores("remote_edits_" + policy.name().toLowerCase(), b -> b
                .property("dbcomposite.defaults.onConflict", policy.name())
                .property("dbcomposite.sync.batch-size", "6"))) {
            Random random = new Random(31337L + policy.ordinal());
            ShopWorkload workload = new ShopWorkload(random, "edits");
            workload.seed(stores.unit);
            workload.run(stores.unit, 12);
            stores.unit.sync();
            stores.assertRemoteEqualsLocal();

            Map<String, String> edits = new LinkedHashMap<>();
            for (long id : pick(random, ids(stores.localUrl, "tag"), 2)) {
                String value = "remote-tag-" + id;
                assertThat(PostgresTestDatabase.update(stores.schema, "update tag set name = ? where id = ?", value, id)).isEqualTo(1);
                edits.put("Tag#" + id, value);
            }
            for (long id : pick(random, ids(stores.localUrl, "product"), 3)) {
                String value = "remote-product-" + id;
                assertThat(PostgresTestDatabase.update(stores.schema,
                        "update product set name = ?, version = version + 1 where id = ?", value, id)).isEqualTo(1);
                edits.put("Product#" + id, value);
            }

            long mark = ((Number) SqliteFiles.rows(stores.localUrl, "select coalesce(max(id), 0) as m from dbc_sync_log")
                    .get(0).get("m")).longValue();
            workload.run(stores.unit, 8);
            inTransaction(stores.unit, em -> edits.keySet().forEach(row -> {
                long id = Long.parseLong(row.substring(row.indexOf('#') + 1));
                if (row.startsWith("Tag#")) {
                    Tag t = em.find(Tag.class, id);
                    if (t != null) {
                        t.setName("local-tag-" + id);
                    }
                } else {
                    Product p = em.find(Product.class, id);
                    if (p != null) {
                        p.setName("local-product-" + id);
                    }
                }
            }));
            stores.unit.sync();
            stores.unit.sync();

            SyncStatus status = stores.unit.getSyncStatus();
            List<String> conflicted = rows(stores.localUrl, "CONFLICT");
            assertThat(conflicted).as("conflicts only on rows edited on the remote").allMatch(edits::containsKey);
            switch (policy) {
                case FAIL -> {
                    assertThat(status.conflictCount()).isEqualTo(conflicted.size()).isPositive();
                    for (String row : edits.keySet()) {
                        String name = row.substring(0, row.indexOf('#'));
                        String id = row.substring(row.indexOf('#') + 1);
                        List<String> after = new ArrayList<>();
                        SqliteFiles.rows(stores.localUrl, "select status from dbc_sync_log where entity_name = ? and entity_id = ?"
                                + " and id > ? order by id", name, id, mark).forEach(r -> after.add((String) r.get("status")));
                        assertThat(after).as("the changes of %s after its remote edit", row).isNotEmpty()
                                .doesNotContain("SYNCED");
                    }
                    edits.forEach((row, value) -> assertThat(remoteName(stores.schema, row))
                            .as("the remote edit of %s survives", row).isEqualTo(value));
                }
                case LOCAL_WINS -> {
                    assertThat(status.conflictCount()).isZero();
                    assertThat(status.pendingChanges()).isZero();
                    edits.forEach((row, value) -> assertThat(remoteName(stores.schema, row))
                            .as("no remote edit survives (%s)", row).isNotEqualTo(value));
                    stores.assertRemoteEqualsLocal();
                }
                case REMOTE_WINS -> {
                    assertThat(status.conflictCount()).isZero();
                    assertThat(status.pendingChanges()).isZero();
                    assertThat(rows(stores.localUrl, "DISCARDED")).as("each edited row's local changes gave way")
                            .containsAll(edits.keySet());
                    edits.forEach((row, value) -> assertThat(remoteName(stores.schema, row))
                            .as("the remote edit of %s survives", row).isEqualTo(value));
                    stores.assertRemoteEqualsLocal();
                }
                default -> throw new IllegalArgumentException(policy.name());
            }
        }
    }

    private static List<Long> ids(String localUrl, String table) {
        List<Long> out = new ArrayList<>();
        SqliteFiles.rows(localUrl, "select id from " + table + " order by id").forEach(r -> out.add(((Number) r.get("id")).longValue()));
        return out;
    }

    private static List<Long> pick(Random random, List<Long> from, int n) {
        List<Long> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    /** @return "Entity#id" of every log row in this status */
    private static List<String> rows(String localUrl, String status) {
        List<String> out = new ArrayList<>();
        SqliteFiles.rows(localUrl, "select entity_name, entity_id from dbc_sync_log where status = ?", status)
                .forEach(r -> out.add(r.get("entity_name") + "#" + r.get("entity_id")));
        return out;
    }

    private static String remoteName(String schema, String row) {
        String table = row.startsWith("Tag#") ? "tag" : "product";
        long id = Long.parseLong(row.substring(row.indexOf('#') + 1));
        List<Map<String, Object>> found = PostgresTestDatabase.rows(schema, "select name from " + table + " where id = ?", id);
        return found.isEmpty() ? null : (String) found.get(0).get("name");
    }
}
