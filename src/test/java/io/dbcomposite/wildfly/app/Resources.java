package io.dbcomposite.wildfly.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The CDI producer of the composite unit's container-managed entity manager, for {@code @Inject EntityManager}. */
@ApplicationScoped
public class Resources {

    @Produces
    @PersistenceContext(unitName = "shop")
    EntityManager em;
}
