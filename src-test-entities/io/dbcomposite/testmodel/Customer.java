package io.dbcomposite.testmodel;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A buyer.
 *
 * <p>Routing: none declared, so the configured defaults apply (by default LOCAL, replayed in the
 * BACKGROUND). Demonstrates an application-assigned {@code UUID} id (known before the insert, so the
 * same row can land on both databases with the same key), an {@code @Embedded} value, an ordered
 * element collection ({@code customer_phone} with an order column), a {@code LocalDate} and an
 * {@code int} version.
 */
@Entity
@Table(name = "customer")
public class Customer {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = UUID.randomUUID();

    @Column(name = "name", nullable = false, length = 200)
    private String name;

    @Column(name = "email", length = 254)
    private String email;

    @Embedded
    private Address address;

    @ElementCollection
    @CollectionTable(name = "customer_phone", joinColumns = @JoinColumn(name = "customer_id"))
    @OrderColumn(name = "phone_index")
    @Column(name = "phone_number", nullable = false, length = 32)
    private List<String> phoneNumbers = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "tier", nullable = false, length = 16)
    private CustomerTier tier = CustomerTier.STANDARD;

    @Column(name = "birth_date")
    private LocalDate birthDate;

    @Version
    @Column(name = "version", nullable = false)
    private int version;

    /** For JPA; a fresh random id is assigned (and replaced when loaded). */
    public Customer() {
    }

    /**
     * A STANDARD-tier customer with a fresh random id.
     *
     * @param name the full name
     * @param email the e-mail address
     */
    public Customer(String name, String email) {
        this.name = name;
        this.email = email;
    }

    /** Appends a phone number (kept in order); returns this for chaining. */
    public Customer addPhoneNumber(String phoneNumber) {
        phoneNumbers.add(phoneNumber);
        return this;
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public Address getAddress() {
        return address;
    }

    public void setAddress(Address address) {
        this.address = address;
    }

    public List<String> getPhoneNumbers() {
        return phoneNumbers;
    }

    public void setPhoneNumbers(List<String> phoneNumbers) {
        this.phoneNumbers = phoneNumbers;
    }

    public CustomerTier getTier() {
        return tier;
    }

    public void setTier(CustomerTier tier) {
        this.tier = tier;
    }

    public LocalDate getBirthDate() {
        return birthDate;
    }

    public void setBirthDate(LocalDate birthDate) {
        this.birthDate = birthDate;
    }

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    /** Equal by id (assigned at construction, so stable for the object's whole life). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Customer)) {
            return false;
        }
        return id != null && id.equals(((Customer) o).getId());
    }

    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }

    @Override
    public String toString() {
        return "Customer[id=" + id + ", name=" + name + ", version=" + version + "]";
    }
}
