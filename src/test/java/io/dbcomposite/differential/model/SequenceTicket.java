package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A queue ticket numbered by a SEQUENCE generator. */
@Entity
@Table(name = "sequence_ticket")
public class SequenceTicket {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ticket_numbers")
    @SequenceGenerator(name = "ticket_numbers", sequenceName = "ticket_numbers", allocationSize = 5)
    private Long id;
    @Version
    private int version;
    @Column(name = "holder", length = 40)
    private String holder;

    protected SequenceTicket() {
    }

    public SequenceTicket(String holder) {
        this.holder = holder;
    }

    public Long getId() { return id; }
    public String getHolder() { return holder; }
    public void setHolder(String holder) { this.holder = holder; }
}
