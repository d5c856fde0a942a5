package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.SyncResult;
import io.dbcomposite.testmodel.TestModel;

/**
 * The child JVM of {@link CrashSafetyTest}: opens a unit on the test's SQLite file and remote schema (no schema
 * generation, no background job) and calls {@code sync()} in a loop until it is killed.
 *
 * <p>Arguments: local URL, remote URL, remote user, remote password (may be empty), batch size.
 */
public final class SyncLoopChild {

    private SyncLoopChild() {
    }

    public static void main(String[] args) {
        CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("crash-child")
                .local(args[0])
                .remote(args[1], args[2], args[3])
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "none")
                .property("dbcomposite.sync.batch-size", args[4])
                .build();
        System.out.println("READY");
        System.out.flush();
        while (true) {
            SyncResult r = emf.sync();
            System.out.println("applied " + r.applied() + " failed " + r.failed() + " remaining " + r.remaining());
            System.out.flush();
        }
    }
}
