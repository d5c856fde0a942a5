package io.dbcomposite.wildfly.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/**
 * HTTP calls of the test application. A write answers 200 with the new id, or 409 with the chain of exception messages
 * (the container's and the library's) so the test can tell why it failed.
 */
@Path("/shop")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class ShopResource {

    @Inject
    Shop shop;

    @Inject
    Ledger ledger;

    @Inject
    Archive archive;

    @POST
    @Path("/product/{sku}")
    public Response product(@PathParam("sku") String sku) {
        return call(() -> shop.product(sku));
    }

    @POST
    @Path("/product-rollback/{sku}")
    public Response productThenFail(@PathParam("sku") String sku) {
        return call(() -> {
            shop.productThenFail(sku);
            return "unreachable";
        });
    }

    @POST
    @Path("/draft/{title}")
    public Response draft(@PathParam("title") String title) {
        return call(() -> shop.draft(title));
    }

    @POST
    @Path("/payment/{amount}")
    public Response payment(@PathParam("amount") String amount) {
        return call(() -> shop.payment(amount));
    }

    @POST
    @Path("/movement/{sku}/{delta}")
    public Response movement(@PathParam("sku") String sku, @PathParam("delta") int delta) {
        return call(() -> shop.movement(sku, delta));
    }

    @POST
    @Path("/notification/{recipient}")
    public Response notification(@PathParam("recipient") String recipient) {
        return call(() -> shop.notification(recipient));
    }

    @POST
    @Path("/rate/{id}/{rate}")
    public Response rate(@PathParam("id") String id, @PathParam("rate") String rate) {
        return call(() -> {
            shop.rate(id, rate);
            return id;
        });
    }

    @POST
    @Path("/audit/{type}")
    public Response audit(@PathParam("type") String type) {
        return call(() -> shop.audit(type));
    }

    @POST
    @Path("/ledger/{sku}")
    public Response ledger(@PathParam("sku") String sku) {
        return call(() -> ledger.product(sku));
    }

    @POST
    @Path("/archive/{sku}/{join}")
    public Response archive(@PathParam("sku") String sku, @PathParam("join") boolean join) {
        return call(() -> archive.product(sku, join));
    }

    @GET
    @Path("/status")
    public Response status() {
        return call(shop::status);
    }

    @POST
    @Path("/sync")
    public Response sync() {
        return call(shop::sync);
    }

    /** @return the names of the live threads of this server whose name starts with "dbcomposite", one a line */
    @GET
    @Path("/threads")
    public String threads() {
        StringBuilder out = new StringBuilder();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("dbcomposite")) {
                out.append(t.getName()).append('\n');
            }
        }
        return out.toString();
    }

    private static Response call(Supplier<Object> work) {
        try {
            return Response.ok(String.valueOf(work.get())).build();
        } catch (Exception e) { // the @Transactional interceptor rethrows a failed commit's RollbackException as it is
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            }
            return Response.status(409).entity(chain.toString()).build();
        }
    }
}
