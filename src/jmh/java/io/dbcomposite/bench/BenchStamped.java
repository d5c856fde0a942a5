package io.dbcomposite.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;

/**
 * The generated-times workload's entity: a flat row (IDENTITY id, {@code @Version}) with a {@code @CreationTimestamp}
 * and an {@code @UpdateTimestamp}, as an audited table has them. Hibernate sets both in memory when it writes the row,
 * so the replay writes the local row's times again after its upsert.
 */
@Entity
@Table(name = "bench_stamped")
public class BenchStamped {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @CreationTimestamp
    @Column(name = "created_at")
    private Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    private long version;

    protected BenchStamped() {
    }

    /** A new entity whose name depends on {@code n}. */
    public static BenchStamped numbered(long n) {
        BenchStamped e = new BenchStamped();
        e.name = "stamped-" + n;
        return e;
    }

    public Long getId() {
        return id;
    }
}
