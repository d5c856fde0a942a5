package io.dbcomposite.bulk;

import jakarta.persistence.Entity;

/** A subclass that inherits its superclass' routing (local only). */
@Entity
public class Square extends Shape {
    private double side;

    protected Square() {
    }

    public Square(Long id, String label, double side) {
        super(id, label);
        this.side = side;
    }

    public double getSide() {
        return side;
    }
}
