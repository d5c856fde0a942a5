package io.dbcomposite.limits;

import jakarta.persistence.Entity;

/** {@link Limited} with the built-in routing (write LOCAL, sync BACKGROUND). */
@Entity
public class DefaultLimited extends Limited {
    protected DefaultLimited() {
    }

    public DefaultLimited(long id) {
        super(id);
    }
}
