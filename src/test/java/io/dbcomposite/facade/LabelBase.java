package io.dbcomposite.facade;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/** An assigned id and a label that must be unique: a row both databases can refuse for a constraint. */
@MappedSuperclass
public abstract class LabelBase {
    @Id
    private Long id;
    @Column(unique = true, nullable = false)
    private String label;
    @Version
    private int version;

    protected LabelBase() {
    }

    protected LabelBase(Long id, String label) {
        this.id = id;
        this.label = label;
    }

    public Long getId() {
        return id;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }
}
