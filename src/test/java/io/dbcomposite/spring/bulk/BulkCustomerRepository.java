package io.dbcomposite.spring.bulk;

import io.dbcomposite.spring.app.Customer;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

public interface BulkCustomerRepository extends Repository<Customer, Long> {

    /** Would skip the sync log: refused when Spring Data validates it at start. */
    @Modifying
    @Query("update Customer c set c.city = :city where c.city = :old")
    int moveAll(@Param("old") String old, @Param("city") String city);
}
