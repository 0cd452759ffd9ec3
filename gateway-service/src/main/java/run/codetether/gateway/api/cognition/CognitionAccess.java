package run.codetether.gateway.api.cognition;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import run.codetether.gateway.api.access.GuardedRoute;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The cognition API's door: starting and stopping the loop, spawning and reaping personas and reading the thought
 * stream take the same credentials as A2A ({@link GuardedRoute}), so an open port is not an open control plane.
 */
@ApplicationScoped
public class CognitionAccess {
    void route(@Observes Router router, RequestGuard guard) {
        router.route("/v1/cognition/*").order(-1_000).handler(ctx -> GuardedRoute.admit(ctx, guard));
        router.route("/v1/swarm/*").order(-1_000).handler(ctx -> GuardedRoute.admit(ctx, guard));
    }
}
