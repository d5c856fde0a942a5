package io.dbcomposite.spring.app;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;

public interface CustomerRepository extends JpaRepository<Customer, Long>, JpaSpecificationExecutor<Customer> {

    List<Customer> findByCityOrderByFullNameAsc(String city);

    Page<Customer> findAllByCity(String city, Pageable pageable);

    List<CustomerName> findByCity(String city);

    @Query("select c from Customer c where c.fullName like concat(:prefix, '%') order by c.fullName")
    List<Customer> named(@Param("prefix") String prefix);

    @Query(value = "select count(*) from customer where city = :city", nativeQuery = true)
    long countNative(@Param("city") String city);
}
