package io.dbcomposite.differential.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.LocalDateTime;

/** A jar on a shelf: assigned id, no version, the owning side of {@link Shelf#getJars()}. */
@Entity
@Table(name = "jar")
public class Jar {
    @Id
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "shelf_id")
    private Shelf shelf;
    @Column(name = "contents", length = 80)
    private String contents;
    @Column(name = "sealed_at")
    private LocalDateTime sealedAt;
    @Enumerated(EnumType.STRING)
    @Column(name = "size", length = 8)
    private JarSize size;

    protected Jar() {
    }

    public Jar(Long id, String contents, LocalDateTime sealedAt, JarSize size) {
        this.id = id;
        this.contents = contents;
        this.sealedAt = sealedAt;
        this.size = size;
    }

    public Long getId() { return id; }
    public Shelf getShelf() { return shelf; }
    public void setShelf(Shelf shelf) { this.shelf = shelf; }
    public String getContents() { return contents; }
    public void setContents(String contents) { this.contents = contents; }
    public LocalDateTime getSealedAt() { return sealedAt; }
    public JarSize getSize() { return size; }
    public void setSize(JarSize size) { this.size = size; }
}
