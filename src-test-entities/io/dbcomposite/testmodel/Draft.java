package io.dbcomposite.testmodel;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Sync;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * An unfinished text kept on this device only.
 *
 * <p>Routing: {@code sync = NONE} with the default LOCAL read and write: local only. Never captured
 * in the sync log, never replayed; works the same whether the remote is up or down.
 */
@Entity
@Table(name = "draft")
@CompositeRouting(sync = Sync.NONE)
public class Draft {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "title", nullable = false, length = 200)
    private String title;

    @Column(name = "body", length = 10_000)
    private String body;

    @Column(name = "saved_at", nullable = false)
    private LocalDateTime savedAt;

    /** For JPA. */
    public Draft() {
    }

    /**
     * A draft saved now (local time, truncated to milliseconds, the precision SQLite keeps).
     *
     * @param title the title
     * @param body the text, up to 10000 characters
     */
    public Draft(String title, String body) {
        this.title = title;
        this.body = body;
        this.savedAt = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public LocalDateTime getSavedAt() {
        return savedAt;
    }

    public void setSavedAt(LocalDateTime savedAt) {
        this.savedAt = savedAt;
    }

    /** Equal when both have the same database id; a transient draft equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Draft)) {
            return false;
        }
        Long otherId = ((Draft) o).getId();
        return id != null && id.equals(otherId);
    }

    /** Constant, so that the hash does not change when the IDENTITY id is assigned on flush. */
    @Override
    public int hashCode() {
        return Draft.class.hashCode();
    }

    @Override
    public String toString() {
        return "Draft[id=" + id + ", title=" + title + "]";
    }
}
