package io.dbcomposite;

import java.util.Set;

/**
 * Every {@code dbcomposite.*} setting, for properties, {@code persistence.xml} or
 * {@link CompositePersistence.Builder#property(String, Object)}. Keys outside this list fail the bootstrap.
 *
 * <p>Hibernate settings ({@code hibernate.*}, {@code jakarta.persistence.*}) go to both sides; prefix
 * them with {@link #LOCAL_HIBERNATE_PREFIX} or {@link #REMOTE_HIBERNATE_PREFIX} to reach one side only.
 */
public final class CompositeSettings {

    private CompositeSettings() {
    }

    /** The prefix of every db-composite key. */
    public static final String PREFIX = "dbcomposite.";

    /**
     * JDBC URL of the local database. Default {@code jdbc:sqlite:./dbcomposite-local.db}. A password in it is taken
     * out before the URL is used or shown; an explicit {@link #LOCAL_PASSWORD} wins over it.
     */
    public static final String LOCAL_URL = "dbcomposite.local.url";
    /** User of the local database. Default: none. */
    public static final String LOCAL_USER = "dbcomposite.local.user";
    /** Password of the local database. Default: none. */
    public static final String LOCAL_PASSWORD = "dbcomposite.local.password";
    /** JNDI name or {@code javax.sql.DataSource} instance of the local database, instead of {@link #LOCAL_URL}. Default: none. */
    public static final String LOCAL_DATASOURCE = "dbcomposite.local.datasource";
    /**
     * Where the WAL checkpoints of a local SQLite file the unit opens itself ({@link #LOCAL_URL}) run: {@code background}
     * (the default: on a thread of the unit's, about every 1,000 frames, so commits do not wait for them; a commit runs
     * SQLite's own at 16,000 frames, which starts the log over, so the log file grows to about 64 MB under sustained
     * writes) or {@code inline} (SQLite's own, in the commit that leaves the log at 1,000 frames, about 4 MB). No effect
     * on a data source the application gives, an in-memory database, another journal mode or a local transaction
     * coordinator of the application's ({@code hibernate.transaction.coordinator_class}), which counts no commit for
     * the thread: those keep SQLite's own.
     */
    public static final String LOCAL_CHECKPOINT = "dbcomposite.local.checkpoint";

    /**
     * JDBC URL of the remote database. Required unless {@link #REMOTE_DATASOURCE} is given. A password in it
     * ({@code user:secret@}, {@code password=secret}) is taken out before the URL is used or shown; an explicit
     * {@link #REMOTE_PASSWORD} wins over it.
     */
    public static final String REMOTE_URL = "dbcomposite.remote.url";
    /** User of the remote database. Default: none. */
    public static final String REMOTE_USER = "dbcomposite.remote.user";
    /** Password of the remote database. Default: none. */
    public static final String REMOTE_PASSWORD = "dbcomposite.remote.password";
    /** JNDI name or {@code javax.sql.DataSource} instance of the remote database, instead of {@link #REMOTE_URL}. Default: none. */
    public static final String REMOTE_DATASOURCE = "dbcomposite.remote.datasource";

    /**
     * How long an operation that needs the remote waits for a connection to it: the pool's wait, the TCP connect
     * and the login. Once the remote is known to be down, remote operations fail at once until a probe (on a thread
     * of its own, twice a second) finds it back. Valid: durations from {@code 250ms} (the pool's
     * shortest wait) to {@code 1h}. Default {@code 5s}.
     */
    public static final String REMOTE_CONNECT_TIMEOUT = "dbcomposite.remote.connect-timeout";
    /**
     * How long one remote statement may wait for the server's answer (the JDBC driver's socket timeout, set on the
     * pool this library opens for a PostgreSQL, MariaDB or MySQL URL): a partitioned network fails a {@code FAIL}
     * write and stops a sync run within it. Raise it for long remote reports. Valid: durations from {@code 1s} to
     * {@code 1d}. Default {@code 30s}.
     */
    public static final String REMOTE_SOCKET_TIMEOUT = "dbcomposite.remote.socket-timeout";
    /**
     * Whether the unit refuses to start while the remote cannot be reached. Default {@code false}: the unit
     * starts, local work goes on, and remote schema management runs when the remote first answers.
     */
    public static final String REMOTE_REQUIRED_AT_START = "dbcomposite.remote.required-at-start";

    /** Default read target: {@code LOCAL} or {@code REMOTE}. Default {@code LOCAL}. */
    public static final String DEFAULTS_READ = "dbcomposite.defaults.read";
    /** Default write target: {@code LOCAL}, {@code REMOTE} or {@code DUAL}. Default {@code LOCAL}. */
    public static final String DEFAULTS_WRITE = "dbcomposite.defaults.write";
    /** Default sync mode: {@code BACKGROUND} or {@code NONE}. Default {@code BACKGROUND}. */
    public static final String DEFAULTS_SYNC = "dbcomposite.defaults.sync";
    /** Default remote failure policy: {@code QUEUE} or {@code FAIL}. Default {@code QUEUE}. */
    public static final String DEFAULTS_ON_REMOTE_FAIL = "dbcomposite.defaults.onRemoteFail";
    /**
     * Default conflict policy of the replay: {@code FAIL}, {@code LOCAL_WINS} or {@code REMOTE_WINS} ({@link OnConflict}).
     * Default {@code FAIL}.
     */
    public static final String DEFAULTS_ON_CONFLICT = "dbcomposite.defaults.onConflict";

    /**
     * Prefix of per-entity routing: {@code dbcomposite.routing.<EntityName>.read} (and {@code .write},
     * {@code .sync}, {@code .onRemoteFail}, {@code .onConflict}). Default: the entity's {@link CompositeRouting}, then the defaults.
     */
    public static final String ROUTING_PREFIX = "dbcomposite.routing.";

    /** Whether the background sync job runs. Default {@code true}. */
    public static final String SYNC_ENABLED = "dbcomposite.sync.enabled";
    /**
     * Pause between background sync runs: ISO-8601 ({@code PT1S}) or {@code 500ms}, {@code 1s}, {@code 5m}, {@code 2h},
     * {@code 7d}. Valid: durations from {@code 1ms} to {@code 365d}. Default {@code 1s}.
     */
    public static final String SYNC_INTERVAL = "dbcomposite.sync.interval";
    /** Changes applied in one remote transaction. Valid: whole numbers from 1 to 2147483647. Default {@code 500}. */
    public static final String SYNC_BATCH_SIZE = "dbcomposite.sync.batch-size";
    /** Wait before the first retry of a failed change. Valid: durations from {@code 1ms} to {@code 365d}. Default {@code 1s}. */
    public static final String SYNC_INITIAL_BACKOFF = "dbcomposite.sync.initial-backoff";
    /**
     * Longest wait between retries. Valid: durations from {@code 1ms} to {@code 365d}, and at least
     * {@link #SYNC_INITIAL_BACKOFF}. Default {@code 5m}.
     */
    public static final String SYNC_MAX_BACKOFF = "dbcomposite.sync.max-backoff";
    /** Failed attempts after which a change is DEAD. Valid: whole numbers from 1 to 2147483647. Default {@code 10}. */
    public static final String SYNC_MAX_ATTEMPTS = "dbcomposite.sync.max-attempts";
    /** Age after which SYNCED rows are purged. Valid: durations from {@code 1ms} to {@code 36500d} (100 years). Default {@code 7d}. */
    public static final String SYNC_RETENTION = "dbcomposite.sync.retention";

    /**
     * How soon after a local commit that wrote changes the background job runs: {@code off}, or a delay from {@code 0ms}
     * to {@code 1m} that gathers a burst of commits into one run. The interval stays the fallback (a change whose replay
     * failed waits for its backoff, not for the next commit). Default {@code 5ms}.
     */
    public static final String SYNC_AFTER_COMMIT = "dbcomposite.sync.after-commit";

    /**
     * What runs the background sync job: {@code auto} (the default: the container's
     * {@code ManagedScheduledExecutorService} when JNDI has one at {@code java:comp/DefaultManagedScheduledExecutorService}
     * or WildFly's {@code java:jboss/ee/concurrency/scheduler/default}, else Quartz), {@code quartz}, the JNDI name of a
     * {@code ScheduledExecutorService}, a {@code java.util.concurrent.ScheduledExecutorService} instance (the
     * application's: the unit cancels its job on close, never shuts the executor down), or an {@code org.quartz.Scheduler}
     * instance (the application's, such as Spring Boot's: the unit adds its job to it and deletes the job on close, never
     * shuts the scheduler down).
     */
    public static final String SYNC_EXECUTOR = "dbcomposite.sync.executor";

    /** Prefix of the settings passed to Quartz (without the prefix), e.g. {@code dbcomposite.quartz.org.quartz.jobStore.class}. Default: an in-memory {@code RAMJobStore}. */
    public static final String QUARTZ_PREFIX = "dbcomposite.quartz.";

    /**
     * Prefix of Hibernate settings for the local side only, e.g. {@code dbcomposite.local.hibernate.show_sql}.
     * Connection settings ({@code hibernate.connection.*} other than {@code handling_mode} and
     * {@code provider_disables_autocommit}, {@code hibernate.hikari.*}, ...) are refused here as everywhere: the side
     * connects through {@link #LOCAL_URL} / {@link #LOCAL_USER} / {@link #LOCAL_PASSWORD} or {@link #LOCAL_DATASOURCE}.
     */
    public static final String LOCAL_HIBERNATE_PREFIX = "dbcomposite.local.hibernate.";
    /**
     * Prefix of Hibernate settings for the remote side only, e.g. {@code dbcomposite.remote.hibernate.show_sql}.
     * Connection settings are refused here as for {@link #LOCAL_HIBERNATE_PREFIX}: the side connects through
     * {@link #REMOTE_URL} / {@link #REMOTE_USER} / {@link #REMOTE_PASSWORD} or {@link #REMOTE_DATASOURCE}.
     */
    public static final String REMOTE_HIBERNATE_PREFIX = "dbcomposite.remote.hibernate.";

    /** Every fixed key (prefixes excluded). */
    public static final Set<String> KEYS = Set.of(
            LOCAL_URL, LOCAL_USER, LOCAL_PASSWORD, LOCAL_DATASOURCE, LOCAL_CHECKPOINT,
            REMOTE_URL, REMOTE_USER, REMOTE_PASSWORD, REMOTE_DATASOURCE, REMOTE_CONNECT_TIMEOUT, REMOTE_SOCKET_TIMEOUT,
            REMOTE_REQUIRED_AT_START,
            DEFAULTS_READ, DEFAULTS_WRITE, DEFAULTS_SYNC, DEFAULTS_ON_REMOTE_FAIL, DEFAULTS_ON_CONFLICT,
            SYNC_ENABLED, SYNC_INTERVAL, SYNC_BATCH_SIZE, SYNC_INITIAL_BACKOFF, SYNC_MAX_BACKOFF,
            SYNC_MAX_ATTEMPTS, SYNC_RETENTION, SYNC_EXECUTOR, SYNC_AFTER_COMMIT);
}
