package run.codetether.gateway.api.dashboard;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.RequestGuard;

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
            return guard.admit(request.getHeader("Authorization"), request.getHeader("X-API-Key"),
                    request.remoteAddress() == null ? "unknown" : request.remoteAddress().host());
        } catch (A2AException e) {
            if (e.retryAfterSeconds() >= 0) {
                var r = DashboardJson.error(e.error().httpStatus(), e.error().reason(), e.getMessage());
                r.getHeaders().add("Retry-After", Long.toString(e.retryAfterSeconds()));
                throw new jakarta.ws.rs.WebApplicationException(e.getMessage(), r);
            }
            throw DashboardJson.failure(e.error().httpStatus(), e.error().reason(), e.getMessage());
        }
    }
}
