package io.dbcomposite.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.jpa.repository.config.EnableJpaAuditing;

/** A Spring Boot shop: one entity per routing, Spring Data repositories, a service, a controller. */
@SpringBootApplication
@EnableJpaAuditing
public class ShopApplication {
}
