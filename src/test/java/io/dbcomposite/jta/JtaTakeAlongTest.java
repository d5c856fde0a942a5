package io.dbcomposite.jta;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.mixed.Author;
import io.dbcomposite.mixed.Comment;
import io.dbcomposite.mixed.Post;
import io.dbcomposite.testing.JtaUnits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mixed routing under JTA: a DUAL+FAIL post referring to an author still pending in the sync log takes the author along
 * into the container's transaction (contract, "Mixed routing and foreign keys"). The applier lock it takes for that
 * lives on a remote connection taken and used outside the container's transaction: a pool that enlists its connections
 * (as a container's does) refuses one taken outside a transaction and used inside it.
 */
class JtaTakeAlongTest extends CompositeTestBase {


    @Override
    protected CompositePersistence.Builder remote(CompositePersistence.Builder builder) {
        return jtaRemote(builder, false).entities(Author.class, Post.class, Comment.class);
    }


    @Test
    void a_dual_post_takes_its_pending_author_along_into_the_container_transaction() throws Exception {
        Author author = new Author(unique("Pending author"));
        JtaUnits.inTransaction(emf, em -> em.persist(author)); // LOCAL + BACKGROUND: pending in the log
        assertThat(only(logRows("Author", author.getId())).get("status")).isEqualTo("PENDING");
        assertThat(remoteCount("author", "id = ?", author.getId())).isZero();

        Post[] post = new Post[1];
        JtaUnits.inTransaction(emf, em -> {
            post[0] = new Post("taken along under JTA", em.find(Author.class, author.getId()));
            em.persist(post[0]);
        });

        assertThat(remoteCount("author", "id = ?", author.getId())).as("taken along").isEqualTo(1);
        assertThat(remoteCount("post", "id = ?", post[0].getId())).isEqualTo(1);
        assertThat(only(logRows("Author", author.getId())).get("status")).isEqualTo("SYNCED");
        assertThat(emf.getSyncStatus().pendingChanges()).isZero();
        // the applier lock (in this JVM and on the remote) was given back with the transaction: another thread's sync runs
        Author later = new Author(unique("Later"));
        JtaUnits.inTransaction(emf, em -> em.persist(later));
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(emf::sync)
                .get(20, java.util.concurrent.TimeUnit.SECONDS).applied()).isEqualTo(1);
        assertThat(remoteCount("author", "id = ?", later.getId())).isEqualTo(1);
    }
}
