package run.codetether.gateway.api.access;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The A2A guard in front of a plain REST resource ({@code /v1/workers}, {@code /v1/codebases}, {@code /v1/mcp/tools}):
 * the admitted caller, or the refusal as HTTP 401/429 with {@code {"error": {"code", "message"}}} and
 * {@code Retry-After} when the guard gave one.
 */
@Singleton
public class RestAdmission {
    private final RequestGuard guard;

    public RestAdmission(RequestGuard guard) {
        this.guard = guard;
    }

    /** @throws WebApplicationException carrying the refusal response */
    public Caller admit(HttpServerRequest request) {
        try {
            return guard.admit(request.getHeader("Authorization"), request.getHeader("X-API-Key"),
                    request.remoteAddress() == null ? "unknown" : request.remoteAddress().host());
        } catch (A2AException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", e.error().reason());
            error.put("message", e.getMessage());
            Response.ResponseBuilder r = Response.status(e.error().httpStatus()).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", error));
            if (e.retryAfterSeconds() >= 0) {
                r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            throw new WebApplicationException(e.getMessage(), r.build());
        }
    }
}
