package run.codetether.gateway.api.mcp;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import run.codetether.gateway.api.access.GuardedRoute;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The MCP endpoint's door: every request to {@code /mcp} passes the same guard as A2A before the MCP server sees
 * it ({@link GuardedRoute}); the admitted caller rides on the request for the tools ({@link #CALLER}).
 */
@ApplicationScoped
public class McpAccess {
    static final String CALLER = GuardedRoute.CALLER;

    void route(@Observes Router router, RequestGuard guard) {
        router.route("/mcp*").order(-1_000).handler(ctx -> GuardedRoute.admit(ctx, guard));
    }
}
