package io.dbcomposite.wildfly.app;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A CDI bean of the test application: a container-managed (transaction-scoped) entity manager of the composite JTA unit
 * and {@code @Transactional} methods, one per row of the routing table.
 */
@ApplicationScoped
public class Shop {

    @PersistenceContext(unitName = "shop")
    EntityManager em;

    @PersistenceUnit(unitName = "shop")
    EntityManagerFactory emf;

    /** LOCAL write, background sync. */
    @Transactional
    public long product(String sku) {
        Product p = new Product(sku, "Served " + sku, new BigDecimal("2.50"), Category.BOOKS);
        em.persist(p);
        em.flush();
        return p.getId();
    }

    /** LOCAL write, then the method fails: the container's transaction rolls back. */
    @Transactional
    public void productThenFail(String sku) {
        em.persist(new Product(sku, "Rolled back " + sku, new BigDecimal("1.00"), Category.BOOKS));
        em.flush();
        throw new IllegalStateException("failing on purpose after writing " + sku);
    }

    /** LOCAL write, sync NONE. */
    @Transactional
    public long draft(String title) {
        Draft d = new Draft(title, "body of " + title);
        em.persist(d);
        em.flush();
        return d.getId();
    }

    /** DUAL write, FAIL. */
    @Transactional
    public UUID payment(String amount) {
        Payment p = new Payment(UUID.randomUUID(), new BigDecimal(amount), "EUR", PaymentMethod.CARD);
        em.persist(p);
        return p.getId();
    }

    /** DUAL write, QUEUE. */
    @Transactional
    public UUID movement(String sku, int delta) {
        StockMovement m = new StockMovement(sku, delta);
        em.persist(m);
        return m.getId();
    }

    /** REMOTE write, QUEUE. */
    @Transactional
    public UUID notification(String recipient) {
        Notification n = new Notification(recipient, "hello " + recipient);
        em.persist(n);
        return n.getId();
    }

    /** REMOTE write (read LOCAL), FAIL. */
    @Transactional
    public void rate(String id, String rate) {
        em.persist(new ExchangeRate(id, new BigDecimal(rate)));
    }

    /** REMOTE read and write, sync NONE: read back from the remote in the same transaction. */
    @Transactional
    public String audit(String type) {
        AuditEvent e = new AuditEvent(type, "served");
        em.persist(e);
        em.flush();
        return em.find(AuditEvent.class, e.getId()).getType();
    }

    /** @return the unit's sync status, as text */
    public String status() {
        return emf.unwrap(CompositeEntityManagerFactory.class).getSyncStatus().toString();
    }

    /** @return what a sync run did, as text */
    public String sync() {
        return emf.unwrap(CompositeEntityManagerFactory.class).sync().toString();
    }
}
