package io.dbcomposite.jta;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.SyncResult;
import io.dbcomposite.mixed.Author;
import io.dbcomposite.mixed.Comment;
import io.dbcomposite.mixed.Post;
import io.dbcomposite.testing.JtaUnits;
import io.dbcomposite.testing.StandaloneJta;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JTA transaction the transaction manager times out while it holds the applier lock (a DUAL write took a pending
 * change of the row it refers to along): the reaper ends it on its own thread and gives the lock back for the thread
 * that took it, so the sync runs again, from any thread, and nothing of the timed-out transaction stays anywhere.
 */
class JtaTimeoutTest extends CompositeTestBase {

    private final TransactionManager tm = StandaloneJta.manager();

    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, false).entities(Author.class, Post.class, Comment.class);
    }


    @Test
    void a_transaction_timed_out_while_it_holds_the_applier_lock_gives_it_back_and_the_sync_runs_again() throws Exception {
        Author author = new Author(unique("Timed out"));
        JtaUnits.inTransaction(emf, em -> em.persist(author)); // LOCAL + BACKGROUND: pending
        Author other = new Author(unique("Waiting"));
        JtaUnits.inTransaction(emf, em -> em.persist(other));

        tm.setTransactionTimeout(1);
        try {
            tm.begin();
        } finally {
            tm.setTransactionTimeout(0);
        }
        EntityManager em = emf.createEntityManager();
        em.persist(new Post("after the timeout", em.find(Author.class, author.getId())));
        em.flush(); // the DUAL post goes to the remote now, taking the pending author along: the applier lock is held
        em.close(); // closed inside the transaction: it ends with the transaction
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (tm.getStatus() != Status.STATUS_ROLLEDBACK && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the reaper rolls it back on its own thread
        }
        assertThat(tm.getStatus()).isEqualTo(Status.STATUS_ROLLEDBACK);

        // another thread's sync (the background job's) is not kept out by the lock this thread took
        SyncResult result = CompletableFuture.supplyAsync(emf::sync).get(30, TimeUnit.SECONDS);
        try {
            tm.rollback();
        } catch (IllegalStateException | jakarta.transaction.SystemException alreadyEnded) {
            tm.suspend();
        }
        assertThat(result.applied()).isGreaterThanOrEqualTo(1);
        assertThat(remoteCount("author", "id in (?, ?)", author.getId(), other.getId())).isEqualTo(2);
        assertThat(remoteCount("post", "title = 'after the timeout'")).as("rolled back").isZero();
        assertThat(localCount("post", "title = 'after the timeout'")).isZero();
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
    }
}
