package io.dbcomposite.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on {@code 127.0.0.1} that a test can cut or partition to simulate a network outage.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
 *     String url = PostgresTestDatabase.urlThrough(proxy, schema);
 *     ...
 *     proxy.cut();        // every open connection dies; new ones fail at once
 *     ...
 *     proxy.restore();    // new connections work again
 *     ...
 *     proxy.partition();  // nothing gets through, and nothing fails: every client waits for its own timeout
 *     ...
 *     proxy.restore();    // what was held back flows again
 * }
 * }</pre>
 *
 * <p>Each accepted connection gets two daemon threads, one per direction. {@link #cut()} aborts every
 * open connection (with a TCP reset, like a dropped link) and, until {@link #restore()}, accepts new
 * connections only to end them at once (the client reads end-of-stream immediately; what it sends is
 * discarded until it closes), so clients fail fast instead of waiting for a timeout, and no client
 * library logs a broken pipe while cleaning up its failed attempt.
 *
 * <p>{@link #partition()} drops the link silently instead, as a dead router or a firewall dropping
 * packets would: open connections stay open but nothing is forwarded in either direction (not even an
 * end of stream or a reset), and new connections are accepted but neither forwarded nor closed. A client
 * then sees no error at all; it blocks until its own connect, login or socket timeout, which is what a
 * test of those timeouts needs. Bytes sent meanwhile are held back, not lost: {@link #restore()} lets them
 * through, forwards the connections accepted during the partition, and passes on any end of stream or
 * reset that a side sent meanwhile, as TCP does when a partition heals.
 *
 * <p>{@link #close()} stops listening, aborts every connection and waits for all the proxy's threads to end.
 * I/O errors caused by cutting or closing are expected and never printed.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long JOIN_MILLIS = 5_000;
    private static final int REFUSE_DRAIN_MILLIS = 2_000;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final String name;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Set<Link> links = new HashSet<>();
    /** Guarded by {@link #lock}: connections accepted while cut, being refused. */
    private final Set<Socket> refusing = new HashSet<>();
    /** Guarded by {@link #lock}: connections accepted while partitioned, neither forwarded nor closed. */
    private final List<Socket> stalled = new ArrayList<>();
    /** Guarded by {@link #lock}: every thread started and not yet known to be finished. */
    private final Set<Thread> threads = new HashSet<>();
    /** Guarded by {@link #lock}; every change is announced with {@code lock.notifyAll()}. */
    private Mode mode = Mode.FORWARD;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger stalledTotal = new AtomicInteger();

    /** What the proxy does with traffic. */
    private enum Mode {
        /** Forwards both ways. */
        FORWARD,
        /** Resets open connections, ends new ones at once. */
        CUT,
        /** Forwards nothing and ends nothing. */
        PARTITION
    }

    private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        this.name = "tcp-proxy-" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy listening on {@code 127.0.0.1} on an ephemeral port.
     *
     * @param targetHost where connections are forwarded
     * @param targetPort the port they are forwarded to
     * @return the running proxy; see {@link #port()}
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        if (targetPort <= 0 || targetPort > 65_535) {
            throw new IllegalArgumentException("bad target port " + targetPort);
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, server);
        synchronized (proxy.lock) {
            proxy.threads.add(proxy.acceptor);
        }
        proxy.acceptor.start();
        return proxy;
    }

    /** The local port clients connect to (on {@code 127.0.0.1}). */
    public int port() {
        return server.getLocalPort();
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** Where connections are forwarded. */
    public String targetHost() {
        return targetHost;
    }

    /** The port connections are forwarded to. */
    public int targetPort() {
        return targetPort;
    }

    /**
     * Simulates an outage: aborts every open connection at once and makes new connections fail
     * immediately until {@link #restore()}. Returns after every open socket is closed. Idempotent.
     */
    public void cut() {
        List<Link> toAbort;
        List<Socket> held;
        synchronized (lock) {
            mode = Mode.CUT;
            lock.notifyAll();
            toAbort = new ArrayList<>(links);
            held = new ArrayList<>(stalled);
            stalled.clear();
        }
        for (Link link : toAbort) {
            link.abort();
        }
        for (Socket socket : held) {
            abortQuietly(socket); // accepted during a partition: a reset, like every other connection
        }
    }

    /**
     * Simulates a silent outage: from now until {@link #restore()} nothing is forwarded in either
     * direction and no connection is ended, so every client waits for its own timeout. Open connections
     * stay open (what they send is held back); new connections are accepted but get no byte. Switches
     * a cut proxy to a partitioned one. Idempotent.
     */
    public void partition() {
        synchronized (lock) {
            mode = Mode.PARTITION;
            lock.notifyAll();
        }
    }

    /**
     * Ends the outage: new connections are forwarded again. After a {@link #partition()}, what was held
     * back flows on, and the connections accepted during it are forwarded from their first byte (those
     * whose client gave up meanwhile just end). Idempotent.
     */
    public void restore() {
        List<Link> resumed = new ArrayList<>();
        synchronized (lock) {
            mode = Mode.FORWARD;
            lock.notifyAll();
            if (!closed) {
                for (Socket client : stalled) {
                    Link link = new Link(client, accepted.incrementAndGet());
                    links.add(link);
                    resumed.add(link);
                }
            }
            stalled.clear();
        }
        for (Link link : resumed) {
            link.start();
        }
    }

    /** Whether the proxy is cut (between {@link #cut()} and {@link #restore()} or {@link #partition()}). */
    public boolean isCut() {
        synchronized (lock) {
            return mode == Mode.CUT;
        }
    }

    /** Whether the proxy is partitioned (between {@link #partition()} and {@link #restore()} or {@link #cut()}). */
    public boolean isPartitioned() {
        synchronized (lock) {
            return mode == Mode.PARTITION;
        }
    }

    /** Connections currently forwarded (open on the client side). */
    public int openConnections() {
        synchronized (lock) {
            return links.size();
        }
    }

    /** Connections accepted and forwarded since the start (one stalled by a partition counts once restored). */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections accepted while cut, and ended at once, since the start. */
    public int refusedConnections() {
        return refused.get();
    }

    /** Connections accepted while partitioned, since the start (whether or not a restore forwarded them later). */
    public int stalledConnections() {
        return stalledTotal.get();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Stops listening, aborts every connection and waits (up to a few seconds) for every thread of
     * the proxy to end. Idempotent.
     */
    @Override
    public void close() {
        List<Link> toAbort;
        List<Socket> unforwarded;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll(); // pumps holding bytes back during a partition end
            toAbort = new ArrayList<>(links);
            unforwarded = new ArrayList<>(refusing);
            unforwarded.addAll(stalled);
            stalled.clear();
        }
        closeQuietly(server);
        for (Link link : toAbort) {
            link.abort();
        }
        for (Socket socket : unforwarded) {
            abortQuietly(socket);
        }
        long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000L;
        while (true) {
            List<Thread> alive;
            synchronized (lock) {
                alive = new ArrayList<>(threads);
            }
            alive.remove(Thread.currentThread());
            alive.removeIf(t -> !t.isAlive());
            if (alive.isEmpty()) {
                return;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return; // daemon threads; never block a test forever
            }
            try {
                alive.get(0).join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + targetHost + ":" + targetPort + (isCut() ? ", cut" : "")
                + (isPartitioned() ? ", partitioned" : "") + "]";
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (isClosed() || server.isClosed()) {
                    return;
                }
                continue; // a transient accept failure; keep listening
            }
            Link link = null;
            boolean refuse = false;
            synchronized (lock) {
                if (closed) {
                    abortQuietly(client);
                    return;
                }
                if (mode == Mode.FORWARD) {
                    link = new Link(client, accepted.incrementAndGet());
                    links.add(link);
                } else if (mode == Mode.PARTITION) {
                    // nothing is read from it or sent to it: the client waits for its own timeout
                    stalledTotal.incrementAndGet();
                    stalled.add(client);
                } else {
                    refuse = true;
                }
            }
            if (refuse) {
                refuse(client);
            } else if (link != null) {
                link.start();
            }
        }
    }

    /**
     * Blocks while the proxy is partitioned, so that nothing a pump holds gets through.
     *
     * @return true to go on forwarding; false if the link was aborted or the proxy closed meanwhile
     */
    private boolean awaitForwarding(Link link) {
        synchronized (lock) {
            while (mode == Mode.PARTITION && !closed && !link.isAborted()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !closed && !link.isAborted();
        }
    }

    /**
     * Ends a connection accepted while cut: end-of-stream to the client at once, then whatever it
     * still sends is discarded until it closes (at most {@value #REFUSE_DRAIN_MILLIS} ms), so that its
     * own clean-up writes do not hit a reset socket.
     */
    private void refuse(Socket client) {
        refused.incrementAndGet();
        try {
            client.shutdownOutput();
            client.setSoTimeout(REFUSE_DRAIN_MILLIS);
        } catch (IOException e) {
            abortQuietly(client);
            return;
        }
        synchronized (lock) {
            if (closed) {
                abortQuietly(client);
                return;
            }
            refusing.add(client);
        }
        newThread(() -> {
            try (InputStream in = client.getInputStream()) {
                byte[] sink = new byte[1024];
                while (in.read(sink) >= 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // timed out, reset by the client, or aborted by close()
            } finally {
                closeQuietly(client);
                synchronized (lock) {
                    refusing.remove(client);
                }
            }
        }, name + "-refuse-" + client.getPort()).start();
    }

    private Thread newThread(Runnable body, String threadName) {
        Thread thread = new Thread(body, threadName);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> { /* I/O failures on cut/close are expected */ });
        synchronized (lock) {
            // a thread stays in the set until it has ended, not just until its body returned: close() joins every
            // thread still alive (one that took itself out on its way out raced close() and outlived it)
            threads.removeIf(t -> !t.isAlive());
            threads.add(thread);
        }
        return thread;
    }

    /** One forwarded connection: a client socket, an upstream socket and two pump threads. */
    private final class Link {
        private final Socket client;
        private final int number;
        /** Guarded by {@code this}. */
        private Socket upstream;
        /** Guarded by {@code this}. */
        private boolean aborted;
        /** Guarded by {@code this}: pumps that reached end of stream cleanly. */
        private int finishedPumps;

        Link(Socket client, int number) {
            this.client = client;
            this.number = number;
        }

        void start() {
            newThread(this::connectAndPumpUp, name + "-c" + number + "-up").start();
        }

        /** Connects upstream, starts the downstream pump, then pumps client to upstream. */
        private void connectAndPumpUp() {
            Socket target = new Socket();
            try {
                target.setTcpNoDelay(true);
                target.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(target);
                abort();
                return;
            }
            synchronized (this) {
                if (aborted) {
                    abortQuietly(target);
                    return;
                }
                upstream = target;
            }
            newThread(() -> pump(target, client), name + "-c" + number + "-down").start();
            pump(client, target);
        }

        synchronized boolean isAborted() {
            return aborted;
        }

        /**
         * Copies {@code from} to {@code to}; at end of stream half-closes {@code to}; on error aborts both.
         * During a partition it holds what it read, and the end of stream or the error, until the restore.
         */
        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            InputStream in;
            OutputStream out;
            try {
                in = from.getInputStream();
                out = to.getOutputStream();
            } catch (IOException e) {
                abort();
                return;
            }
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    // a reset, or the link aborted: passed on, after a partition too
                    if (awaitForwarding(this)) {
                        abort();
                    }
                    return;
                }
                if (!awaitForwarding(this)) {
                    return; // aborted meanwhile, or the proxy closed: both sockets are being closed
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    abort();
                    return;
                }
            }
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // the other side is gone already
            }
            pumpFinished();
        }

        private void pumpFinished() {
            boolean both;
            synchronized (this) {
                finishedPumps++;
                both = finishedPumps >= 2;
            }
            if (both) {
                closeGracefully();
            }
        }

        /** Both directions ended cleanly: a normal close. */
        private void closeGracefully() {
            Socket target;
            synchronized (this) {
                if (aborted) {
                    return;
                }
                aborted = true;
                target = upstream;
            }
            closeQuietly(client);
            closeQuietly(target);
            synchronized (lock) {
                links.remove(this);
            }
        }

        /** Resets both sockets at once (idempotent); the pumps end with an exception they swallow. */
        void abort() {
            Socket target;
            synchronized (this) {
                if (aborted) {
                    return;
                }
                aborted = true;
                target = upstream;
            }
            abortQuietly(client);
            abortQuietly(target);
            synchronized (lock) {
                links.remove(this);
                lock.notifyAll(); // a pump of this link holding bytes back during a partition ends
            }
        }
    }

    /** Closes with SO_LINGER 0, so that the peer gets a reset at once, as on a dropped link. */
    private static void abortQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException ignored) {
            // closed concurrently
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful to do
        }
    }
}
