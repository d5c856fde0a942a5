package io.dbcomposite.fidelity;

import jakarta.persistence.Entity;

/** Every temporal type, written locally and synced in the background. */
@Entity
public class SyncedMoment extends TimeValues {

    protected SyncedMoment() {
    }

    public SyncedMoment(Long id) {
        super(id);
    }
}
