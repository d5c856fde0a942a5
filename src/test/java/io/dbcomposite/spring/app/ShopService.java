package io.dbcomposite.spring.app;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;

@Service
public class ShopService {
    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final AuditEventRepository audit;

    public ShopService(CustomerRepository customers, InvoiceRepository invoices, AuditEventRepository audit) {
        this.customers = customers;
        this.invoices = invoices;
        this.audit = audit;
    }

    /** Writes every routing in one transaction. */
    @Transactional
    public Customer order(String name, String city, BigDecimal amount) {
        Customer c = customers.save(new Customer(name, city, "new"));
        invoices.save(new Invoice(name, amount));
        audit.save(new AuditEvent("order by " + name));
        return c;
    }

    /** Writes every routing, then fails: nothing may stay on either side. */
    @Transactional
    public void orderThenFail(String name, String city, BigDecimal amount) {
        order(name, city, amount);
        customers.flush();
        throw new IllegalStateException("payment refused for " + name);
    }

    /** Changes a managed entity in a read-only transaction: nothing may be flushed, captured or synced. */
    @Transactional(readOnly = true)
    public void moveInReadOnly(long id, String city) {
        customers.findById(id).orElseThrow().setCity(city);
    }

    @Transactional(readOnly = true)
    public long customersIn(String city) {
        return customers.findByCityOrderByFullNameAsc(city).size();
    }
}
