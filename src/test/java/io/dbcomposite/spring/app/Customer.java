package io.dbcomposite.spring.app;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.jpa.domain.support.AuditingEntityListener;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** Default routing: written locally, replayed to the remote in the background. Audited by Spring Data. */
@Entity
@EntityListeners(AuditingEntityListener.class)
public class Customer {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String fullName;
    private String city;
    @Version
    private long version;
    @CreatedDate
    private Instant createdAt;
    @ElementCollection
    private Set<String> tags = new HashSet<>();

    protected Customer() {
    }

    public Customer(String fullName, String city, String... tags) {
        this.fullName = fullName;
        this.city = city;
        this.tags.addAll(Set.of(tags));
    }

    public Long getId() {
        return id;
    }

    public String getFullName() {
        return fullName;
    }

    public String getCity() {
        return city;
    }

    public void setCity(String city) {
        this.city = city;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Set<String> getTags() {
        return tags;
    }
}
