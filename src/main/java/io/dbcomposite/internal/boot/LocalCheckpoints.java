package io.dbcomposite.internal.boot;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The WAL checkpoints of a local SQLite file, run on a thread of their own instead of inside the application's commits
 * ({@code dbcomposite.local.checkpoint=background}, the default).
 *
 * <p>SQLite copies the write-ahead log back into the database file when a commit leaves it at 1,000 frames or more,
 * in that commit: the copy and its two {@code fsync}s (some milliseconds) fall on one transaction in a few hundred. A
 * captured commit writes about twice the frames of the same commit without capture (its sync-log row is a page of its
 * own), so it met such a checkpoint twice as often: about a third of what capture added to a one-row transaction on
 * average. Here this thread runs a {@code PASSIVE} checkpoint (one that never waits for a reader or a writer, and that
 * writers go on beside) about every {@value #TARGET_FRAMES} frames: it counts the local commits and learns from each
 * checkpoint how many frames a commit writes. The same pages reach the database file, and its {@code fsync}s as often as
 * before, so a power cut loses no more than with SQLite's own checkpoint.
 *
 * <p>What a checkpoint beside the writers cannot do is start the log over: SQLite does that at the first write after a
 * checkpoint that copied every frame, and under a steady stream of commits new frames arrive while it runs. So the pool's
 * connections keep SQLite's own checkpoint at {@value #INLINE_FALLBACK_FRAMES} frames: there, in a commit, the log is
 * copied (by then all but the last few hundred frames already are) and starts over. Under sustained writes the log file
 * grows to that many frames (64 MB with 4 KB pages) instead of 1,000, and stays that size, reused from its start; a
 * reader's lookups in the log are hashed, so reads do not slow down. Should this thread fall behind (a long reader
 * holding the log, a stopped disk), the commits run SQLite's checkpoint at that size as before.
 */
public final class LocalCheckpoints implements AutoCloseable {

    /** The log size, in frames, this thread checkpoints at: SQLite's own default threshold. */
    static final int TARGET_FRAMES = 1_000;
    /** The threshold the pool's connections keep for SQLite's own checkpoint, which starts the log over. */
    public static final int INLINE_FALLBACK_FRAMES = 16 * TARGET_FRAMES;
    /** The statement each pooled connection runs first. */
    public static final String CONNECTION_INIT_SQL = "pragma wal_autocheckpoint = " + INLINE_FALLBACK_FRAMES;

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.local");

    private final DataSource local;
    private final String unitName;
    private final Thread thread;
    /** Local commits since the last checkpoint began. */
    private final AtomicLong commits = new AtomicLong();
    /** True from the commit that asked for a checkpoint until the checkpoint ran. */
    private final AtomicBoolean asked = new AtomicBoolean();
    /** The commits between checkpoints: {@link #TARGET_FRAMES} over the frames a commit was last seen to write. */
    private volatile long due = TARGET_FRAMES / 2;
    private volatile boolean closed;
    private boolean failureLogged;
    /** The log file, once known; the log's generation and size at the last checkpoint (this thread's only). */
    private java.nio.file.Path wal;
    private long lastGeneration = -2;
    private long lastFrames;

    private LocalCheckpoints(DataSource local, String unitName) {
        this.local = local;
        this.unitName = unitName;
        this.thread = new Thread(this::loop, "dbcomposite-" + unitName + "-checkpoint");
        thread.setDaemon(true);
    }

    /**
     * @param local the unit's own pool of a SQLite file, its connections set up with {@link #CONNECTION_INIT_SQL}
     * @return the running checkpoints, or null if the file is not in WAL mode (the application's URL chose another
     *     journal: SQLite checkpoints nothing then)
     */
    static LocalCheckpoints start(DataSource local, String unitName) {
        try (Connection c = local.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("pragma journal_mode")) {
            if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                return null;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "db-composite: persistence unit '" + unitName + "': cannot read the local"
                    + " database's journal mode; its checkpoints stay in the commits, at " + INLINE_FALLBACK_FRAMES
                    + " frames (set " + io.dbcomposite.CompositeSettings.LOCAL_CHECKPOINT + "=inline for SQLite's 1,000): "
                    + e.getMessage(), e);
            return null;
        }
        LocalCheckpoints started = new LocalCheckpoints(local, unitName);
        started.thread.start();
        return started;
    }

    /** After each local commit: counts it, and wakes the thread once enough frames are due. Cheap, never blocking. */
    public void committed() {
        if (commits.incrementAndGet() >= due && !asked.get() && asked.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (!closed) {
            LockSupport.park(this);
            if (closed) {
                return;
            }
            Thread.interrupted(); // only a close interrupts this thread; a stray interrupt must not make park spin
            if (asked.get()) {
                checkpoint();
                asked.set(false);
            }
        }
    }

    private void checkpoint() {
        long counted = commits.getAndSet(0);
        try (Connection c = local.getConnection(); Statement s = c.createStatement()) {
            if (wal == null) {
                wal = walOf(s);
            }
            long generation = generation(wal);
            try (ResultSet rs = s.executeQuery("pragma wal_checkpoint(PASSIVE)")) {
                if (rs.next()) {
                    // (busy, frames in the log, frames copied). The log starts over (a new generation in its header)
                    // at the first write after a checkpoint that copied it all; until then it only grows. So the frames
                    // of the commits counted since the last checkpoint are the log's frames if it started over since,
                    // else the frames it gained
                    long frames = rs.getLong(2);
                    long written = generation != lastGeneration || frames < lastFrames ? frames : frames - lastFrames;
                    lastGeneration = generation;
                    lastFrames = frames;
                    if (counted > 0 && written > 0) {
                        due = Math.max(1, Math.min(TARGET_FRAMES, TARGET_FRAMES * counted / written));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (closed) {
                return; // the unit is closing: its pool may be closed, or this thread was interrupted out of a wait
            }
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "db-composite: persistence unit '" + unitName + "': a checkpoint of"
                        + " the local database failed; the commits run SQLite's own at " + INLINE_FALLBACK_FRAMES
                        + " frames until one succeeds: " + e.getMessage(), e);
            }
            return;
        }
        failureLogged = false;
    }

    /** @return the log file of the connection's main database, or null if it cannot be told */
    private static java.nio.file.Path walOf(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("pragma database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString(2)) && rs.getString(3) != null && !rs.getString(3).isEmpty()) {
                    return java.nio.file.Path.of(rs.getString(3) + "-wal");
                }
            }
        }
        return null;
    }

    /**
     * @return the log's generation: the first salt of its header, which SQLite changes each time the log starts over;
     *     -1 if it cannot be read
     */
    private static long generation(java.nio.file.Path wal) {
        if (wal == null) {
            return -1;
        }
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(wal, java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(20);
            if (f.read(header, 0) < 20) {
                return -1;
            }
            return Integer.toUnsignedLong(header.getInt(16));
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Ends the thread; the unit is closing, its pool closes next. A wait for a pooled connection (all of them held by
     * the application) ends at once; a checkpoint under way finishes first (SQLite does not stop one midway).
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
