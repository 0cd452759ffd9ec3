package run.codetether.gateway.api.a2a;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.CallContext;

/** What the two HTTP bindings (JSON-RPC, HTTP+JSON) read from and write to HTTP besides their bodies. */
public final class HttpEdge {
    private HttpEdge() {}

    /** The call as the request presents it: credentials, remote address, the base URL it reached. */
    public static CallContext context(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String remote = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        return CallContext.of(request.getHeader("Authorization"), request.getHeader("X-API-Key"), remote)
                .withBaseUrl(requestBase(ctx));
    }

    /** scheme://host[:port] the client used (honours X-Forwarded-* when Quarkus is told to trust proxies). */
    public static String requestBase(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host == null ? "localhost:8080" : host);
    }

    /** Headers an error asks for: a challenge for a missing login, a retry delay for a refusal to retry. */
    public static void errorHeaders(HttpServerResponse response, A2AException e) {
        if (e.error() == A2AError.UNAUTHENTICATED) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"codetether\"");
        }
        if (e.retryAfterSeconds() >= 0) {
            response.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
    }

    /**
     * The request limit of a send (SendMessage, SendStreamingMessage, on every binding): {@code max-body-bytes} plus
     * the base64 size of one workspace archive, so a send can carry the largest archive the gateway stages (the
     * archive's own cap is checked on the decoded message). Every other request keeps {@link #bodyLimit}.
     */
    public static int sendBodyLimit(run.codetether.gateway.config.GatewayConfig config) {
        long archive = config.workspace().maxArchiveBytes();
        long limit = config.maxBodyBytes() + (archive == 0 ? 0 : (archive + 2) / 3 * 4);
        return (int) Math.min(Integer.MAX_VALUE - 1024, limit);
    }

    /**
     * The request limit of every A2A call but a send (GetTask, ListTasks, CancelTask, SubscribeToTask, push
     * configs, the JSON-RPC extensions): {@code max-request-bytes}, never more than {@code max-body-bytes}.
     */
    public static int requestLimit(run.codetether.gateway.config.GatewayConfig config) {
        return Math.min(config.maxRequestBytes(), config.maxBodyBytes());
    }

    /** The message limit of gRPC services other than A2A (WorkerHub): {@code max-body-bytes}. */
    public static int bodyLimit(run.codetether.gateway.config.GatewayConfig config) {
        return config.maxBodyBytes();
    }

    /** A request over its limit; a send's names the archive room, any other names the one key that sets it. */
    public static A2AException tooLarge(int limit, boolean send) {
        return new A2AException(A2AError.PAYLOAD_TOO_LARGE, "Request body exceeds the limit of " + limit + " bytes"
                + (send ? " (codetether.gateway.max-body-bytes plus room for one workspace archive of"
                        + " codetether.gateway.workspace.max-archive-bytes)"
                        : " (codetether.gateway.max-request-bytes: every request but a message send)"));
    }

    /** A WorkerHub (or other non-A2A) message over {@code max-body-bytes}. */
    public static A2AException tooLargeMessage(int limit) {
        return new A2AException(A2AError.PAYLOAD_TOO_LARGE, "Message exceeds the limit of " + limit
                + " bytes (codetether.gateway.max-body-bytes)");
    }

    /**
     * The error of a request the router refused before any handler ran: a body over the limit (413), or an
     * HTTP/1.1 request without a valid Host header (Vert.x fails it with 400; RFC 9112 says 400 too).
     */
    public static A2AException routingFailure(RoutingContext ctx, int maxBodyBytes, boolean send) {
        if (ctx.statusCode() == 413) {
            return tooLarge(maxBodyBytes, send);
        }
        if (ctx.statusCode() == 400) {
            // Vert.x's own reasons (an invalid authority, an invalid path) name no secret
            String why = ctx.failure() == null ? "" : ": " + ctx.failure().getMessage();
            return new A2AException(A2AError.INVALID_REQUEST, ctx.request().getHeader("Host") == null
                    ? "An HTTP/1.1 request needs a Host header" : "Bad request" + why);
        }
        return null;
    }
}
