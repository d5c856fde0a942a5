package io.dbcomposite.differential.model;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A member of the seed library: IDENTITY id, integer version, a set of embeddables and a map. */
@Entity
@Table(name = "grower")
@NamedQuery(name = "Grower.byLevel", query = "select g from Grower g where g.level = :level order by g.name")
@NamedQuery(name = "Grower.count", query = "select count(g) from Grower g")
public class Grower {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Version
    private int version;
    @Column(name = "name", nullable = false, length = 80)
    private String name;
    @Column(name = "email", unique = true, length = 120)
    private String email;
    @Enumerated(EnumType.STRING)
    @Column(name = "level", length = 16)
    private GrowerLevel level;
    @Column(name = "joined_on")
    private LocalDate joinedOn;
    @ElementCollection
    @CollectionTable(name = "grower_plot", joinColumns = @JoinColumn(name = "grower_id"))
    private Set<Plot> plots = new HashSet<>();
    @ElementCollection
    @CollectionTable(name = "grower_hours", joinColumns = @JoinColumn(name = "grower_id"))
    @MapKeyColumn(name = "season", length = 12)
    @Column(name = "hours")
    private Map<String, Integer> hours = new HashMap<>();

    protected Grower() {
    }

    public Grower(String name, String email, GrowerLevel level, LocalDate joinedOn) {
        this.name = name;
        this.email = email;
        this.level = level;
        this.joinedOn = joinedOn;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public GrowerLevel getLevel() { return level; }
    public void setLevel(GrowerLevel level) { this.level = level; }
    public LocalDate getJoinedOn() { return joinedOn; }
    public Set<Plot> getPlots() { return plots; }
    public Map<String, Integer> getHours() { return hours; }
}
