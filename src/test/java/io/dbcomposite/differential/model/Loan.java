package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A specimen lent to a grower: assigned id, two many-to-ones, a money amount. */
@Entity
@Table(name = "loan")
public class Loan {
    @Id
    private Long id;
    @Version
    private int version;
    @ManyToOne(optional = false)
    @JoinColumn(name = "borrower_id", nullable = false)
    private Grower borrower;
    @ManyToOne
    @JoinColumn(name = "specimen_id")
    private Specimen specimen;
    @Column(name = "due_on")
    private LocalDate dueOn;
    @Column(name = "returned", nullable = false)
    private boolean returned;
    @Column(name = "fee", precision = 8, scale = 2)
    private BigDecimal fee;
    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 10)
    private LoanStatus status;

    protected Loan() {
    }

    public Loan(Long id, Grower borrower, Specimen specimen, LocalDate dueOn, BigDecimal fee, LoanStatus status) {
        this.id = id;
        this.borrower = borrower;
        this.specimen = specimen;
        this.dueOn = dueOn;
        this.fee = fee;
        this.status = status;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public Grower getBorrower() { return borrower; }
    public Specimen getSpecimen() { return specimen; }
    public LocalDate getDueOn() { return dueOn; }
    public void setDueOn(LocalDate dueOn) { this.dueOn = dueOn; }
    public boolean isReturned() { return returned; }
    public void setReturned(boolean returned) { this.returned = returned; }
    public BigDecimal getFee() { return fee; }
    public void setFee(BigDecimal fee) { this.fee = fee; }
    public LoanStatus getStatus() { return status; }
    public void setStatus(LoanStatus status) { this.status = status; }
}
