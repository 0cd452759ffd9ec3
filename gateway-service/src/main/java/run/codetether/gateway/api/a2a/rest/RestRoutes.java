package run.codetether.gateway.api.a2a.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.A2AOperations;
import run.codetether.gateway.api.a2a.EventSinks;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.api.a2a.RequestGuard;
import run.codetether.gateway.api.a2a.V10Codec;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.TaskEngine;

/**
 * The A2A 1.0 HTTP+JSON binding (spec section 11) over the same operations as JSON-RPC: {@code POST /message:send},
 * {@code POST /message:stream}, {@code GET /tasks[/{id}]}, {@code POST /tasks/{id}:cancel},
 * {@code GET /tasks/{id}:subscribe}, {@code /tasks/{taskId}/pushNotificationConfigs[/{id}]},
 * {@code GET /extendedAgentCard}. Errors are AIP-193 objects with the HTTP status of the spec's table.
 */
@ApplicationScoped
public class RestRoutes {
    private static final Logger LOG = Logger.getLogger(RestRoutes.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String ID = "([^/:]+)";
    private static final String OFFSET = "codetether.pathOffset";

    @Inject
    A2AOperations operations;

    @Inject
    RequestGuard guard;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    private interface Call {
        void run(RoutingContext ctx, Caller caller, ObjectNode params);
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        route(router, HttpMethod.POST, "/message:send", body, (ctx, c, p) -> unary(ctx, Operation.SEND, c, p));
        route(router, HttpMethod.POST, "/message:stream", body, (ctx, c, p) -> stream(ctx, Operation.STREAM, c, p));
        route(router, HttpMethod.GET, "/tasks", null, (ctx, c, p) -> unary(ctx, Operation.LIST, c, p));
        route(router, HttpMethod.GET, "/tasks/" + ID, null, (ctx, c, p) -> {
            p.put("id", seg(ctx, 0));
            unary(ctx, Operation.GET, c, p);
        });
        route(router, HttpMethod.POST, "/tasks/" + ID + ":cancel", body, (ctx, c, p) -> {
            p.put("id", seg(ctx, 0));
            unary(ctx, Operation.CANCEL, c, p);
        });
        route(router, HttpMethod.GET, "/tasks/" + ID + ":subscribe", null, (ctx, c, p) -> {
            p.put("id", seg(ctx, 0));
            stream(ctx, Operation.SUBSCRIBE, c, p);
        });
        route(router, HttpMethod.POST, "/tasks/" + ID + "/pushNotificationConfigs", body, (ctx, c, p) -> {
            p.put("taskId", seg(ctx, 0));
            unary(ctx, Operation.PUSH_CREATE, c, p);
        });
        route(router, HttpMethod.GET, "/tasks/" + ID + "/pushNotificationConfigs", null, (ctx, c, p) -> {
            p.put("taskId", seg(ctx, 0));
            unary(ctx, Operation.PUSH_LIST, c, p);
        });
        route(router, HttpMethod.GET, "/tasks/" + ID + "/pushNotificationConfigs/" + ID, null, (ctx, c, p) -> {
            p.put("taskId", seg(ctx, 0)).put("id", seg(ctx, 1));
            unary(ctx, Operation.PUSH_GET, c, p);
        });
        route(router, HttpMethod.DELETE, "/tasks/" + ID + "/pushNotificationConfigs/" + ID, null, (ctx, c, p) -> {
            p.put("taskId", seg(ctx, 0)).put("id", seg(ctx, 1));
            unary(ctx, Operation.PUSH_DELETE, c, p);
        });
        route(router, HttpMethod.GET, "/extendedAgentCard", null,
                (ctx, c, p) -> unary(ctx, Operation.EXTENDED_CARD, c, p));
    }

    /**
     * Registers a route twice: as is, and under a {@code /{tenant}} prefix (spec 11: every path of a2a.proto's
     * HTTP bindings); the prefixed form passes the tenant into the operation like the {@code tenant} field.
     */
    private void route(Router router, HttpMethod method, String pathRegex, BodyHandler body, Call call) {
        register(router, method, pathRegex, body, call, false);
        register(router, method, "/" + ID + pathRegex, body, call, true);
    }

    private void register(Router router, HttpMethod method, String pathRegex, BodyHandler body, Call call,
            boolean tenantPrefix) {
        String regex = "^" + pathRegex.replace(":", "\\:").replace("([^/\\:]+)", "([^/:]+)") + "$";
        Call effective = !tenantPrefix ? call : (ctx, c, p) -> {
            String tenant = ctx.pathParam("param0");
            String inBody = p.path("tenant").isTextual() ? p.get("tenant").textValue() : null;
            if (inBody != null && !inBody.isEmpty() && !inBody.equals(tenant)) {
                throw A2AException.invalidParams("tenant " + inBody + " in the body does not match the path's "
                        + tenant);
            }
            p.put("tenant", tenant);
            ctx.put(OFFSET, 1);
            call.run(ctx, c, p);
        };
        if (body != null) {
            router.routeWithRegex(method, regex).order(-10).handler(body);
        }
        router.routeWithRegex(method, regex).order(-9).handler(ctx -> admit(ctx, effective));
        router.routeWithRegex(method, regex).order(-10).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                error(ctx.response(), new A2AException(A2AError.PAYLOAD_TOO_LARGE,
                        "Request body exceeds the limit of " + config.maxBodyBytes() + " bytes"));
            } else {
                error(ctx.response(), new A2AException(A2AError.INTERNAL, "Internal error"));
            }
        });
    }

    /** The i-th id of the unprefixed path (after the tenant, when the path has one). */
    private static String seg(RoutingContext ctx, int i) {
        Integer offset = ctx.get(OFFSET);
        return ctx.pathParam("param" + (i + (offset == null ? 0 : offset)));
    }

    private void admit(RoutingContext ctx, Call call) {
        byte[] raw = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
        // admission off the event loop too: verifying a JWT may have to fetch the issuer's JWKS
        workers.execute(() -> {
            Caller caller;
            try {
                String version = ctx.request().getHeader("A2A-Version");
                if (version != null && !version.isBlank() && !version.trim().startsWith("1.0")) {
                    throw new A2AException(A2AError.VERSION_NOT_SUPPORTED,
                            "The HTTP+JSON binding serves A2A 1.0; use JSON-RPC at /a2a for 0.3");
                }
                caller = guard.admit(ctx.request());
            } catch (RequestGuard.RateLimited e) {
                ctx.response().putHeader("Retry-After", String.valueOf(e.retryAfterSeconds));
                error(ctx.response(), e.error());
                return;
            } catch (A2AException e) {
                if (e.error() == A2AError.UNAUTHENTICATED) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"codetether\"");
                }
                error(ctx.response(), e);
                return;
            }
            try {
                ObjectNode params = params(ctx, raw);
                call.run(ctx, caller, params);
            } catch (RuntimeException e) {
                fail(ctx.response(), e);
            }
        });
    }

    private static ObjectNode params(RoutingContext ctx, byte[] raw) {
        ObjectNode p;
        if (raw != null && raw.length > 0) {
            JsonNode body;
            try {
                body = WireJson.MAPPER.readTree(raw);
            } catch (Exception e) {
                throw new A2AException(A2AError.PARSE_ERROR, "Request body is not valid JSON");
            }
            if (!body.isObject()) {
                throw A2AException.invalidParams("Request body must be a JSON object");
            }
            p = (ObjectNode) body;
        } else {
            p = F.objectNode();
        }
        BiConsumer<String, String> query = (name, value) -> {
            switch (name) {
                case "includeArtifacts" -> p.put(name, Boolean.parseBoolean(value));
                case "status" -> p.put(name, value.startsWith("TASK_STATE_") ? value
                        : "TASK_STATE_" + value.toUpperCase(Locale.ROOT).replace('-', '_'));
                case "A2A-Version" -> { }
                default -> p.put(name, value);
            }
        };
        ctx.queryParams().forEach(e -> query.accept(e.getKey(), e.getValue()));
        return p;
    }

    private void unary(RoutingContext ctx, Operation op, Caller caller, ObjectNode params) {
        operations.unary(op, V10Codec.INSTANCE, params, caller).whenComplete((result, err) -> {
            if (err != null) {
                fail(ctx.response(), err);
                return;
            }
            JsonNode out = op == Operation.SEND ? result : result;
            reply(ctx.response(), 200, out.isNull() ? F.objectNode() : out);
        });
    }

    private void stream(RoutingContext ctx, Operation op, Caller caller, ObjectNode params) {
        var sink = EventSinks.sse(ctx.response(), vertx, item -> item, config.sseKeepAlive().toMillis());
        operations.stream(op, V10Codec.INSTANCE, params, caller, sink).whenComplete((v, err) -> {
            if (err != null) {
                fail(ctx.response(), err);
            }
        });
    }

    static void fail(HttpServerResponse response, Throwable err) {
        Throwable cause = TaskEngine.cause(err);
        if (cause instanceof A2AException a) {
            error(response, a);
        } else {
            LOG.errorf("REST request failed unexpectedly: %s", cause.toString());
            error(response, new A2AException(A2AError.INTERNAL, "Internal error"));
        }
    }

    /** AIP-193 error body (spec 11.6). */
    static void error(HttpServerResponse response, A2AException e) {
        ObjectNode out = F.objectNode();
        ObjectNode err = out.putObject("error");
        err.put("code", e.error().httpStatus());
        err.put("status", e.error().grpcStatus());
        err.put("message", e.getMessage());
        var details = err.putArray("details");
        ObjectNode info = details.addObject();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", e.error().reason());
        info.put("domain", "a2a-protocol.org");
        ObjectNode md = info.putObject("metadata");
        e.details().forEach((k, v) -> md.put(k, String.valueOf(v)));
        md.put("timestamp", WireJson.timestamp(Instant.now()));
        reply(response, e.error().httpStatus(), out);
    }

    static void reply(HttpServerResponse response, int status, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(WireJson.MAPPER.writeValueAsString(body));
        } catch (Exception e) {
            response.setStatusCode(500).end();
        }
    }
}
