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
import run.codetether.platform.json.Json;

/**
 * The A2A guard in front of every plain REST resource ({@code /v1/workers}, {@code /v1/codebases},
 * {@code /v1/mcp/tools}, {@code /v1/dashboard/*}): the admitted caller, or the refusal as HTTP 401/429 with
 * {@code {"error": {"code", "message"}}} (what the dashboard's {@code api.js} reads) and {@code Retry-After} when
 * the guard gave one. The body is written here, as text, so it is the same whatever the resource produces (JSON or
 * an event stream).
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
            throw refusal(e);
        }
    }

    /**
     * A refusal as a plain REST resource answers it: the error's HTTP status, the usual body, and {@code Retry-After}
     * when it is retryable (a reader that is still starting, the guard's rate limit).
     */
    public static WebApplicationException refusal(A2AException e) {
        Response.ResponseBuilder r = Response.status(e.error().httpStatus()).type(MediaType.APPLICATION_JSON)
                .entity(refusalBody(e));
        if (e.retryAfterSeconds() >= 0) {
            r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return new WebApplicationException(e.getMessage(), r.build());
    }

    /**
     * The tenant a plain REST call acts in: the one it named, if the caller's key is bound to it, else the caller's
     * default tenant (null: tenant {@code default}).
     *
     * @throws WebApplicationException 403 PERMISSION_DENIED with the usual body for a tenant the key is not bound to
     */
    public static String tenant(Caller caller, String named) {
        if (named == null || named.isBlank()) {
            return caller.tenants().defaultTenant();
        }
        String t = named.strip();
        if (!caller.tenants().mayUse(t)) {
            A2AException e = A2AException.tenantNotBound(caller, t);
            throw new WebApplicationException(e.getMessage(), Response.status(e.error().httpStatus())
                    .type(MediaType.APPLICATION_JSON).entity(refusalBody(e)).build());
        }
        return t;
    }

    /**
     * The body of a refusal at any guarded door ({@link GuardedRoute} too): {@code {"error": {"code", "message"}}};
     * anything but the guard's own refusal is an INTERNAL error whose detail stays in the log.
     */
    static String refusalBody(Throwable cause) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", cause instanceof A2AException e ? e.error().reason() : "INTERNAL");
        error.put("message", cause instanceof A2AException ? cause.getMessage() : "Internal error");
        return Json.write(Map.of("error", error));
    }
}
