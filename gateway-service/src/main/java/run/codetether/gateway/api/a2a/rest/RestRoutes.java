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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.HttpEdge;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.api.a2a.Rpc;
import run.codetether.gateway.api.a2a.SseSink;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.api.a2a.V10Operations;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The A2A 1.0 HTTP+JSON binding (spec section 11): {@code POST /message:send}, {@code POST /message:stream},
 * {@code GET /tasks[/{id}]}, {@code POST /tasks/{id}:cancel}, {@code GET /tasks/{id}:subscribe},
 * {@code /tasks/{taskId}/pushNotificationConfigs[/{id}]}, {@code GET /extendedAgentCard}, each also under a
 * {@code /{tenant}} prefix. A thin edge: path, query and body become the 1.0 params of {@link V10Operations}; the
 * prefix's tenant travels in the call context (the tenant decorator checks it against the body's). Errors are
 * AIP-193 objects with the HTTP status of the spec's table.
 */
@ApplicationScoped
public class RestRoutes {
    private static final Logger LOG = Logger.getLogger(RestRoutes.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String ID = "([^/:]+)";

    @Inject
    A2ARequestHandler handler;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    RequestGuard guard;

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private V10Operations operations;

    /** A route: the operation and where the path's ids go in the params (in path order). */
    private record Endpoint(HttpMethod method, String path, Operation op, List<String> idFields) {}

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(HttpMethod.POST, "/message:send", Operation.SEND, List.of()),
            new Endpoint(HttpMethod.POST, "/message:stream", Operation.STREAM, List.of()),
            new Endpoint(HttpMethod.GET, "/tasks", Operation.LIST, List.of()),
            new Endpoint(HttpMethod.GET, "/tasks/" + ID, Operation.GET, List.of("id")),
            new Endpoint(HttpMethod.POST, "/tasks/" + ID + ":cancel", Operation.CANCEL, List.of("id")),
            new Endpoint(HttpMethod.GET, "/tasks/" + ID + ":subscribe", Operation.SUBSCRIBE, List.of("id")),
            new Endpoint(HttpMethod.POST, "/tasks/" + ID + "/pushNotificationConfigs", Operation.PUSH_CREATE,
                    List.of("taskId")),
            new Endpoint(HttpMethod.GET, "/tasks/" + ID + "/pushNotificationConfigs", Operation.PUSH_LIST,
                    List.of("taskId")),
            new Endpoint(HttpMethod.GET, "/tasks/" + ID + "/pushNotificationConfigs/" + ID, Operation.PUSH_GET,
                    List.of("taskId", "id")),
            new Endpoint(HttpMethod.DELETE, "/tasks/" + ID + "/pushNotificationConfigs/" + ID,
                    Operation.PUSH_DELETE, List.of("taskId", "id")),
            new Endpoint(HttpMethod.GET, "/extendedAgentCard", Operation.EXTENDED_CARD, List.of()));

    void routes(@Observes Router router) {
        operations = new V10Operations(handler);
        // only a send may carry a message (and a workspace archive): the other POSTs get max-request-bytes, and
        // the body handler refuses a body past it as soon as it gets there
        BodyHandler sendBody = BodyHandler.create(false).setBodyLimit(HttpEdge.sendBodyLimit(config));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(HttpEdge.requestLimit(config));
        for (Endpoint e : ENDPOINTS) {
            BodyHandler b = isSend(e) ? sendBody : body;
            // spec 11: every path of a2a.proto's HTTP bindings also under /{tenant}
            register(router, e, e.path(), b, false);
            register(router, e, "/" + ID + e.path(), b, true);
        }
    }

    private static boolean isSend(Endpoint e) {
        return e.op() == Operation.SEND || e.op() == Operation.STREAM;
    }

    private void register(Router router, Endpoint e, String pathRegex, BodyHandler body, boolean tenantPrefix) {
        String regex = "^" + pathRegex.replace(":", "\\:").replace("([^/\\:]+)", "([^/:]+)") + "$";
        if (e.method() != HttpMethod.GET && e.method() != HttpMethod.DELETE) {
            router.routeWithRegex(e.method(), regex).order(-10).handler(body);
        }
        router.routeWithRegex(e.method(), regex).order(-9).handler(ctx -> handle(ctx, e, tenantPrefix));
        router.routeWithRegex(e.method(), regex).order(-10).failureHandler(ctx -> {
            A2AException refused = isSend(e) ? HttpEdge.routingFailure(ctx, HttpEdge.sendBodyLimit(config), true)
                    : HttpEdge.routingFailure(ctx, HttpEdge.requestLimit(config), false);
            error(ctx.response(), refused != null ? refused : new A2AException(A2AError.INTERNAL, "Internal error"));
        });
    }

    private void handle(RoutingContext ctx, Endpoint e, boolean tenantPrefix) {
        byte[] raw = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
        CallContext call = HttpEdge.context(ctx);
        if (e.op() == Operation.GET && !guard.mayBlock()) {
            // a read answered on the event loop: admission with an API key, the tenant check and the task lookup
            // are in memory; the hop to a worker and the write back from it cost more than the read (issue 18)
            serve(ctx, e, tenantPrefix, raw, call);
            return;
        }
        // off the event loop: admitting a caller may fetch a JWKS, a blocking send waits for the task
        workers.execute(() -> serve(ctx, e, tenantPrefix, raw, call));
    }

    private void serve(RoutingContext ctx, Endpoint e, boolean tenantPrefix, byte[] raw, CallContext call) {
        try {
            String version = ctx.request().getHeader("A2A-Version");
            if (version != null && !version.isBlank() && !version.trim().startsWith("1.0")) {
                throw new A2AException(A2AError.VERSION_NOT_SUPPORTED,
                        "The HTTP+JSON binding serves A2A 1.0; use JSON-RPC at /a2a for 0.3");
            }
            int offset = tenantPrefix ? 1 : 0;
            ObjectNode params = params(ctx, raw);
            for (int i = 0; i < e.idFields().size(); i++) {
                params.put(e.idFields().get(i), ctx.pathParam("param" + (i + offset)));
            }
            CallContext c = tenantPrefix ? call.withTenant(ctx.pathParam("param0")) : call;
            if (e.op().streaming()) {
                stream(ctx, e.op(), c, params);
            } else {
                unary(ctx, e.op(), c, params);
            }
        } catch (RuntimeException err) {
            fail(ctx.response(), err);
        }
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
            if (body == null || !body.isObject()) {
                throw A2AException.invalidParams("Request body must be a JSON object");
            }
            p = (ObjectNode) body;
        } else {
            p = F.objectNode();
        }
        ctx.queryParams().forEach(q -> {
            String name = q.getKey();
            String value = q.getValue();
            switch (name) {
                case "includeArtifacts" -> p.put(name, Boolean.parseBoolean(value));
                case "status" -> p.put(name, value.startsWith("TASK_STATE_") ? value
                        : "TASK_STATE_" + value.toUpperCase(Locale.ROOT).replace('-', '_'));
                case "A2A-Version" -> { }
                default -> p.put(name, value);
            }
        });
        return p;
    }

    private void unary(RoutingContext ctx, Operation op, CallContext call, ObjectNode params) {
        operations.unary(op, params, call).whenComplete((result, err) -> {
            if (err != null) {
                fail(ctx.response(), err);
                return;
            }
            reply(ctx.response(), 200, result.isNull() ? F.objectNode() : result);
        });
    }

    private void stream(RoutingContext ctx, Operation op, CallContext call, ObjectNode params) {
        // REST streams carry bare StreamResponse objects
        // an early end is an AIP-193 error object as the last event, as an HTTP+JSON error body would be
        SseSink sink = new SseSink(ctx.response(), vertx, V10Encoder::streamItem, RestRoutes::errorBody,
                config.sseKeepAlive().toMillis(), config.streams().maxPendingBytes());
        operations.stream(op, params, call, sink).whenComplete((v, err) -> {
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
        ObjectNode out = errorBody(e);
        if (!response.headWritten()) {
            HttpEdge.errorHeaders(response, e);
        }
        reply(response, e.error().httpStatus(), out);
    }

    /** The AIP-193 error object {@code {"error": {code, status, message, details}}}. */
    static ObjectNode errorBody(A2AException e) {
        ObjectNode out = F.objectNode();
        ObjectNode err = out.putObject("error");
        err.put("code", e.error().httpStatus());
        err.put("status", e.error().grpcStatus());
        err.put("message", e.getMessage());
        Rpc.addErrorInfo(err.putArray("details"), e);
        return out;
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
