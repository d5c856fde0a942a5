package io.dbcomposite.fidelity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.Comment;

/** An entity with a column comment, which Hibernate writes as a "comment on column" statement SQLite refuses. */
@Entity(name = "Remarked")
public class Remarked {
    @Id
    public Long id;
    @Comment("what the row says")
    public String remark;
}
