package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A JOINED subclass with primitives. */
@Entity
@Table(name = "leaflet")
public class Leaflet extends Publication {
    @Column(name = "pages", nullable = false)
    private int pages;
    @Column(name = "folded", nullable = false)
    private boolean folded;

    protected Leaflet() {
    }

    public Leaflet(String title, LocalDate publishedOn, Grower author, int pages, boolean folded) {
        super(title, publishedOn, author);
        this.pages = pages;
        this.folded = folded;
    }

    public int getPages() { return pages; }
    public void setPages(int pages) { this.pages = pages; }
    public boolean isFolded() { return folded; }
}
