package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.v03.V03Encoder;
import run.codetether.gateway.api.a2a.v03.V03Operations;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.AgentCards;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * The JSON-RPC 2.0 binding at {@code POST /} and {@code POST /a2a}, and the agent cards under /.well-known. A thin
 * edge: it checks the envelope, picks the protocol version's operations and answers JSON-RPC responses (SSE for
 * streams); the request handler behind does the rest.
 *
 * <p>Protocol version: the {@code A2A-Version} header (or query parameter) picks 1.0 or 0.3; without one the method
 * name decides (PascalCase 1.0 names, slash-separated 0.3 names), which the spec's "empty means 0.3" rule allows
 * since the two sets of names do not overlap.
 */
@ApplicationScoped
public class JsonRpcRoutes {
    private static final Logger LOG = Logger.getLogger(JsonRpcRoutes.class);
    /** Route order of the JSON-RPC endpoints and the cards: before RestRoutes' (-10), after the guards (-1000). */
    static final int ORDER = -20;
    /** A body up to this size is parsed on the event loop (a GetTask is ~100 bytes; a send goes to a worker). */
    static final int EVENT_LOOP_PARSE_BYTES = 4096;

    @Inject
    A2ARequestHandler handler;

    @Inject
    AgentCards cards;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    RequestGuard guard;

    /** CodeTether's own JSON-RPC methods ({@code codetether/...}, INTERFACES.md): worker mode's lists. */
    @Inject
    run.codetether.gateway.api.worker.WorkerRpcMethods extensions;

    /** {@code codetether/mcp/tools/list} (docs/mcp.md). */
    @Inject
    run.codetether.gateway.api.mcp.McpToolsRpcMethod mcpTools;

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private V10Operations v10;
    private V03Operations v03;

    void routes(@Observes Router router) {
        v10 = new V10Operations(handler);
        v03 = new V03Operations(handler);
        // the method is inside the body: a send may be read up to its limit, every other method is refused once it
        // passes max-request-bytes (RpcBodyReader picks the method out of the bytes as they arrive)
        int limit = HttpEdge.sendBodyLimit(config);
        int requestLimit = HttpEdge.requestLimit(config);
        // ordered before the HTTP+JSON binding's regex routes (RestRoutes, -10/-9): the router tries routes in
        // order, and JSON-RPC calls and the cards were matched against each of those regexes first (issue 18)
        for (String path : new String[] {"/", "/a2a"}) {
            router.post(path).order(ORDER).handler(ctx -> rejectLargeDeclared(ctx, limit));
            router.post(path).order(ORDER + 1).handler(ctx -> RpcBodyReader.read(ctx, limit, requestLimit,
                    method -> isSendOrUnknown(ctx.request().getHeader("A2A-Version"), method),
                    (id, e) -> error(ctx.response(), id, e), body -> handle(ctx, body)));
            router.post(path).order(ORDER).failureHandler(this::failure);
        }
        // encoded once per base URL, with an ETag (CardReplies): the card only changes with the configuration
        CardReplies v10Card = new CardReplies(cards::baseUrl, base -> V10Encoder.card(cards.card(false, base)));
        CardReplies v03Card = new CardReplies(cards::baseUrl, base -> V03Encoder.card(cards.card(false, base)));
        router.get("/.well-known/agent-card.json").order(ORDER).handler(v10Card::serve);
        router.get("/.well-known/agent.json").order(ORDER).handler(v03Card::serve);
        router.get("/.well-known/agent-card.json").order(ORDER).failureHandler(this::failure);
        router.get("/.well-known/agent.json").order(ORDER).failureHandler(this::failure);
    }

    /** A declared Content-Length over the limit is refused before a byte of the body is read. */
    static void rejectLargeDeclared(RoutingContext ctx, int limit) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    error(ctx.response(), null, HttpEdge.tooLarge(limit, true));
                    return;
                }
            } catch (NumberFormatException e) {
                error(ctx.response(), null, new A2AException(A2AError.INVALID_REQUEST,
                        "Content-Length is not a number"));
                return;
            }
        }
        ctx.next();
    }

    void failure(RoutingContext ctx) {
        A2AException refused = HttpEdge.routingFailure(ctx, HttpEdge.sendBodyLimit(config), true);
        if (refused != null) {
            // the router refused the request itself (body size, Host): its HTTP status stands
            HttpReplies.json(ctx.response(), ctx.statusCode(), Rpc.error(null, refused));
            return;
        }
        LOG.warnf("A2A request failed: %s", ctx.failure() == null ? ctx.statusCode() : ctx.failure().toString());
        HttpReplies.json(ctx.response(), 500, Rpc.error(null, A2AError.INTERNAL, "Internal error"));
    }

    private void handle(RoutingContext ctx, byte[] body) {
        String version = ctx.request().getHeader("A2A-Version");
        if (version == null) {
            version = ctx.request().getParam("A2A-Version");
        }
        CallContext call = HttpEdge.context(ctx);
        String versionHeader = version;
        if (body.length <= EVENT_LOOP_PARSE_BYTES && !guard.mayBlock()) {
            // a small body is parsed here; a read (GetTask) is answered here too: admission with an API key, the
            // tenant check and the task lookup are in memory, and the hop to a worker thread and the write back
            // from it cost more than the read itself (issue 18)
            JsonRpcRequest rpc;
            try {
                rpc = JsonRpcRequest.parse(body);
            } catch (JsonRpcRequest.Invalid e) {
                HttpReplies.json(ctx.response(), 200, Rpc.error(e.id, e.error));
                return;
            }
            if (isRead(versionHeader, rpc.method())) {
                dispatch(rpc, body.length, versionHeader, call, ctx.response());
                return;
            }
            workers.execute(() -> dispatch(rpc, body.length, versionHeader, call, ctx.response()));
            return;
        }
        // off the event loop: admitting a caller may fetch a JWKS, a blocking send waits for the task
        workers.execute(() -> dispatch(body, versionHeader, call, ctx.response()));
    }

    /** GetTask (1.0) or tasks/get (0.3): answered from the gateway's memory, never waits. */
    private boolean isRead(String versionHeader, String method) {
        try {
            return operations(versionHeader, method).methods().get(method) == Operation.GET;
        } catch (A2AException e) {
            return false; // an unsupported version: the worker path answers it
        }
    }

    private void dispatch(byte[] body, String versionHeader, CallContext call, HttpServerResponse response) {
        JsonRpcRequest rpc;
        try {
            rpc = JsonRpcRequest.parse(body);
        } catch (JsonRpcRequest.Invalid e) {
            HttpReplies.json(response, 200, Rpc.error(e.id, e.error));
            return;
        } catch (RuntimeException e) {
            reply(response, null, e);
            return;
        }
        dispatch(rpc, body.length, versionHeader, call, response);
    }

    private void dispatch(JsonRpcRequest rpc, int bodyLength, String versionHeader, CallContext call,
            HttpServerResponse response) {
        JsonNode id = null;
        try {
            id = rpc.id();
            if (bodyLength > HttpEdge.requestLimit(config) && !isSend(versionHeader, rpc.method())) {
                // the reader could not tell the method early (it came after the params, or the JSON is odd)
                throw HttpEdge.tooLarge(HttpEdge.requestLimit(config), false);
            }
            if (extensions.handles(rpc.method())) {
                HttpReplies.json(response, 200, Rpc.result(id, extensions.call(rpc.method(), call)));
                return;
            }
            if (mcpTools.handles(rpc.method())) {
                HttpReplies.json(response, 200, Rpc.result(id, mcpTools.call(rpc.params(), call)));
                return;
            }
            JsonOperations ops = operations(versionHeader, rpc.method());
            Operation op = ops.methods().get(rpc.method());
            if (op == null) {
                throw new A2AException(A2AError.METHOD_NOT_FOUND, "Method not found: "
                        + JsonRpcRequest.truncate(rpc.method()) + " (A2A " + ops.version() + ")");
            }
            JsonNode rid = id;
            if (op.streaming()) {
                // an early end is a JSON-RPC error response with the request's id as the last event
                SseSink sink = new SseSink(response, vertx, item -> Rpc.result(rid, ops.streamItem(item)),
                        e -> Rpc.error(rid, e), config.sseKeepAlive().toMillis(),
                        config.streams().maxPendingBytes());
                ops.stream(op, rpc.params(), call, sink).whenComplete((v, err) -> {
                    if (err != null) {
                        reply(response, rid, err);
                    }
                });
                return;
            }
            ops.unary(op, rpc.params(), call).whenComplete((r, err) -> {
                if (err != null) {
                    reply(response, rid, err);
                } else {
                    HttpReplies.json(response, 200, Rpc.result(rid, r));
                }
            });
        } catch (RuntimeException e) {
            reply(response, id, e);
        }
    }

    /** As {@link #isSend}, and true for a version this gateway does not serve (refused by name, not by size). */
    private boolean isSendOrUnknown(String versionHeader, String method) {
        try {
            return isSend(versionHeader, method);
        } catch (A2AException e) {
            return true;
        }
    }

    /** SendMessage / SendStreamingMessage (1.0) or message/send / message/stream (0.3): may carry an archive. */
    private boolean isSend(String versionHeader, String method) {
        Operation op = operations(versionHeader, method).methods().get(method);
        return op == Operation.SEND || op == Operation.STREAM;
    }

    JsonOperations operations(String versionHeader, String method) {
        if (versionHeader == null || versionHeader.isBlank()) {
            return v03.methods().containsKey(method) ? v03 : v10;
        }
        String v = versionHeader.trim();
        if (v.equals("1.0") || v.startsWith("1.0.")) {
            return v10;
        }
        if (v.equals("0.3") || v.startsWith("0.3.")) {
            return v03;
        }
        throw new A2AException(A2AError.VERSION_NOT_SUPPORTED, "A2A version " + JsonRpcRequest.truncate(v)
                + " is not supported; supported: 1.0, 0.3", Map.of("supportedVersions", "1.0,0.3"));
    }

    private static void reply(HttpServerResponse response, JsonNode id, Throwable err) {
        Throwable cause = TaskEngine.cause(err);
        if (cause instanceof A2AException a) {
            error(response, id, a);
            return;
        }
        LOG.errorf("A2A request failed unexpectedly: %s", cause.toString());
        HttpReplies.json(response, 200, Rpc.error(id, A2AError.INTERNAL, "Internal error"));
    }

    private static void error(HttpServerResponse response, JsonNode id, A2AException e) {
        if (!response.headWritten()) {
            HttpEdge.errorHeaders(response, e);
        }
        HttpReplies.json(response, e.error().jsonRpcHttpStatus(), Rpc.error(id, e));
    }
}
