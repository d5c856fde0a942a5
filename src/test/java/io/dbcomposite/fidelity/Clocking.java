package io.dbcomposite.fidelity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import java.time.LocalTime;

/** An entity with a column named like a PostgreSQL keyword ({@code localTime}) that SQLite accepts unquoted. */
@Entity(name = "Clocking")
public class Clocking {
    @Id
    public Long id;
    public LocalTime localTime;
}
