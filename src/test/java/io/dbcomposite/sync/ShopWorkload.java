package io.dbcomposite.sync;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testmodel.Address;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Customer;
import io.dbcomposite.testmodel.CustomerTier;
import io.dbcomposite.testmodel.OrderLine;
import io.dbcomposite.testmodel.OrderStatus;
import io.dbcomposite.testmodel.Product;
import io.dbcomposite.testmodel.PurchaseOrder;
import io.dbcomposite.testmodel.Tag;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded random mix of local transactions over the shop model: inserts, updates and deletes of tags,
 * products (with tags and labels), customers (with ordered phone numbers and an address), orders and their
 * lines, re-parented orders and lines. Every transaction leaves a state whose foreign keys hold (SQLite does
 * not check them; PostgreSQL does), so the remote must be able to take every one of them.
 */
final class ShopWorkload {

    private final Random random;
    private final String prefix;
    private int sequence;

    /**
     * @param random the seeded source of every choice
     * @param prefix makes skus and tag names unique across workloads on one store
     */
    ShopWorkload(Random random, String prefix) {
        this.random = random;
        this.prefix = prefix;
    }

    /** Runs {@code transactions} local transactions of 1 to 4 operations each. */
    void run(CompositeEntityManagerFactory unit, int transactions) {
        for (int i = 0; i < transactions; i++) {
            SyncTestBase.inTransaction(unit, em -> {
                int ops = 1 + random.nextInt(4);
                for (int op = 0; op < ops; op++) {
                    operation(em);
                }
            });
        }
    }

    /** Seeds a store so that every operation has something to work on. */
    void seed(CompositeEntityManagerFactory unit) {
        SyncTestBase.inTransaction(unit, em -> {
            for (int i = 0; i < 3; i++) {
                newTag(em);
            }
            for (int i = 0; i < 4; i++) {
                newProduct(em);
                newCustomer(em);
            }
        });
        SyncTestBase.inTransaction(unit, em -> {
            for (int i = 0; i < 3; i++) {
                newOrder(em);
            }
        });
    }

    private void operation(CompositeEntityManager em) {
        switch (random.nextInt(14)) {
            case 0 -> newTag(em);
            case 1, 2 -> newProduct(em);
            case 3, 4 -> updateProduct(em);
            case 5 -> deleteProduct(em);
            case 6 -> newCustomer(em);
            case 7 -> updateCustomer(em);
            case 8 -> deleteCustomer(em);
            case 9 -> newOrder(em);
            case 10 -> updateOrder(em);
            case 11 -> deleteOrder(em);
            case 12 -> reparentOrder(em);
            default -> reparentLine(em);
        }
    }

    private <T> T pick(List<T> from) {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    private <T> T any(CompositeEntityManager em, Class<T> type) {
        return pick(em.createQuery("select e from " + type.getSimpleName() + " e order by e.id", type).getResultList());
    }

    private BigDecimal price() {
        return BigDecimal.valueOf(100 + random.nextInt(99_800), 2);
    }

    private String next() {
        return prefix + "-" + (++sequence);
    }

    void newTag(CompositeEntityManager em) {
        em.persist(new Tag("tag-" + next()));
    }

    void newProduct(CompositeEntityManager em) {
        String n = next();
        Product p = new Product("SKU-" + n, "Product " + n, price(), Category.values()[random.nextInt(Category.values().length)]);
        for (int i = random.nextInt(3); i > 0; i--) {
            p.addLabel("label-" + random.nextInt(5));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            Tag t = any(em, Tag.class);
            if (t != null) {
                p.addTag(t);
            }
        }
        em.persist(p);
    }

    private void updateProduct(CompositeEntityManager em) {
        Product p = any(em, Product.class);
        if (p == null) {
            return;
        }
        switch (random.nextInt(7)) {
            case 0 -> p.setName("Renamed " + next());
            case 1 -> p.setPrice(price());
            case 2 -> p.setActive(!p.isActive());
            case 3 -> p.addLabel("label-" + random.nextInt(8));
            case 4 -> {
                List<String> labels = new ArrayList<>(p.getLabels());
                if (!labels.isEmpty()) {
                    p.getLabels().remove(pick(labels));
                }
            }
            case 5 -> {
                Tag t = any(em, Tag.class);
                if (t != null) {
                    p.addTag(t);
                }
            }
            default -> {
                List<Tag> tags = new ArrayList<>(p.getTags());
                if (!tags.isEmpty()) {
                    p.getTags().remove(pick(tags));
                }
            }
        }
    }

    private void deleteProduct(CompositeEntityManager em) {
        Product p = pick(em.createQuery("select p from Product p where not exists (select 1 from OrderLine l where l.product = p)"
                + " order by p.id", Product.class).getResultList());
        if (p != null) {
            em.remove(p);
        }
    }

    void newCustomer(CompositeEntityManager em) {
        String n = next();
        Customer c = new Customer("Customer " + n, random.nextBoolean() ? n + "@example.com" : null);
        c.setId(new UUID(random.nextLong(), random.nextLong()));
        for (int i = random.nextInt(4); i > 0; i--) {
            c.addPhoneNumber("+49-" + random.nextInt(1_000_000));
        }
        if (random.nextBoolean()) {
            c.setAddress(new Address(random.nextInt(200) + " Main St", "Berlin", "10" + random.nextInt(1000), "DE"));
        }
        if (random.nextBoolean()) {
            c.setBirthDate(LocalDate.of(1950 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28)));
        }
        c.setTier(CustomerTier.values()[random.nextInt(CustomerTier.values().length)]);
        em.persist(c);
    }

    private void updateCustomer(CompositeEntityManager em) {
        Customer c = any(em, Customer.class);
        if (c == null) {
            return;
        }
        switch (random.nextInt(6)) {
            case 0 -> c.setTier(CustomerTier.values()[random.nextInt(CustomerTier.values().length)]);
            case 1 -> c.addPhoneNumber("+33-" + random.nextInt(1_000_000));
            case 2 -> {
                if (!c.getPhoneNumbers().isEmpty()) {
                    c.getPhoneNumbers().remove(0);
                }
            }
            case 3 -> {
                if (c.getPhoneNumbers().size() > 1) {
                    java.util.Collections.reverse(c.getPhoneNumbers());
                }
            }
            case 4 -> c.setAddress(random.nextBoolean() ? null
                    : new Address(random.nextInt(200) + " Side St", "Paris", "75" + random.nextInt(1000), "FR"));
            default -> c.setName("Renamed " + next());
        }
    }

    private void deleteCustomer(CompositeEntityManager em) {
        Customer c = any(em, Customer.class);
        if (c == null) {
            return;
        }
        for (PurchaseOrder o : em.createQuery("select o from PurchaseOrder o where o.customer = :c", PurchaseOrder.class)
                .setParameter("c", c).getResultList()) {
            em.remove(o);
        }
        em.remove(c);
    }

    void newOrder(CompositeEntityManager em) {
        Customer c = any(em, Customer.class);
        if (c == null) {
            return;
        }
        PurchaseOrder o = new PurchaseOrder(c);
        o.setId(new UUID(random.nextLong(), random.nextLong()));
        if (random.nextBoolean()) {
            o.setRequestedDelivery(LocalDateTime.of(2030, 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), 0));
        }
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            o.addLine(random.nextInt(5) == 0 ? null : any(em, Product.class), 1 + random.nextInt(9), price());
        }
        em.persist(o);
    }

    private void updateOrder(CompositeEntityManager em) {
        PurchaseOrder o = any(em, PurchaseOrder.class);
        if (o == null) {
            return;
        }
        switch (random.nextInt(5)) {
            case 0 -> o.setStatus(OrderStatus.values()[random.nextInt(OrderStatus.values().length)]);
            case 1 -> o.addLine(any(em, Product.class), 1 + random.nextInt(9), price());
            case 2 -> {
                OrderLine l = pick(new ArrayList<>(o.getLines()));
                if (l != null) {
                    o.removeLine(l);
                }
            }
            case 3 -> {
                OrderLine l = pick(new ArrayList<>(o.getLines()));
                if (l != null) {
                    l.setQuantity(1 + random.nextInt(20));
                    o.recomputeTotal();
                }
            }
            default -> o.setRequestedDelivery(LocalDateTime.of(2031, 1 + random.nextInt(12), 1 + random.nextInt(28), 9, 30));
        }
    }

    private void deleteOrder(CompositeEntityManager em) {
        PurchaseOrder o = any(em, PurchaseOrder.class);
        if (o != null) {
            em.remove(o);
        }
    }

    private void reparentOrder(CompositeEntityManager em) {
        PurchaseOrder o = any(em, PurchaseOrder.class);
        Customer c = any(em, Customer.class);
        if (o != null && c != null) {
            o.setCustomer(c);
        }
    }

    private void reparentLine(CompositeEntityManager em) {
        OrderLine l = any(em, OrderLine.class);
        PurchaseOrder o = any(em, PurchaseOrder.class);
        if (l != null && o != null) {
            l.setOrder(o);
            // the in-memory lines of both orders are stale now (and orphan removal forbids fixing them): start over
            em.flush();
            em.clear();
        }
    }
}
