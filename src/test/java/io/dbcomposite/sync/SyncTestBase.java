package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;
import io.dbcomposite.testmodel.TestModel;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sync tests share: a poll loop (no sleeping to wait for the job), the comparison of the whole remote
 * with the whole local state (entity by entity, collection by collection, row counts of every table), the sync
 * log read straight from SQLite, and a way to open further units on the same or other stores.
 */
abstract class SyncTestBase extends CompositeTestBase {

    /** The tables the captured LOCAL entities write, collection tables included. */
    static final List<String> CAPTURED_TABLES = List.of(
            "tag", "product", "product_tag", "product_label", "customer", "customer_phone", "purchase_order", "order_line");

    // ---- waiting ------------------------------------------------------------------------------------

    /** Polls {@code condition} every few milliseconds until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    // ---- comparing both sides -----------------------------------------------------------------------

    /** Asserts that the remote holds exactly the local state of every captured entity of {@link #emf}. */
    void assertRemoteEqualsLocal() {
        assertRemoteEqualsLocal(emf, localUrl, schema);
    }

    /**
     * Asserts that the remote holds exactly the local state: every entity with every field, its version and its
     * collections, read through Hibernate on both sides; and the same number of rows in every table on both sides
     * (so a duplicated or missing collection row shows even where a Set would hide it).
     */
    static void assertRemoteEqualsLocal(CompositeEntityManagerFactory unit, String localUrl, String schema) {
        SortedMap<String, String> local = entities(unit.localFactory());
        SortedMap<String, String> remote = entities(unit.remoteFactory());
        assertThat(remote).as("every captured entity on the remote, field by field, versions and collections included")
                .containsExactlyEntriesOf(local);
        assertThat(remoteTableCounts(schema)).as("rows of every table on the remote")
                .containsExactlyEntriesOf(localTableCounts(localUrl));
    }

    static Map<String, Long> localTableCounts(String localUrl) {
        Map<String, Long> out = new LinkedHashMap<>();
        CAPTURED_TABLES.forEach(t -> out.put(t, SqliteFiles.count(localUrl, t)));
        return out;
    }

    static Map<String, Long> remoteTableCounts(String schema) {
        Map<String, Long> out = new LinkedHashMap<>();
        CAPTURED_TABLES.forEach(t -> out.put(t, PostgresTestDatabase.count(schema, t)));
        return out;
    }

    /** Every captured entity of one side, keyed {@code Entity#id}, as a canonical string of all its state. */
    static SortedMap<String, String> entities(SessionFactory side) {
        SortedMap<String, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            s.setDefaultReadOnly(true);
            for (Tag t : s.createSelectionQuery("from Tag", Tag.class).list()) {
                out.put("Tag#" + t.getId(), "name=" + t.getName());
            }
            for (Product p : s.createSelectionQuery("from Product", Product.class).list()) {
                out.put("Product#" + p.getId(), "sku=" + p.getSku() + " name=" + p.getName() + " price=" + money(p.getPrice())
                        + " category=" + p.getCategory() + " version=" + p.getVersion() + " createdAt=" + p.getCreatedAt()
                        + " active=" + p.isActive()
                        + " tags=" + p.getTags().stream().map(Tag::getId).sorted().toList()
                        + " labels=" + p.getLabels().stream().sorted().toList());
            }
            for (Customer c : s.createSelectionQuery("from Customer", Customer.class).list()) {
                out.put("Customer#" + c.getId(), "name=" + c.getName() + " email=" + c.getEmail() + " address=" + c.getAddress()
                        + " phones=" + new ArrayList<>(c.getPhoneNumbers()) + " tier=" + c.getTier()
                        + " birthDate=" + c.getBirthDate() + " version=" + c.getVersion());
            }
            for (PurchaseOrder o : s.createSelectionQuery("from PurchaseOrder", PurchaseOrder.class).list()) {
                out.put("PurchaseOrder#" + o.getId(), "customer=" + o.getCustomer().getId() + " status=" + o.getStatus()
                        + " placedAt=" + o.getPlacedAt() + " total=" + money(o.getTotal())
                        + " requestedDelivery=" + o.getRequestedDelivery() + " version=" + o.getVersion());
            }
            for (OrderLine l : s.createSelectionQuery("from OrderLine", OrderLine.class).list()) {
                out.put("OrderLine#" + l.getId(), "order=" + l.getOrder().getId()
                        + " product=" + (l.getProduct() == null ? null : l.getProduct().getId())
                        + " quantity=" + l.getQuantity() + " unitPrice=" + money(l.getUnitPrice()));
            }
        }
        return out;
    }

    /** Scale-insensitive: SQLite keeps a BigDecimal as REAL, PostgreSQL as numeric(12,2). */
    static String money(BigDecimal value) {
        return value == null ? "null" : value.setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    // ---- the sync log -------------------------------------------------------------------------------

    /** Every row of {@code dbc_sync_log}, in id order, straight from SQLite. */
    static List<Map<String, Object>> logRows(String localUrl) {
        return SqliteFiles.rows(localUrl, "select id, tx_id, entity_name, entity_id, operation, status, attempts,"
                + " next_attempt_at, last_error, synced_at from dbc_sync_log order by id");
    }

    /** Log rows of one entity row, in id order. */
    List<Map<String, Object>> logRowsOf(String entityName, Object id) {
        return SqliteFiles.rows(localUrl, "select id, operation, status, attempts, next_attempt_at, last_error from dbc_sync_log"
                + " where entity_name = ? and entity_id = ? order by id", entityName, String.valueOf(id));
    }

    /**
     * A timestamp column as the library writes it into SQLite ({@code yyyy-MM-dd HH:mm:ss.SSS} text in UTC), or
     * null.
     */
    static Instant sqliteInstant(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        return LocalDateTime.parse(raw.toString().trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    long logCount(String status) {
        return localCount("dbc_sync_log", "status = ?", status);
    }

    /** Asserts the status counts against the log itself: pending = PENDING + FAILED. */
    void assertStatusMatchesLog(SyncStatus status) {
        long pending = logCount("PENDING");
        long failed = logCount("FAILED");
        long dead = logCount("DEAD");
        assertThat(status.pendingChanges()).as("pendingChanges = PENDING + FAILED rows").isEqualTo(pending + failed);
        assertThat(status.failedCount()).as("failedCount = FAILED rows").isEqualTo(failed);
        assertThat(status.deadLetterCount()).as("deadLetterCount = DEAD rows").isEqualTo(dead);
    }

    // ---- more units ---------------------------------------------------------------------------------

    /**
     * Opens another unit (sync disabled unless {@code extra} says otherwise) on a local SQLite URL and a remote
     * schema, reached directly (not through this class's proxy).
     *
     * @param ddl {@code create} for fresh stores, {@code none} for stores another unit created
     */
    static CompositeEntityManagerFactory openUnit(String name, String localUrl, String schema, String ddl,
                                                  UnaryOperator<CompositePersistence.Builder> extra) {
        return extra.apply(CompositePersistence.builder()
                        .name(name)
                        .local(localUrl)
                        .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                        .entities(TestModel.ENTITIES)
                        .syncEnabled(false)
                        .property("hibernate.hbm2ddl.auto", ddl))
                .build();
    }

    /**
     * A fresh pair of stores for one test: a new SQLite file in this class's temp folder and a new remote schema
     * (dropped on close), with a unit on them.
     */
    final class FreshStores implements AutoCloseable {
        final String localUrl;
        final String schema;
        final CompositeEntityManagerFactory unit;

        FreshStores(String name, UnaryOperator<CompositePersistence.Builder> extra) {
            this.localUrl = SqliteFiles.urlIn(dir, name + "-" + UUID.randomUUID() + ".db");
            this.schema = PostgresTestDatabase.createSchema(name);
            CompositeEntityManagerFactory opened = null;
            try {
                opened = openUnit(name, localUrl, schema, "create", extra);
            } finally {
                if (opened == null) {
                    PostgresTestDatabase.dropSchema(schema);
                }
            }
            this.unit = opened;
        }

        void assertRemoteEqualsLocal() {
            SyncTestBase.assertRemoteEqualsLocal(unit, localUrl, schema);
        }

        @Override
        public void close() {
            try {
                unit.close();
            } finally {
                PostgresTestDatabase.dropSchema(schema);
            }
        }
    }

    static void inTransaction(CompositeEntityManagerFactory unit, Consumer<CompositeEntityManager> work) {
        Transactions.inTransaction(unit.createEntityManager(), work);
    }
}
