package io.dbcomposite.capture;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Version;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Refers to abstract roots by their declared type, as to-ones and as collection elements: an ordered many-to-many of a
 * SINGLE_TABLE root and a many-to-many set of a JOINED root. A replay knows only the declared type and the id.
 */
@Entity
public class Gallery {
    @Id
    private Long id;
    @Version
    private int version;
    private String name;
    @ManyToOne
    @JoinColumn(name = "highlight_id")
    private Exhibit highlight;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "treasure_id")
    private Artefact treasure;
    @ManyToMany
    @JoinTable(name = "gallery_hung", joinColumns = @JoinColumn(name = "gallery_id"),
            inverseJoinColumns = @JoinColumn(name = "exhibit_id"))
    @OrderColumn(name = "slot")
    private List<Exhibit> hung = new ArrayList<>();
    @ManyToMany
    @JoinTable(name = "gallery_case", joinColumns = @JoinColumn(name = "gallery_id"),
            inverseJoinColumns = @JoinColumn(name = "artefact_id"))
    private Set<Artefact> cases = new LinkedHashSet<>();

    protected Gallery() {
    }

    public Gallery(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setHighlight(Exhibit highlight) {
        this.highlight = highlight;
    }

    public void setTreasure(Artefact treasure) {
        this.treasure = treasure;
    }

    public List<Exhibit> getHung() {
        return hung;
    }

    public Set<Artefact> getCases() {
        return cases;
    }
}
