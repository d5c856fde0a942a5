package io.dbcomposite.spring.pool;

import com.zaxxer.hikari.HikariDataSource;
import io.dbcomposite.spring.app.Customer;
import io.dbcomposite.spring.app.CustomerRepository;
import io.dbcomposite.testing.PostgresTestDatabase;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The shop's entities with the remote as a pool bean of the application's own (dbcomposite.remote.datasource=remotePool). */
@SpringBootApplication
@EntityScan(basePackageClasses = Customer.class)
@EnableJpaRepositories(basePackageClasses = CustomerRepository.class)
public class PoolApplication {

    @Bean(destroyMethod = "close")
    public HikariDataSource remotePool(Environment environment) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(environment.getRequiredProperty("test.remote.url"));
        pool.setUsername(PostgresTestDatabase.user());
        pool.setPassword(PostgresTestDatabase.password());
        pool.setPoolName("app-remote");
        return pool;
    }
}
