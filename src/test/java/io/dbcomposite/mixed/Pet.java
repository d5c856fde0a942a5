package io.dbcomposite.mixed;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Kept locally (the default routing), owning visits written to the remote, the way a clinic's sample app saves them. */
@Entity
public class Pet {
    @Id
    private UUID id = UUID.randomUUID();
    private String name;
    @OneToMany(mappedBy = "pet", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("description")
    private List<Visit> visits = new ArrayList<>();
    /** A unidirectional one-to-many: the key column lives in the remote entity's table. */
    @OneToMany(cascade = CascadeType.ALL)
    @JoinColumn(name = "pet_id")
    private List<VetNote> notes = new ArrayList<>();

    protected Pet() {
    }

    public Pet(String name) {
        this.name = name;
    }

    public UUID getId() {
        return id;
    }

    public List<Visit> getVisits() {
        return visits;
    }

    public List<VetNote> getNotes() {
        return notes;
    }

    public void addVisit(Visit visit) {
        visit.setPet(this);
        visits.add(visit);
    }
}
