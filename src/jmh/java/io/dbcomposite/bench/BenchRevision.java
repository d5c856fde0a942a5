package io.dbcomposite.bench;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.envers.RevisionEntity;
import org.hibernate.envers.RevisionNumber;
import org.hibernate.envers.RevisionTimestamp;

/**
 * The Envers baseline's revision entity, mapped only on the Envers factory. Its id is IDENTITY because
 * Envers' default revision entity takes its id from a table generator, which runs in a second connection
 * and, on SQLite with {@code transaction_mode=IMMEDIATE}, waits for the write lock the first connection holds.
 */
@Entity
@Table(name = "bench_revision")
@RevisionEntity
public class BenchRevision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @RevisionNumber
    private int id;

    @RevisionTimestamp
    private long timestamp;

    public int getId() {
        return id;
    }

    public long getTimestamp() {
        return timestamp;
    }
}
