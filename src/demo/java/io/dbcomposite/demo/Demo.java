package io.dbcomposite.demo;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.Routing;
import io.dbcomposite.SyncResult;
import io.dbcomposite.SyncStatus;
import io.dbcomposite.testmodel.AuditEvent;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.ExchangeRate;
import io.dbcomposite.testmodel.Notification;
import io.dbcomposite.testmodel.Payment;
import io.dbcomposite.testmodel.PaymentMethod;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.StockMovement;
import io.dbcomposite.testmodel.TestModel;
import org.hibernate.SessionFactory;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo a newcomer runs first: writes one entity of each routing kind, reads each back through the
 * composite entity manager and shows, by counting rows on each database directly, where each landed; then
 * replays the sync log with {@code emf.sync()} and shows where the rows are after it.
 *
 * <p>Local: SQLite ({@code DBCOMPOSITE_LOCAL_URL}, default a file under {@code target/demo}). Remote: the
 * PostgreSQL named by {@code DBCOMPOSITE_REMOTE_URL} (with {@code DBCOMPOSITE_REMOTE_USER} and
 * {@code DBCOMPOSITE_REMOTE_PASSWORD}), or an embedded H2 file when none is given.
 */
public final class Demo {

    /** Hibernate's start-up chatter hides the demo's table; keep a reference so the level sticks. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.hibernate");

    private Demo() {
    }

    /** Where one entity's rows are, after the demo wrote one of them, and on the remote after a sync. */
    public record Placement(String entity, Routing routing, boolean readBack, long localRows, long remoteRows,
                            long remoteRowsAfterSync) {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored; configure through the environment
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        Path dir = Path.of("target", "demo");
        Files.createDirectories(dir);
        String local = env("DBCOMPOSITE_LOCAL_URL", "jdbc:sqlite:" + dir.resolve("local.db").toAbsolutePath());
        String remote = env("DBCOMPOSITE_REMOTE_URL", null);
        String user = env("DBCOMPOSITE_REMOTE_USER", null);
        String password = env("DBCOMPOSITE_REMOTE_PASSWORD", null);
        if (remote == null) {
            remote = "jdbc:h2:file:" + dir.resolve("remote").toAbsolutePath();
            user = "sa";
            password = "";
        }
        run(local, remote, user, password, System.out);
    }

    /**
     * Writes one entity of each routing kind and reports where each landed.
     *
     * @return one placement per entity written, in the order written
     */
    public static List<Placement> run(String localUrl, String remoteUrl, String user, String password, PrintStream out) {
        out.println("db-composite demo");
        out.println("  local  = " + localUrl);
        out.println("  remote = " + io.dbcomposite.internal.config.ConnectionSpec.redact(remoteUrl));
        try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
                .name("demo")
                .local(localUrl)
                .remote(remoteUrl, user, password)
                .entities(TestModel.ENTITIES)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create")
                .build()) {

            Product product = new Product("DEMO-1", "Demo kettle", new BigDecimal("39.90"), Category.ELECTRONICS);
            Draft draft = new Draft("Spring sale", "Ten percent off kettles");
            Payment payment = new Payment(UUID.randomUUID(), new BigDecimal("39.90"), "EUR", PaymentMethod.CARD);
            StockMovement movement = new StockMovement("DEMO-1", -1);
            AuditEvent event = new AuditEvent("checkout", "order paid by card");
            ExchangeRate rate = new ExchangeRate("EURUSD", new BigDecimal("1.08"));
            Notification notification = new Notification("ada@example.com", "Your kettle is on its way");

            emf.runInTransaction(em -> {
                em.persist(product);
                em.persist(draft);
                em.persist(payment);
                em.persist(movement);
                em.persist(event);
                em.persist(rate);
                em.persist(notification);
            });

            Map<Class<?>, Object[]> written = new LinkedHashMap<>();
            written.put(Product.class, new Object[] {product.getId(), "product"});
            written.put(Draft.class, new Object[] {draft.getId(), "draft"});
            written.put(Payment.class, new Object[] {payment.getId(), "payment"});
            written.put(StockMovement.class, new Object[] {movement.getId(), "stock_movement"});
            written.put(AuditEvent.class, new Object[] {event.getId(), "audit_event"});
            written.put(ExchangeRate.class, new Object[] {rate.getId(), "exchange_rate"});
            written.put(Notification.class, new Object[] {notification.getId(), "notification"});

            out.println();
            Map<Class<?>, long[]> before = new LinkedHashMap<>();
            Map<Class<?>, Boolean> found = new LinkedHashMap<>();
            written.forEach((type, idAndTable) -> {
                found.put(type, emf.callInTransaction(em -> em.find(type, idAndTable[0]) != null));
                before.put(type, new long[] {count(emf.localFactory(), (String) idAndTable[1]),
                        count(emf.remoteFactory(), (String) idAndTable[1])});
            });
            SyncStatus waiting = emf.getSyncStatus();
            SyncResult result = emf.sync();
            out.printf("%-14s %-7s %-7s %-11s %-6s | %-9s %-6s %-6s | %-17s%n", "entity", "read", "write", "sync", "onFail",
                    "read back", "local", "remote", "remote after sync");
            List<Placement> placements = new java.util.ArrayList<>();
            written.forEach((type, idAndTable) -> {
                Placement p = new Placement(type.getSimpleName(), emf.routingOf(type), found.get(type), before.get(type)[0],
                        before.get(type)[1], count(emf.remoteFactory(), (String) idAndTable[1]));
                placements.add(p);
                out.printf("%-14s %-7s %-7s %-11s %-6s | %-9s %-6d %-6d | %-17d%n", p.entity(), p.routing().read(),
                        p.routing().write(), p.routing().sync(), p.routing().onRemoteFail(), p.readBack() ? "yes" : "NO",
                        p.localRows(), p.remoteRows(), p.remoteRowsAfterSync());
            });
            out.println();
            out.println("Before the sync, " + waiting.pendingChanges() + " change(s) waited in the sync log; emf.sync() applied "
                    + result.applied() + " in " + result.duration().toMillis() + " ms. Status now: " + emf.getSyncStatus());
            return placements;
        }
    }

    private static long count(SessionFactory factory, String table) {
        return factory.fromSession(s -> ((Number) s.createNativeQuery("select count(*) from " + table, Object.class)
                .getSingleResult()).longValue());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
