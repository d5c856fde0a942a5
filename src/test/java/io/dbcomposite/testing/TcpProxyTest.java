package io.dbcomposite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpProxy} against the real PostgreSQL and against a tiny echo server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    @BeforeAll
    static void postgres_is_reachable() {
        assumeTrue(PostgresTestDatabase.isAvailable(),
                () -> "PostgreSQL not reachable at " + PostgresTestDatabase.url() + " as " + PostgresTestDatabase.user());
    }

    @Test
    void forwards_a_postgres_connection_until_cut_then_refuses_until_restored() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            String url = PostgresTestDatabase.urlThrough(proxy, null);
            assertThat(url).contains("127.0.0.1:" + proxy.port());

            Connection open = PostgresTestDatabase.connect(url);
            try {
                assertThat(selectOne(open)).isEqualTo(1);
                assertThat(proxy.openConnections()).isEqualTo(1);

                proxy.cut();

                assertThat(proxy.isCut()).isTrue();
                assertThat(proxy.openConnections()).isZero();
                assertThatThrownBy(() -> selectOne(open)).isInstanceOf(SQLException.class);
                long start = System.nanoTime();
                assertThatThrownBy(() -> PostgresTestDatabase.connect(url).close()).isInstanceOf(SQLException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(proxy.refusedConnections()).isPositive();
            } finally {
                closeQuietly(open);
            }

            proxy.restore();

            assertThat(proxy.isCut()).isFalse();
            try (Connection fresh = PostgresTestDatabase.connect(url)) {
                assertThat(selectOne(fresh)).isEqualTo(1);
            }
        }
    }

    @Test
    void cut_kills_every_open_connection_at_once() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            String url = PostgresTestDatabase.urlThrough(proxy, null);
            List<Connection> connections = List.of(
                    PostgresTestDatabase.connect(url), PostgresTestDatabase.connect(url), PostgresTestDatabase.connect(url));
            try {
                for (Connection each : connections) {
                    assertThat(selectOne(each)).isEqualTo(1);
                }
                assertThat(proxy.openConnections()).isEqualTo(3);

                proxy.cut();

                assertThat(proxy.openConnections()).isZero();
                for (Connection each : connections) {
                    assertThatThrownBy(() -> selectOne(each)).isInstanceOf(SQLException.class);
                }
            } finally {
                connections.forEach(TcpProxyTest::closeQuietly);
            }
        }
    }

    @Test
    void a_connection_in_a_schema_through_the_proxy_sees_that_schema() throws Exception {
        String schema = PostgresTestDatabase.createSchema("proxy_test");
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
             Connection c = PostgresTestDatabase.connect(PostgresTestDatabase.urlThrough(proxy, schema));
             Statement st = c.createStatement()) {
            st.execute("create table probe (id int primary key)");
            st.execute("insert into probe values (1), (2)");
            assertThat(PostgresTestDatabase.count(schema, "probe")).isEqualTo(2);
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void forwards_bytes_both_ways_to_any_tcp_server() throws Exception {
        try (EchoServer echo = new EchoServer();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            byte[] big = new byte[1 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(big);
                    out.flush();
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the assertion below fails instead
                }
            });
            writer.start();
            byte[] back = socket.getInputStream().readAllBytes();
            writer.join();
            assertThat(back).isEqualTo(big);
        }
    }

    @Test
    void a_cut_connection_to_any_tcp_server_sees_a_reset_or_end_of_stream() throws Exception {
        try (EchoServer echo = new EchoServer();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));

            proxy.cut();

            assertThat(readOrFail(socket)).isTrue();
        }
    }

    @Test
    void close_stops_listening_and_leaves_no_thread_behind() throws Exception {
        TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
        String prefix = "tcp-proxy-" + proxy.port() + "-";
        Connection a = PostgresTestDatabase.connect(PostgresTestDatabase.urlThrough(proxy, null));
        Connection b = PostgresTestDatabase.connect(PostgresTestDatabase.urlThrough(proxy, null));
        assertThat(selectOne(a)).isEqualTo(1);
        assertThat(proxyThreads(prefix)).hasSize(5); // acceptor + two per connection

        proxy.close();

        assertThat(proxy.isClosed()).isTrue();
        assertThat(proxyThreads(prefix)).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> selectOne(b)).isInstanceOf(SQLException.class);
        closeQuietly(a);
        closeQuietly(b);
        proxy.close(); // idempotent
    }

    @Test
    void cut_and_restore_are_idempotent_and_a_closed_proxy_can_still_be_asked() {
        TcpProxy proxy = TcpProxy.start("127.0.0.1", PostgresTestDatabase.port());
        proxy.cut();
        proxy.cut();
        assertThat(proxy.isCut()).isTrue();
        proxy.restore();
        proxy.restore();
        assertThat(proxy.isCut()).isFalse();
        proxy.partition();
        proxy.partition();
        assertThat(proxy.isPartitioned()).isTrue();
        assertThat(proxy.isCut()).isFalse();
        assertThat(proxy.toString()).endsWith(", partitioned]");
        proxy.cut();
        assertThat(proxy.isCut()).isTrue();
        assertThat(proxy.isPartitioned()).isFalse();
        proxy.restore();
        assertThat(proxy.isCut()).isFalse();
        assertThat(proxy.isPartitioned()).isFalse();
        proxy.close();
        assertThat(proxy.toString()).contains("127.0.0.1:" + proxy.port());
    }

    // ---- partition ------------------------------------------------------------------------------------

    @Test
    void during_a_partition_a_read_on_an_open_connection_times_out_instead_of_failing_and_nothing_sent_is_lost() throws Exception {
        try (EchoServer echo = new EchoServer();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            assertThat(roundTrip(socket, "ping")).isEqualTo("ping");

            proxy.partition();

            socket.getOutputStream().write(ascii("held"));
            socket.setSoTimeout(PARTITION_PROBE_MILLIS);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.openConnections()).as("the connection, still open").isEqualTo(1);
            assertThat(socket.isClosed()).isFalse();

            proxy.restore();

            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().readNBytes(4)).as("what was sent during the partition").isEqualTo(ascii("held"));
            assertThat(roundTrip(socket, "pong")).isEqualTo("pong");
        }
    }

    @Test
    void during_a_partition_a_new_connection_is_accepted_but_gets_no_byte_and_is_forwarded_once_restored() throws Exception {
        try (EchoServer echo = new EchoServer();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port())) {
            proxy.partition();

            try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                stalled.getOutputStream().write(ascii("early"));
                stalled.setSoTimeout(PARTITION_PROBE_MILLIS);
                assertThatThrownBy(() -> stalled.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.stalledConnections()).isEqualTo(1);
                assertThat(proxy.openConnections()).as("forwarded connections").isZero();
                assertThat(proxy.refusedConnections()).isZero();

                proxy.restore();

                stalled.setSoTimeout(10_000);
                assertThat(stalled.getInputStream().readNBytes(5)).as("what it sent during the partition").isEqualTo(ascii("early"));
                assertThat(proxy.openConnections()).isEqualTo(1);
            }
            try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                fresh.setSoTimeout(10_000);
                assertThat(roundTrip(fresh, "after")).as("a connection made after the restore").isEqualTo("after");
            }
            assertThat(proxy.stalledConnections()).isEqualTo(1);
            assertThat(proxy.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void during_a_partition_postgres_clients_fail_only_by_their_own_timeouts_and_work_again_once_restored() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
            String url = PostgresTestDatabase.withParams(PostgresTestDatabase.urlThrough(proxy, null),
                    Map.of("socketTimeout", "1", "connectTimeout", "1"));
            Connection open = PostgresTestDatabase.connect(url);
            try {
                assertThat(selectOne(open)).isEqualTo(1);

                proxy.partition();

                long start = System.nanoTime();
                assertThatThrownBy(() -> selectOne(open)).isInstanceOf(SQLException.class)
                        .hasRootCauseInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a query on an open connection")
                        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
                start = System.nanoTime();
                assertThatThrownBy(() -> PostgresTestDatabase.connect(url).close()).isInstanceOf(SQLException.class)
                        .hasRootCauseInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a new connection")
                        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
                assertThat(proxy.stalledConnections()).isEqualTo(1);
                assertThat(proxy.refusedConnections()).isZero();
            } finally {
                closeQuietly(open);
            }

            proxy.restore();

            try (Connection fresh = PostgresTestDatabase.connect(url)) {
                assertThat(selectOne(fresh)).isEqualTo(1);
            }
        }
    }

    @Test
    void cut_during_a_partition_resets_the_held_and_the_stalled_connections() throws Exception {
        try (EchoServer echo = new EchoServer();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port());
             Socket held = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            held.setSoTimeout(10_000);
            assertThat(roundTrip(held, "ping")).isEqualTo("ping");
            proxy.partition();
            try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                stalled.setSoTimeout(10_000);
                awaitStalled(proxy, 1);

                proxy.cut();

                assertThat(readOrFail(held)).as("the held connection ends").isTrue();
                assertThat(readOrFail(stalled)).as("the stalled connection ends").isTrue();
                assertThat(proxy.openConnections()).isZero();
            }
        }
    }

    @Test
    void close_during_a_partition_leaves_no_thread_behind() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.port());
            String prefix = "tcp-proxy-" + proxy.port() + "-";
            try (Socket held = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                held.setSoTimeout(10_000);
                assertThat(roundTrip(held, "ping")).isEqualTo("ping");
                proxy.partition();
                held.getOutputStream().write(ascii("held"));
                try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                    awaitStalled(proxy, 1);
                    // the client-to-server pump has read the request and holds it back: only close() can end its wait
                    awaitState(prefix + "c1-up", Thread.State.WAITING);
                    assertThat(proxyThreads(prefix)).hasSize(3); // acceptor + two pumps; a stalled connection has none

                    proxy.close();

                    assertThat(proxyThreads(prefix)).isEmpty();
                    assertThat(readOrFail(held)).isTrue();
                    assertThat(readOrFail(stalled)).isTrue();
                }
            }
        }
    }

    /** How long a client waits to tell that a partition holds its bytes back. */
    private static final int PARTITION_PROBE_MILLIS = 500;

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes {@code text} and reads as many bytes back (through the echo server). */
    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(ascii(text));
        return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    /** Waits until the proxy has accepted {@code n} connections during partitions (its accept loop runs apart). */
    private static void awaitStalled(TcpProxy proxy, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.stalledConnections() < n) {
            assertThat(System.nanoTime() - deadline).as("waiting for %d stalled connection(s)", n).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void awaitState(String threadName, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(threadName) && t.getState() == state)) {
            assertThat(System.nanoTime() - deadline).as("waiting for %s to be %s", threadName, state).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A connection whose socket was reset may throw from {@code close()}; that is not what is tested. */
    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // expected after a cut
        }
    }

    /** True when the socket reads end-of-stream or fails (never times out: the proxy reset it). */
    private static boolean readOrFail(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static List<String> proxyThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .collect(Collectors.toList());
    }

    /**
     * An echo server on 127.0.0.1 for protocol-independent checks, one thread per connection (a connection held
     * open by a partition must not keep the next one waiting).
     */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        EchoServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            start(this::serve, "echo-server-" + server.getLocalPort());
        }

        int port() {
            return server.getLocalPort();
        }

        private void start(Runnable body, String name) {
            Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException closing) {
                    return;
                }
                open.add(s);
                start(() -> echo(s), "echo-server-" + server.getLocalPort() + "-" + s.getPort());
            }
        }

        private void echo(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
            } catch (IOException ignored) {
                // a reset by the proxy, or the server closing
            } finally {
                open.remove(s);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Thread t : threads) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
