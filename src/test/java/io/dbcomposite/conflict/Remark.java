package io.dbcomposite.conflict;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A row synced in the background that refers to a {@link Memo}. */
@Entity
@Table(name = "remark")
public class Remark {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "memo_id", nullable = false)
    private Memo memo;

    protected Remark() {
    }

    public Remark(Memo memo) {
        this.memo = memo;
    }

    public Long getId() {
        return id;
    }
}
