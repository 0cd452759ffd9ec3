package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.v03.V03Codec;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.TaskEngine;

/**
 * The JSON-RPC 2.0 binding at {@code POST /} and {@code POST /a2a}, and the agent cards under /.well-known.
 * Protocol version: the {@code A2A-Version} header (or query parameter) picks 1.0 or 0.3; without one the method
 * name decides (PascalCase 1.0 names, slash-separated 0.3 names), which the spec's "empty means 0.3" rule
 * allows since the two sets of names do not overlap.
 */
@ApplicationScoped
public class JsonRpcRoutes {
    private static final Logger LOG = Logger.getLogger(JsonRpcRoutes.class);

    @Inject
    A2AOperations operations;

    @Inject
    RequestGuard guard;

    @Inject
    AgentCards cards;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    void routes(@Observes Router router) {
        int limit = config.maxBodyBytes();
        for (String path : new String[] {"/", "/a2a"}) {
            router.post(path).order(-10).handler(ctx -> rejectLargeDeclared(ctx, limit));
            router.post(path).order(-9).handler(BodyHandler.create(false).setBodyLimit(limit));
            router.post(path).order(-8).handler(this::handle);
            router.post(path).order(-10).failureHandler(this::failure);
        }
        router.get("/.well-known/agent-card.json").order(-10)
                .handler(ctx -> HttpReplies.json(ctx.response(), 200, cards.v10(false, requestBase(ctx))));
        router.get("/.well-known/agent.json").order(-10)
                .handler(ctx -> HttpReplies.json(ctx.response(), 200, cards.v03(false, requestBase(ctx))));
    }

    /** scheme://host[:port] the client used (honours X-Forwarded-* when Quarkus is told to trust proxies). */
    static String requestBase(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host == null ? "localhost:8080" : host);
    }

    /** A declared Content-Length over the limit is refused before a byte of the body is read. */
    static void rejectLargeDeclared(RoutingContext ctx, int limit) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    tooLarge(ctx.response(), limit);
                    return;
                }
            } catch (NumberFormatException e) {
                HttpReplies.json(ctx.response(), 400, Rpc.error(null, A2AError.INVALID_REQUEST,
                        "Content-Length is not a number"));
                return;
            }
        }
        ctx.next();
    }

    static void tooLarge(HttpServerResponse response, int limit) {
        HttpReplies.json(response, 413, Rpc.error(null, A2AError.PAYLOAD_TOO_LARGE,
                "Request body exceeds the limit of " + limit + " bytes"));
    }

    void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            tooLarge(ctx.response(), config.maxBodyBytes());
            return;
        }
        LOG.warnf("A2A request failed: %s", ctx.failure() == null ? ctx.statusCode() : ctx.failure().toString());
        HttpReplies.json(ctx.response(), 500, Rpc.error(null, A2AError.INTERNAL, "Internal error"));
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String versionHeader = request.getHeader("A2A-Version");
        if (versionHeader == null) {
            versionHeader = request.getParam("A2A-Version");
        }
        String version = versionHeader;
        // admission off the event loop too: verifying a JWT may have to fetch the issuer's JWKS
        workers.execute(() -> {
            Caller caller;
            try {
                caller = guard.admit(request);
            } catch (RequestGuard.RateLimited e) {
                response.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds));
                HttpReplies.json(response, 429, Rpc.error(null, e.error()));
                return;
            } catch (A2AException e) {
                if (e.error() == A2AError.UNAUTHENTICATED) {
                    response.putHeader("WWW-Authenticate", "Bearer realm=\"codetether\"");
                }
                HttpReplies.json(response, e.error().httpStatus(), Rpc.error(null, e));
                return;
            }
            dispatch(body, version, caller, response);
        });
    }

    private void dispatch(byte[] body, String versionHeader, Caller caller, HttpServerResponse response) {
        JsonNode id = null;
        try {
            JsonRpcRequest rpc = JsonRpcRequest.parse(body);
            id = rpc.id();
            WireCodec codec = codec(versionHeader, rpc.method());
            Operation op = (codec == V10Codec.INSTANCE ? Operation.V10 : Operation.V03).get(rpc.method());
            if (op == null) {
                throw new A2AException(A2AError.METHOD_NOT_FOUND, "Method not found: "
                        + JsonRpcRequest.truncate(rpc.method()) + " (A2A " + codec.version() + ")");
            }
            JsonNode rid = id;
            if (op.streaming()) {
                SseSink sink = new SseSink(response, vertx, item -> Rpc.result(rid, item),
                        config.sseKeepAlive().toMillis());
                operations.stream(op, codec, rpc.params(), caller, sink)
                        .whenComplete((v, err) -> {
                            if (err != null) {
                                reply(response, rid, err);
                            }
                        });
                return;
            }
            CompletableFuture<JsonNode> result = operations.unary(op, codec, rpc.params(), caller);
            result.whenComplete((r, err) -> {
                if (err != null) {
                    reply(response, rid, err);
                } else {
                    HttpReplies.json(response, 200, Rpc.result(rid, r));
                }
            });
        } catch (JsonRpcRequest.Invalid e) {
            HttpReplies.json(response, 200, Rpc.error(e.id, e.error));
        } catch (RuntimeException e) {
            reply(response, id, e);
        }
    }

    static WireCodec codec(String versionHeader, String method) {
        if (versionHeader == null || versionHeader.isBlank()) {
            return Operation.V03.containsKey(method) ? V03Codec.INSTANCE : V10Codec.INSTANCE;
        }
        String v = versionHeader.trim();
        if (v.equals("1.0") || v.startsWith("1.0.")) {
            return V10Codec.INSTANCE;
        }
        if (v.equals("0.3") || v.startsWith("0.3.")) {
            return V03Codec.INSTANCE;
        }
        throw new A2AException(A2AError.VERSION_NOT_SUPPORTED, "A2A version " + JsonRpcRequest.truncate(v)
                + " is not supported; supported: 1.0, 0.3", java.util.Map.of("supportedVersions", "1.0,0.3"));
    }

    private static void reply(HttpServerResponse response, JsonNode id, Throwable err) {
        Throwable cause = TaskEngine.cause(err);
        if (cause instanceof A2AException a) {
            HttpReplies.json(response, 200, Rpc.error(id, a));
            return;
        }
        LOG.errorf("A2A request failed unexpectedly: %s", cause.toString());
        HttpReplies.json(response, 200, Rpc.error(id, A2AError.INTERNAL, "Internal error"));
    }
}
