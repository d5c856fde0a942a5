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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            assertThat(url).contains("127.0.0.1:" + proxy.port()).contains("connectTimeout=5").contains("socketTimeout=30");

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
        assertThat(proxyThreads(prefix)).hasSizeGreaterThanOrEqualTo(5); // acceptor + two per connection

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
        proxy.close();
        assertThat(proxy.toString()).contains("127.0.0.1:" + proxy.port());
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

    /** A one-connection-at-a-time echo server on 127.0.0.1 for protocol-independent checks. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final CountDownLatch stopped = new CountDownLatch(1);

        EchoServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "echo-server-" + server.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            try {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
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
                    }
                }
            } finally {
                stopped.countDown();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
