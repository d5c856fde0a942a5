package io.dbcomposite.limits;

import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The limited columns of {@link RemoteLimitsTest}, shared by one entity per routing. */
@MappedSuperclass
public abstract class Limited {

    @Id
    private Long id;

    @Column(length = 10)
    private String name;

    @Column(nullable = false, length = 8)
    private String code;

    @Column(precision = 5, scale = 2)
    private BigDecimal price;

    @Embedded
    private Address address = new Address();

    @ElementCollection
    @Column(length = 4)
    private List<String> tags = new ArrayList<>();

    protected Limited() {
    }

    protected Limited(long id) {
        this.id = id;
        this.code = "C";
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public void setPrice(BigDecimal price) {
        this.price = price;
    }

    public Address getAddress() {
        return address;
    }

    public List<String> getTags() {
        return tags;
    }

    /** An embeddable with a short column and a NOT NULL one. */
    @Embeddable
    public static class Address {
        @Column(length = 5)
        private String zip;

        @Column(nullable = false, length = 20)
        private String city = "Lyon";

        public String getZip() {
            return zip;
        }

        public void setZip(String zip) {
            this.zip = zip;
        }

        public String getCity() {
            return city;
        }

        public void setCity(String city) {
            this.city = city;
        }
    }
}
