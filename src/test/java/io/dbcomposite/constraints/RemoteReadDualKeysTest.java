package io.dbcomposite.constraints;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code write=DUAL, read=REMOTE} entity lives in the remote session; its local copy is written after the local
 * flush. A local key to its table would refuse a transaction that persists it and a local row referring to it (the
 * local row was inserted first), so the local side declares no key to or from such a table.
 */
class RemoteReadDualKeysTest {

    @Entity(name = "RrdClinic")
    @CompositeRouting(read = Read.REMOTE, write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class Clinic {
        @Id
        public Long id;
        public String name;
    }

    @Entity(name = "RrdAppointment")
    public static class Appointment {
        @Id
        public Long id;
        @ManyToOne
        public Clinic clinic;
    }

    @Test
    void a_local_row_referring_to_a_remote_read_dual_row_of_the_same_transaction_commits() {
        try (StandaloneUnit unit = StandaloneUnit.start("RemoteReadDualKeys", Clinic.class, Appointment.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Clinic clinic = new Clinic();
                clinic.id = 1L;
                clinic.name = "north";
                em.persist(clinic);
                Appointment appointment = new Appointment();
                appointment.id = 7L;
                appointment.clinic = clinic;
                em.persist(appointment);
            });
            assertThat(SqliteFiles.rows(unit.localUrl, "select clinic_id from RrdAppointment")).containsExactly(Map.of("clinic_id", 1));
            assertThat(SqliteFiles.rows(unit.localUrl, "select name from RrdClinic")).containsExactly(Map.of("name", "north"));
            assertThat(unit.emf.sync().failed()).isZero();
        }
    }
}
