package io.dbcomposite.differential.model;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A JOINED subclass with a text LOB and a binary LOB. */
@Entity
@Table(name = "journal")
public class Journal extends Publication {
    @Column(name = "issn", length = 9)
    private String issn;
    @Lob
    @Column(name = "editorial")
    private String editorial;
    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "cover")
    private byte[] cover;

    protected Journal() {
    }

    public Journal(String title, LocalDate publishedOn, Grower author, String issn, String editorial, byte[] cover) {
        super(title, publishedOn, author);
        this.issn = issn;
        this.editorial = editorial;
        this.cover = cover;
    }

    public String getIssn() { return issn; }
    public String getEditorial() { return editorial; }
    public void setEditorial(String editorial) { this.editorial = editorial; }
    public byte[] getCover() { return cover; }
    public void setCover(byte[] cover) { this.cover = cover; }
}
