package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.LocalDate;

/** Something the library prints: JOINED root with an IDENTITY id. */
@Entity
@Table(name = "publication")
@Inheritance(strategy = InheritanceType.JOINED)
public abstract class Publication {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Version
    private int version;
    @Column(name = "title", nullable = false, length = 120)
    private String title;
    @Column(name = "published_on")
    private LocalDate publishedOn;
    @ManyToOne
    @JoinColumn(name = "author_id")
    private Grower author;

    protected Publication() {
    }

    protected Publication(String title, LocalDate publishedOn, Grower author) {
        this.title = title;
        this.publishedOn = publishedOn;
        this.author = author;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public String getTitle() { return title; }
    public void setTitle(String title) { this.title = title; }
    public LocalDate getPublishedOn() { return publishedOn; }
    public Grower getAuthor() { return author; }
    public void setAuthor(Grower author) { this.author = author; }
}
