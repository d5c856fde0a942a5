package io.dbcomposite.capture;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.TcpProxy;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 2, while the remote is down: the order column of a DUAL+QUEUE inverse list written beside a queued
 * remote write is queued with its owner's logged state (it is not a reason to refuse the commit), and reaches the
 * remote once it is back.
 */
class QueuedAssociationColumnsTest {

    @Test
    void an_inverse_lists_order_column_written_while_the_remote_is_down_is_queued_and_replayed() throws Exception {
        String schema = PostgresTestDatabase.createSchema("queued_columns");
        String localUrl = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-queued-columns"), "local.db");
        try (TcpProxy link = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
             CompositeEntityManagerFactory emf = CompositePersistence.builder()
                     .name("QueuedColumns")
                     .local(localUrl)
                     .remote(PostgresTestDatabase.urlThrough(link, schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                     .entities(Album.class, Song.class, Credit.class, Musician.class, Listing.class)
                     .defaults(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build())
                     .syncEnabled(false)
                     .property(CompositeSettings.REMOTE_CONNECT_TIMEOUT, "1s")
                     .property("hibernate.hbm2ddl.auto", "create")
                     .build()) {
            Album album = new Album(1, "Offline");
            album.addSong(0, new Song(2, "a"));
            album.addSong(1, new Song(3, "b"));

            link.cut();
            Transactions.inTransaction(emf.createEntityManager(), em -> {
                em.persist(album);
                em.persist(new Listing(4, "corner shop"));
            });
            assertThat(SqliteFiles.rows(localUrl, "select status from dbc_sync_log").toString()).doesNotContain("SYNCED");
            link.restore();
            await(() -> emf.getSyncStatus().remoteAvailable()); // the library's probe finds the remote back
            emf.sync();

            String sql = "select id, title, album_id, song_order from song order by id";
            assertThat(PostgresTestDatabase.rows(schema, sql).toString()).isEqualTo(SqliteFiles.rows(localUrl, sql).toString());
            assertThat(PostgresTestDatabase.rows(schema, "select song_order from song order by id").toString())
                    .isEqualTo("[{song_order=0}, {song_order=1}]");
            assertThat(PostgresTestDatabase.rows(schema, "select count(*) as n from listing").toString()).isEqualTo("[{n=1}]");
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(20).toNanos());
        }
    }
}
