package io.dbcomposite.differential;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;

import java.util.Map;

/**
 * The routings every step runs on, each set for all entities at once through the unit's configured defaults
 * ({@code CompositePersistence.Builder#defaults}, i.e. {@code dbcomposite.defaults.*}); no entity of the model carries
 * {@code @CompositeRouting}.
 */
enum RoutingKind {
    /** The built-in defaults: read and write LOCAL, replayed by the background job (and by {@code sync()}). */
    BACKGROUND(Routing.builder().build(), false),
    /**
     * Read and write REMOTE. With the default {@code onRemoteFail=QUEUE} the contract refuses entities with an
     * IDENTITY id or owned collections at bootstrap; those are set to {@code onRemoteFail=FAIL} one by one through
     * {@code dbcomposite.routing.<Entity>.onRemoteFail} (see the model's overrides), the others stay QUEUE.
     */
    REMOTE(Routing.builder().read(Read.REMOTE).write(Write.REMOTE).build(), true),
    /** Written to both sides in one commit; a remote failure leaves the change queued. */
    DUAL_QUEUE(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build(), false),
    /** Written to both sides in one commit; a remote failure fails the caller. */
    DUAL_FAIL(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build(), false);

    final Routing defaults;
    /** Reads (and so the reference's database) are on the remote. */
    final boolean readsRemote;

    RoutingKind(Routing defaults, boolean readsRemote) {
        this.defaults = defaults;
        this.readsRemote = readsRemote;
    }

    CompositePersistence.Builder configure(CompositePersistence.Builder builder, Map<String, String> remoteOverrides) {
        builder.defaults(defaults);
        if (this == REMOTE) {
            remoteOverrides.forEach(builder::property);
        }
        return builder;
    }
}
