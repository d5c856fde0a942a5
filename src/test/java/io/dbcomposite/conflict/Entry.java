package io.dbcomposite.conflict;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.util.UUID;

/** Written to both sides or nowhere ({@code DUAL}, {@code FAIL}), referring to a memo synced in the background. */
@Entity
@Table(name = "entry")
@CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
public class Entry {

    @Id
    private UUID id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "memo_id", nullable = false)
    private Memo memo;

    @Column(name = "note", length = 100)
    private String note;

    protected Entry() {
    }

    public Entry(UUID id, Memo memo, String note) {
        this.id = id;
        this.memo = memo;
        this.note = note;
    }

    public UUID getId() {
        return id;
    }
}
