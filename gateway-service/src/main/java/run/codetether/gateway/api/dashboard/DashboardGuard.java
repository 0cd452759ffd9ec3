package run.codetether.gateway.api.dashboard;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import run.codetether.gateway.api.a2a.RequestGuard;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;

/**
 * The dashboard API's door: the same authentication and rate limit as A2A (the gateway's {@link RequestGuard}: API
 * key or bearer JWT), failures answered as JSON with the A2A error table's HTTP status.
 */
@Singleton
public class DashboardGuard {
    private final RequestGuard guard;

    public DashboardGuard(RequestGuard guard) {
        this.guard = guard;
    }

    Caller admit(HttpServerRequest request) {
        try {
            return guard.admit(request);
        } catch (RequestGuard.RateLimited e) {
            var r = DashboardJson.error(429, "RATE_LIMITED", e.error().getMessage());
            r.getHeaders().add("Retry-After", Long.toString(e.retryAfterSeconds));
            throw new jakarta.ws.rs.WebApplicationException(e.error().getMessage(), r);
        } catch (A2AException e) {
            throw DashboardJson.failure(e.error().httpStatus(), e.error().reason(), e.getMessage());
        }
    }
}
