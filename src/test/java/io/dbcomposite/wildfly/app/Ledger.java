package io.dbcomposite.wildfly.app;

import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.Category;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;

/** A CDI bean whose entity manager is injected with {@code @Inject} from {@link Resources}. */
@ApplicationScoped
public class Ledger {

    @Inject
    EntityManager em;

    @Transactional
    public long product(String sku) {
        Product p = new Product(sku, "Injected " + sku, new BigDecimal("3.00"), Category.TOYS);
        em.persist(p);
        em.flush();
        return p.getId();
    }
}
