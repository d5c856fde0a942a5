package io.dbcomposite.bench;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A row that refers to a {@link BenchItem} by foreign key, for {@link LocalWriteReferenceBenchmark}. */
@Entity
@Table(name = "bench_line")
public class BenchLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "item_id", nullable = false)
    private BenchItem item;

    private int position;

    protected BenchLine() {
    }

    public BenchLine(BenchItem item, int position) {
        this.item = item;
        this.position = position;
    }

    public Long getId() {
        return id;
    }
}
