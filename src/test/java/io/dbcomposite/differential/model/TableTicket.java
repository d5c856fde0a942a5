package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;
import jakarta.persistence.Version;

/** A queue ticket numbered by a TABLE generator. */
@Entity
@Table(name = "table_ticket")
public class TableTicket {
    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "ticket_rows")
    @TableGenerator(name = "ticket_rows", table = "ticket_counter", allocationSize = 3)
    private Long id;
    @Version
    private int version;
    @Column(name = "holder", length = 40)
    private String holder;

    protected TableTicket() {
    }

    public TableTicket(String holder) {
        this.holder = holder;
    }

    public Long getId() { return id; }
    public String getHolder() { return holder; }
    public void setHolder(String holder) { this.holder = holder; }
}
