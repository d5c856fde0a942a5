package io.dbcomposite.limits;

import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.MapKeyColumn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A map and a list of embeddables with limited columns, for {@link RemoteLimitsTest} (built-in routing). */
@Entity
public class Catalogue {

    @Id
    private Long id;

    @ElementCollection
    @MapKeyColumn(name = "lang", length = 3)
    @Column(name = "title", length = 6)
    private Map<String, String> titles = new HashMap<>();

    @ElementCollection
    private List<Line> lines = new ArrayList<>();

    protected Catalogue() {
    }

    public Catalogue(long id) {
        this.id = id;
    }

    public Long getId() {
        return id;
    }

    public Map<String, String> getTitles() {
        return titles;
    }

    public List<Line> getLines() {
        return lines;
    }

    /** A line of the catalogue. */
    @Embeddable
    public static class Line {
        @Column(length = 4)
        private String sku;

        protected Line() {
        }

        public Line(String sku) {
            this.sku = sku;
        }
    }
}
