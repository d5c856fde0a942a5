package io.dbcomposite.bench;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The collections workload's entity: a flat row (IDENTITY id, {@code @Version}) that owns an element collection of
 * labels, kept in table {@code bench_labelled_label}. Its replay writes the row and rewrites its collection rows.
 */
@Entity
@Table(name = "bench_labelled")
public class BenchLabelled {

    /** Labels each numbered entity has. */
    public static final int LABELS = 2;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @Version
    private long version;

    @ElementCollection
    @CollectionTable(name = "bench_labelled_label", joinColumns = @JoinColumn(name = "owner_id"))
    @Column(name = "label", nullable = false, length = 50)
    private Set<String> labels = new LinkedHashSet<>();

    protected BenchLabelled() {
    }

    /** A new entity whose name and labels depend on {@code n}. */
    public static BenchLabelled numbered(long n) {
        BenchLabelled e = new BenchLabelled();
        e.name = "labelled-" + n;
        for (int i = 0; i < LABELS; i++) {
            e.labels.add("label-" + (n % 1000) + "-" + i);
        }
        return e;
    }

    public Long getId() {
        return id;
    }

    public Set<String> getLabels() {
        return labels;
    }
}
