package io.dbcomposite.spring.bulk;

import io.dbcomposite.spring.app.Customer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/** The shop's entities with a repository that declares a bulk update of a captured entity. */
@SpringBootApplication
@EntityScan(basePackageClasses = Customer.class)
public class BulkApplication {
}
