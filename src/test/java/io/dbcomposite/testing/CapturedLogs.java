package io.dbcomposite.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one {@code java.util.logging} logger (and its children) publishes while this is open: every level,
 * the logger's own level set back on close. The library logs through {@code System.Logger}, which the JDK hands to
 * {@code java.util.logging} when nothing else is installed.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final Level before;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLogs(String name) {
        this.logger = Logger.getLogger(name);
        this.before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** @param name the logger, {@code io.dbcomposite} for everything the library logs @return the open capture */
    public static CapturedLogs of(String name) {
        return new CapturedLogs(name);
    }

    /** @return the records so far, in the order they were published (a live view) */
    public List<LogRecord> records() {
        return records;
    }

    /** Forgets the records so far. */
    public void clear() {
        records.clear();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(before);
    }
}
