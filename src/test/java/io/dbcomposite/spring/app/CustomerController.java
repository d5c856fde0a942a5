package io.dbcomposite.spring.app;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.TreeSet;

/** Reads a lazy collection after the repository's transaction ended: needs open-in-view. */
@RestController
public class CustomerController {
    private final CustomerRepository customers;

    public CustomerController(CustomerRepository customers) {
        this.customers = customers;
    }

    @GetMapping("/customers/{id}/tags")
    public String tags(@PathVariable("id") long id) {
        return String.join(",", new TreeSet<>(customers.findById(id).orElseThrow().getTags()));
    }
}
