package io.dbcomposite.jta;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.testing.JtaUnits;
import io.dbcomposite.testing.StandaloneJta;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceUnitTransactionType;
import jakarta.persistence.SynchronizationType;
import jakarta.persistence.TransactionRequiredException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a JTA unit's entity managers do with the container's transactions (a standalone Narayana here, the remote a
 * pool enlisted in its transactions): joining, rollback on both sides, the FAIL and QUEUE rows under JTA, and the
 * refusals of what Jakarta Persistence forbids a JTA entity manager.
 */
class JtaEntityManagerTest extends CompositeTestBase {

    private final TransactionManager tm = StandaloneJta.manager();

    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, false);
    }

    @Override
    protected void inTransaction(Consumer<CompositeEntityManager> work) {
        JtaUnits.inTransaction(emf, work);
    }


    @AfterEach
    void cleanUp() throws Exception {
        if (tm.getTransaction() != null) {
            tm.rollback();
        }
        restoreNetwork();
    }

    private static Product product(String sku) {
        return new Product(sku, "JTA widget", new BigDecimal("4.50"), Category.ELECTRONICS);
    }

    @Test
    void the_unit_is_a_jta_unit_and_its_entity_managers_refuse_resource_local_transactions() {
        assertThat(emf.getTransactionType()).isEqualTo(PersistenceUnitTransactionType.JTA);
        try (EntityManager em = emf.createEntityManager()) {
            assertThatThrownBy(em::getTransaction).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction-type JTA").hasMessageContaining("UserTransaction");
        }
    }

    @Test
    void a_jta_rollback_leaves_no_local_row_and_no_log_row() throws Exception {
        Product p = product(unique("SKU-JTA-RB"));
        long mark = logMark();
        tm.begin();
        EntityManager em = emf.createEntityManager();
        em.persist(p);
        em.flush(); // written to the local transaction, and logged
        assertThat(em.isJoinedToTransaction()).isTrue();
        em.close();
        tm.rollback();

        assertThat(localCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isZero();
    }

    @Test
    void a_transaction_marked_for_rollback_rolls_back_the_local_side_too() throws Exception {
        Product p = product(unique("SKU-JTA-MARKED"));
        long mark = logMark();
        tm.begin();
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(p);
        }
        tm.setRollbackOnly();
        assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class);

        assertThat(localCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void a_jta_rollback_after_dual_and_remote_writes_leaves_nothing_anywhere() throws Exception {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("12.00"), "EUR", PaymentMethod.CARD);
        ExchangeRate rate = new ExchangeRate(unique("R").substring(0, 8), new BigDecimal("1.5"));
        Notification note = new Notification("rb@example.com", "rolled back");
        long mark = logMark();
        tm.begin();
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(pay);
            em.persist(rate);
            em.persist(note);
            em.flush(); // the remote writes are in the JTA transaction's remote connection now
        }
        tm.rollback();

        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(remoteCount("exchange_rate", "id = ?", rate.getId())).isZero();
        assertThat(localCount("exchange_rate", "id = ?", rate.getId())).isZero();
        assertThat(remoteCount("notification", "id = ?", note.getId())).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void dual_fail_with_the_remote_cut_fails_the_jta_commit_and_writes_nothing_anywhere() throws Exception {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("30.00"), "EUR", PaymentMethod.CARD);
        Product p = product(unique("SKU-JTA-FAIL"));
        long mark = logMark();
        proxy.cut();
        tm.begin();
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(p);
            em.persist(pay);
        }
        assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof RemoteWriteException
                        && c.getMessage().contains("Payment")));

        restoreNetwork();
        assertThat(remoteCount("payment", "id = ?", pay.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(localCount("product", "sku = ?", p.getSku())).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    @Test
    void dual_queue_with_the_remote_cut_commits_the_jta_transaction_and_keeps_the_change_pending() {
        StockMovement m = new StockMovement(unique("SKU-JTA-Q"), 4);
        proxy.cut();

        inTransaction(em -> em.persist(m));

        assertThat(localCount("stock_movement", "id = ?", uuidBytes(m.getId()))).isEqualTo(1);
        assertThat(only(logRows("StockMovement", m.getId())).get("status")).isEqualTo("PENDING");
        restoreNetwork();
        emf.sync();
        assertThat(remoteCount("stock_movement", "id = ? and delta = 4", m.getId())).isEqualTo(1);
        assertThat(only(logRows("StockMovement", m.getId())).get("status")).isEqualTo("SYNCED");
    }

    @Test
    void an_unsynchronized_entity_manager_writes_only_once_joined() throws Exception {
        Product p = product(unique("SKU-JTA-UNSYNC"));
        EntityManager em = emf.createEntityManager(SynchronizationType.UNSYNCHRONIZED);
        try {
            tm.begin();
            em.persist(p);
            assertThat(em.isJoinedToTransaction()).isFalse();
            assertThatThrownBy(em::flush).isInstanceOf(TransactionRequiredException.class);
            tm.commit();
            assertThat(localCount("product", "sku = ?", p.getSku())).as("not joined: nothing written").isZero();

            tm.begin();
            em.joinTransaction();
            assertThat(em.isJoinedToTransaction()).isTrue();
            tm.commit();
            assertThat(localCount("product", "sku = ?", p.getSku())).as("joined: the persisted entity is written").isEqualTo(1);
            assertThat(only(logRows("Product", p.getId())).get("status")).isEqualTo("PENDING");
        } finally {
            em.close();
        }
    }

    @Test
    void join_transaction_and_flush_without_a_jta_transaction_say_that_one_is_needed() {
        try (EntityManager em = emf.createEntityManager(SynchronizationType.UNSYNCHRONIZED)) {
            assertThatThrownBy(em::joinTransaction).isInstanceOf(TransactionRequiredException.class)
                    .hasMessageContaining("No JTA transaction is active");
        }
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(product(unique("SKU-JTA-NOTX")));
            assertThatThrownBy(em::flush).isInstanceOf(TransactionRequiredException.class);
            assertThat(em.isJoinedToTransaction()).isFalse();
        }
    }

    @Test
    void an_entity_manager_created_before_the_transaction_joins_it_on_first_use() throws Exception {
        Product p = product(unique("SKU-JTA-LATE"));
        EntityManager em = emf.createEntityManager();
        try {
            tm.begin();
            em.persist(p);
            assertThat(em.isJoinedToTransaction()).isTrue();
            tm.commit();
        } finally {
            em.close();
        }
        assertThat(localCount("product", "sku = ?", p.getSku())).isEqualTo(1);
    }

    @Test
    void sync_inside_a_jta_transaction_runs_outside_it_and_the_transaction_goes_on() throws Exception {
        Product p = product(unique("SKU-JTA-SYNC"));
        inTransaction(em -> em.persist(p));
        tm.begin();
        assertThat(emf.sync().applied()).isGreaterThanOrEqualTo(1);
        assertThat(tm.getTransaction()).isNotNull();
        tm.commit();
        assertThat(remoteCount("product", "sku = ?", p.getSku())).isEqualTo(1);
    }

    @Test
    void run_in_transaction_begins_and_commits_a_jta_transaction_of_its_own_or_joins_the_callers() throws Exception {
        Product own = product(unique("SKU-JTA-RUN"));
        emf.runInTransaction(em -> em.persist(own));
        assertThat(localCount("product", "sku = ?", own.getSku())).isEqualTo(1);
        assertThat(tm.getTransaction()).isNull();

        Product joined = product(unique("SKU-JTA-RUN-JOINED"));
        tm.begin();
        emf.runInTransaction(em -> em.persist(joined));
        tm.rollback();
        assertThat(localCount("product", "sku = ?", joined.getSku())).as("rolled back with the caller's transaction").isZero();
    }

    @Test
    void a_local_commit_that_fails_after_the_container_committed_the_remote_is_logged_at_error_naming_the_entities()
            throws Exception {
        // a key SQLite checks only at COMMIT (deferred), broken by a native write in the same transaction: the local
        // commit fails after the remote one, the last-resource window
        io.dbcomposite.testing.SqliteFiles.update(localUrl, "create table if not exists lr_parent (id integer primary key)");
        io.dbcomposite.testing.SqliteFiles.update(localUrl, "create table if not exists lr_child (id integer primary key,"
                + " parent integer references lr_parent (id) deferrable initially deferred)");
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("77.00"), "EUR", PaymentMethod.CARD);
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
                "io.dbcomposite.routing");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            tm.begin();
            try (CompositeEntityManager em = (CompositeEntityManager) emf.createEntityManager()) {
                em.persist(pay);
                em.flush();
                em.local().createNativeQuery("insert into lr_child (id, parent) values (" + System.nanoTime() % 1_000_000
                        + ", 424242)").executeUpdate();
            }
            tm.commit(); // the container's commit returns: the remote committed
        } finally {
            logger.removeHandler(handler);
        }

        assertThat(remoteCount("payment", "id = ?", pay.getId())).isEqualTo(1);
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).as("the local commit failed").isZero();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
            assertThat(r.getMessage()).contains("AFTER the remote commit").contains("Payment").contains("last-resource window");
        });
    }

    @Test
    void a_local_failure_the_application_caught_rolls_the_jta_transaction_back_on_both_sides() throws Exception {
        Payment pay = new Payment(UUID.randomUUID(), new BigDecimal("13.00"), "EUR", PaymentMethod.CARD);
        long mark = logMark();
        tm.begin();
        try (CompositeEntityManager em = (CompositeEntityManager) emf.createEntityManager()) {
            em.persist(pay);
            em.flush();
            // a local statement fails and the application goes on: Jakarta Persistence marks the transaction for rollback
            assertThatThrownBy(() -> em.local().createNativeQuery("insert into no_such_table values (1)").executeUpdate())
                    .isInstanceOf(jakarta.persistence.PersistenceException.class);
        }
        assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class);

        assertThat(remoteCount("payment", "id = ?", pay.getId())).as("the remote did not commit without the local side").isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(pay.getId()))).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }
}
