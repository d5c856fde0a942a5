package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A queue ticket numbered by the AUTO strategy (a sequence, or a table where the database has none). */
@Entity
@Table(name = "auto_ticket")
public class AutoTicket {
    @Id
    @GeneratedValue(strategy = GenerationType.AUTO)
    private Long id;
    @Version
    private int version;
    @Column(name = "holder", length = 40)
    private String holder;

    protected AutoTicket() {
    }

    public AutoTicket(String holder) {
        this.holder = holder;
    }

    public Long getId() { return id; }
    public String getHolder() { return holder; }
    public void setHolder(String holder) { this.holder = holder; }
}
