package io.dbcomposite.bulk;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Sync;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;

/** A shape kept on this node only (never replayed); its subclass {@link Circle} is captured. One table for both. */
@Entity
@Inheritance(strategy = InheritanceType.SINGLE_TABLE)
@DiscriminatorColumn(name = "kind")
@CompositeRouting(sync = Sync.NONE)
public class Shape {
    @Id
    private Long id;
    private String label;

    protected Shape() {
    }

    public Shape(Long id, String label) {
        this.id = id;
        this.label = label;
    }

    public Long getId() {
        return id;
    }

    public String getLabel() {
        return label;
    }
}
