package run.codetether.gateway.support.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.RawHttp;

/**
 * JSON-RPC 2.0 at {@code POST /a2a}, as A2A 1.0 (PascalCase methods) or 0.3 ({@code message/send} names and shapes,
 * through the test's own {@link V03Shapes}). Checks every answer's envelope (jsonrpc, the id echoed) and each
 * error against the {@link ErrorTable} (code, HTTP status, ErrorInfo reason of A2A errors).
 */
public final class JsonRpcBinding implements Binding {
    private static final AtomicLong IDS = new AtomicLong();
    private final URI endpoint;
    private final boolean v03;
    private final String key;

    public JsonRpcBinding(URI endpoint, boolean v03, String key) {
        this.endpoint = endpoint;
        this.v03 = v03;
        this.key = key;
    }

    @Override
    public String name() {
        return v03 ? "JSON-RPC 0.3" : "JSON-RPC 1.0";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean supports(Feature feature) {
        return feature == Feature.HTTP1 || !v03;
    }

    @Override
    public Binding as(String apiKey) {
        return new JsonRpcBinding(endpoint, v03, apiKey);
    }

    private String version() {
        return v03 ? "0.3" : "1.0";
    }

    /** A2A 1.0's method names, written from the spec (not read from the gateway's {@link Operation#V10}). */
    static String method10(Operation op) {
        return switch (op) {
            case SEND -> "SendMessage";
            case STREAM -> "SendStreamingMessage";
            case GET -> "GetTask";
            case LIST -> "ListTasks";
            case CANCEL -> "CancelTask";
            case SUBSCRIBE -> "SubscribeToTask";
            case PUSH_CREATE -> "CreateTaskPushNotificationConfig";
            case PUSH_GET -> "GetTaskPushNotificationConfig";
            case PUSH_LIST -> "ListTaskPushNotificationConfigs";
            case PUSH_DELETE -> "DeleteTaskPushNotificationConfig";
            case EXTENDED_CARD -> "GetExtendedAgentCard";
        };
    }

    /** The params on this binding's wire: 1.0's as they are, or 0.3's shapes. */
    private ObjectNode wire(Operation op, ObjectNode params) {
        return v03 ? V03Shapes.params(op, params) : params;
    }

    /** The one way this binding builds a request: {@code wire} under the version's method name. */
    private HttpCall request(long id, Operation op, ObjectNode wire) {
        return new HttpCall("POST", endpoint, A2AHttp.rpc(id, v03 ? V03Shapes.method(op) : method10(op),
                wire.toString()));
    }

    @Override
    public Result call(Operation op, ObjectNode params) {
        long id = IDS.incrementAndGet();
        return answer(op, id, request(id, op, wire(op, params)).send(key, version()));
    }

    @Override
    public Result getOversized(int bodyBytes) {
        long id = IDS.incrementAndGet();
        ObjectNode padded = wire(Operation.GET, Params.id("no-such-task")).put("pad", "x".repeat(bodyBytes));
        return answer(Operation.GET, id, request(id, Operation.GET, padded).send(key, version()));
    }

    @Override
    public Result withoutHost() {
        RawHttp.Answer a = request(1, Operation.GET, wire(Operation.GET, Params.id("x"))).withoutHost(key);
        assertEquals(400, a.status(), a::toString);
        JsonNode json = new A2AHttp.Reply(a.status(), java.util.Map.of(), a.body()).json();
        assertEquals("2.0", json.path("jsonrpc").asText());
        assertEquals(-32600, json.at("/error/code").asInt(), a::toString);
        return new Result(name(), null, new Failure("INVALID_REQUEST", json.at("/error/message").asText()));
    }

    private Result answer(Operation op, long id, A2AHttp.Reply reply) {
        JsonNode json = reply.json();
        assertEquals("2.0", json.path("jsonrpc").asText(), () -> name() + ": " + reply.body());
        assertTrue(json.has("id"), () -> name() + ": the id member is always present: " + reply.body());
        if (json.has("error")) {
            return new Result(name(), null, failure(json.get("error"), reply.status()));
        }
        assertEquals(200, reply.status(), reply::body);
        assertEquals(id, json.get("id").asLong(), "the id is echoed");
        JsonNode result = json.get("result");
        return new Result(name(), v03 ? V03Shapes.result(op, result) : result, null);
    }

    private Failure failure(JsonNode error, int httpStatus) {
        int code = error.path("code").asInt();
        String reason = ErrorTable.reasonOfJsonRpc(code, httpStatus);
        assertEquals(ErrorTable.of(reason).jsonRpcHttpStatus(), httpStatus,
                () -> name() + ": HTTP status of " + reason + ": " + error);
        if (code <= -32001 && code >= -32099) {
            assertEquals(reason, error.at("/data/0/reason").asText(), () -> name() + ": ErrorInfo of " + error);
            assertEquals("a2a-protocol.org", error.at("/data/0/domain").asText());
        }
        return new Failure(reason, error.path("message").asText());
    }

    @Override
    public LiveStream stream(Operation op, ObjectNode params) {
        long id = IDS.incrementAndGet();
        A2AHttp.Stream s = request(id, op, wire(op, params)).open(key, version());
        if (!s.contentType().startsWith("text/event-stream")) {
            String body = s.body();
            s.close();
            Result r = answer(op, id, new A2AHttp.Reply(s.status(), s.response.headers().map(), body));
            return new Events(null, r.failure());
        }
        return new Events(s, null) {
            @Override
            public JsonNode next() {
                JsonNode e = s.next();
                if (e == null) {
                    return null;
                }
                assertEquals("2.0", e.path("jsonrpc").asText());
                assertEquals(id, e.path("id").asLong(), "every stream event echoes the request id");
                if (e.has("error")) {
                    // an early end: a JSON-RPC error response as the last event (the HTTP status was 200)
                    ended = JsonRpcBinding.this.failure(e.get("error"), 200);
                    assertEquals(null, s.next(), "nothing follows the error event");
                    return null;
                }
                JsonNode result = e.get("result");
                return v03 ? V03Shapes.streamItem(result) : result;
            }
        };
    }

    /** An SSE stream of JSON-RPC responses, or the refusal. */
    static class Events implements LiveStream {
        private final A2AHttp.Stream stream;
        private final Failure failure;
        Failure ended;

        @Override
        public Failure endedWith() {
            return ended;
        }

        Events(A2AHttp.Stream stream, Failure failure) {
            this.stream = stream;
            this.failure = failure;
        }

        @Override
        public Failure failure() {
            return failure;
        }

        @Override
        public JsonNode next() {
            return stream == null ? null : stream.next();
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
