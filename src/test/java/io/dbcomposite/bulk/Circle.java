package io.dbcomposite.bulk;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Sync;
import jakarta.persistence.Entity;

/** A captured subclass of a local-only entity: its rows reach the remote through the sync log. */
@Entity
@CompositeRouting(sync = Sync.BACKGROUND)
public class Circle extends Shape {
    private double radius;

    protected Circle() {
    }

    public Circle(Long id, String label, double radius) {
        super(id, label);
        this.radius = radius;
    }

    public double getRadius() {
        return radius;
    }
}
