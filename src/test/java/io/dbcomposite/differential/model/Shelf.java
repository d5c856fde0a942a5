package io.dbcomposite.differential.model;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.ArrayList;
import java.util.List;

/**
 * A shelf of the seed vault: an assigned id, an ordered many-to-many (owning side, order column), an ordered
 * element collection, and an ordered inverse one-to-many ({@code mappedBy}, order column in the jar table).
 */
@Entity
@Table(name = "shelf")
public class Shelf {
    @Id
    private Long id;
    @Version
    private int version;
    @Column(name = "room", length = 40)
    private String room;
    @ManyToMany
    @JoinTable(name = "shelf_featured", joinColumns = @JoinColumn(name = "shelf_id"),
            inverseJoinColumns = @JoinColumn(name = "specimen_id"))
    @OrderColumn(name = "slot")
    private List<Specimen> featured = new ArrayList<>();
    @ElementCollection
    @CollectionTable(name = "shelf_note", joinColumns = @JoinColumn(name = "shelf_id"))
    @OrderColumn(name = "line")
    @Column(name = "text", length = 200)
    private List<String> notes = new ArrayList<>();
    @OneToMany(mappedBy = "shelf")
    @OrderColumn(name = "position")
    private List<Jar> jars = new ArrayList<>();

    protected Shelf() {
    }

    public Shelf(Long id, String room) {
        this.id = id;
        this.room = room;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public String getRoom() { return room; }
    public void setRoom(String room) { this.room = room; }
    public List<Specimen> getFeatured() { return featured; }
    public List<String> getNotes() { return notes; }
    public List<Jar> getJars() { return jars; }
}
