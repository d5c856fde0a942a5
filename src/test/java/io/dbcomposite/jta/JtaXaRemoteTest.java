package io.dbcomposite.jta;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.testing.StandaloneJta;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JTA unit whose remote is an XA data source ({@code PGXADataSource}) enlisted in the transaction. The remote is the
 * transaction's only resource here, so the transaction manager commits it in one phase: PostgreSQL's default
 * {@code max_prepared_transactions = 0} is enough. Two-phase commit beside another XA resource needs that setting
 * raised, which takes a server restart; no test here does that (the README says so).
 */
class JtaXaRemoteTest extends CompositeTestBase {

    private final TransactionManager tm = StandaloneJta.manager();

    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, true);
    }


    @Test
    void an_xa_remote_commits_dual_and_local_writes_with_the_transaction_and_rolls_them_back_with_it() throws Exception {
        Payment paid = new Payment(UUID.randomUUID(), new BigDecimal("8.00"), "EUR", PaymentMethod.CARD);
        Product p = new Product(unique("SKU-XA"), "XA widget", new BigDecimal("1.00"), Category.TOYS);
        tm.begin();
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(paid);
            em.persist(p);
        }
        tm.commit();
        assertThat(remoteCount("payment", "id = ?", paid.getId())).isEqualTo(1);
        assertThat(localCount("payment", "id = ?", uuidBytes(paid.getId()))).isEqualTo(1);
        assertThat(only(logRows("Product", p.getId())).get("status")).isEqualTo("PENDING");

        Payment rolledBack = new Payment(UUID.randomUUID(), new BigDecimal("9.00"), "EUR", PaymentMethod.CARD);
        long mark = logMark();
        tm.begin();
        try (EntityManager em = emf.createEntityManager()) {
            em.persist(rolledBack);
            em.flush();
        }
        tm.rollback();
        assertThat(remoteCount("payment", "id = ?", rolledBack.getId())).isZero();
        assertThat(localCount("payment", "id = ?", uuidBytes(rolledBack.getId()))).isZero();
        assertThat(logRowsSince(mark)).isEmpty();
    }
}
