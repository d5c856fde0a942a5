package io.dbcomposite.testmodel;

import java.util.List;

/**
 * The test domain model in one place: a small shop whose entities cover every routing combination.
 *
 * <table>
 *   <caption>Routing per entity</caption>
 *   <tr><th>Entity</th><th>read</th><th>write</th><th>sync</th><th>onRemoteFail</th></tr>
 *   <tr><td>{@link Product}, {@link Tag}, {@link Customer}, {@link PurchaseOrder}, {@link OrderLine}</td>
 *       <td>default</td><td>default</td><td>default</td><td>default</td></tr>
 *   <tr><td>{@link Payment}</td><td>default</td><td>DUAL</td><td>default</td><td>FAIL</td></tr>
 *   <tr><td>{@link StockMovement}</td><td>default</td><td>DUAL</td><td>default</td><td>default (QUEUE)</td></tr>
 *   <tr><td>{@link AuditEvent}</td><td>REMOTE</td><td>REMOTE</td><td>NONE</td><td>default</td></tr>
 *   <tr><td>{@link ExchangeRate}</td><td>LOCAL</td><td>REMOTE</td><td>default</td><td>FAIL</td></tr>
 *   <tr><td>{@link Notification}</td><td>REMOTE</td><td>REMOTE</td><td>default</td><td>QUEUE</td></tr>
 *   <tr><td>{@link Draft}</td><td>default</td><td>default</td><td>NONE</td><td>default</td></tr>
 * </table>
 */
public final class TestModel {

    private TestModel() {
    }

    /** Every entity class of the model, parents before children (embeddables excluded). */
    public static final List<Class<?>> ENTITIES = List.of(
            Tag.class,
            Product.class,
            Customer.class,
            PurchaseOrder.class,
            OrderLine.class,
            Payment.class,
            StockMovement.class,
            AuditEvent.class,
            ExchangeRate.class,
            Notification.class,
            Draft.class);

    /** The embeddables of the model (listed for bootstraps that want every managed class). */
    public static final List<Class<?>> EMBEDDABLES = List.of(Address.class);

    /** Every table the model maps, including join and collection tables. */
    public static final List<String> TABLES = List.of(
            "tag", "product", "product_tag", "product_label",
            "customer", "customer_phone",
            "purchase_order", "order_line",
            "payment", "stock_movement", "audit_event", "exchange_rate", "notification", "draft");
}
