package io.dbcomposite.wildfly.app;

import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Product;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.SynchronizationType;

import java.math.BigDecimal;

/**
 * A stateless EJB (container-managed transactions) with an {@code UNSYNCHRONIZED} entity manager: it writes only if it
 * joins the container's transaction.
 */
@Stateless
public class Archive {

    @PersistenceContext(unitName = "shop", synchronization = SynchronizationType.UNSYNCHRONIZED)
    EntityManager em;

    public boolean product(String sku, boolean join) {
        em.persist(new Product(sku, "Archived " + sku, new BigDecimal("6.00"), Category.TOYS));
        if (join) {
            em.joinTransaction();
        }
        return em.isJoinedToTransaction();
    }
}
