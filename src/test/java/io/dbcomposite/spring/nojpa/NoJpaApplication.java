package io.dbcomposite.spring.nojpa;

import io.dbcomposite.spring.app.Customer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/** Entities on the class path, but Boot's JPA switched off: the composite unit stays away too. */
@SpringBootApplication(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
@EntityScan(basePackageClasses = Customer.class)
public class NoJpaApplication {
}
