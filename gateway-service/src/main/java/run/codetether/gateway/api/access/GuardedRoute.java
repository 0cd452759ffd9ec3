package run.codetether.gateway.api.access;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The A2A guard (API key or bearer JWT, the per-client rate limit) in front of a route that is not A2A itself: the
 * MCP endpoint, the cognition API. A refusal is HTTP 401/429 with a JSON error body (and {@code Retry-After} on
 * 429); an admitted caller rides on the request under {@link #CALLER}.
 */
public final class GuardedRoute {
    public static final String CALLER = "codetether.caller";

    private GuardedRoute() {}

    /** Checks the request's credentials, then lets it through ({@code ctx.next()}) or answers the refusal. */
    public static void admit(RoutingContext ctx, RequestGuard guard) {
        HttpServerRequest request = ctx.request();
        String authorization = request.getHeader("Authorization");
        String apiKey = request.getHeader("X-API-Key");
        String remote = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        request.pause(); // a JWT check may fetch keys: off the event loop, without losing the body meanwhile
        ctx.vertx().<Caller>executeBlocking(() -> guard.admit(authorization, apiKey, remote), false)
                .onComplete(result -> {
                    request.resume();
                    if (result.succeeded()) {
                        ctx.put(CALLER, result.result());
                        ctx.next();
                    } else {
                        refuse(ctx, result.cause());
                    }
                });
    }

    private static void refuse(RoutingContext ctx, Throwable cause) {
        int status = cause instanceof A2AException e ? e.error().httpStatus() : 500;
        var response = ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (cause instanceof A2AException e && e.retryAfterSeconds() >= 0) {
            response.putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(RestAdmission.refusalBody(cause));
    }
}
