package io.dbcomposite.conflict;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row without a {@code @Version}: conflicts are told by its column values. IDENTITY ids, as two stores collide on. */
@Entity
@Table(name = "memo")
public class Memo {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "text", nullable = false, length = 100)
    private String text;

    @Column(name = "priority", nullable = false)
    private int priority;

    protected Memo() {
    }

    public Memo(String text, int priority) {
        this.text = text;
        this.priority = priority;
    }

    public Long getId() {
        return id;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public int getPriority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }
}
