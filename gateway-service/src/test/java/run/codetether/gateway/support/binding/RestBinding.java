package run.codetether.gateway.support.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.RawHttp;

/**
 * The HTTP+JSON binding: each operation's HTTP method and path (spec 11), ids in the path, GET filters in the
 * query, the tenant as the {@code /{tenant}} path prefix. Checks each error against the {@link ErrorTable} (HTTP
 * status, AIP-193 body with the gRPC status name and the ErrorInfo reason) and that streams carry bare
 * StreamResponse objects.
 */
public final class RestBinding implements Binding {
    private final URI root;
    private final String key;

    /** @param root the server's base URI, ending in "/" */
    public RestBinding(URI root, String key) {
        this.root = root;
        this.key = key;
    }

    @Override
    public String name() {
        return "HTTP+JSON";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean supports(Feature feature) {
        return true;
    }

    @Override
    public Binding as(String apiKey) {
        return new RestBinding(root, apiKey);
    }

    /**
     * The one way this binding builds a request: the tenant as the path prefix, ids in the path, GET filters in the
     * query, and what is left of a POST's params as its body (CancelTask's metadata, a push config).
     */
    private HttpCall request(Operation op, ObjectNode params) {
        ObjectNode p = params.deepCopy();
        JsonNode tenant = p.remove("tenant");
        String prefix = tenant == null ? "" : enc(tenant.asText()) + "/";
        String id = p.path("id").asText();
        String taskId = p.path("taskId").asText();
        return switch (op) {
            case SEND -> new HttpCall("POST", uri(prefix + "message:send"), p.toString());
            case STREAM -> new HttpCall("POST", uri(prefix + "message:stream"), p.toString());
            case GET -> new HttpCall("GET", uri(prefix + "tasks/" + enc(id) + query(p, "id")), null);
            case LIST -> new HttpCall("GET", uri(prefix + "tasks" + query(p)), null);
            case CANCEL -> new HttpCall("POST", uri(prefix + "tasks/" + enc(id) + ":cancel"),
                    optional(without(p, "id")));
            case SUBSCRIBE -> new HttpCall("GET", uri(prefix + "tasks/" + enc(id) + ":subscribe"), null);
            case PUSH_CREATE -> new HttpCall("POST", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs"),
                    without(p, "taskId").toString());
            case PUSH_LIST -> new HttpCall("GET", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs"),
                    null);
            case PUSH_GET -> new HttpCall("GET", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs/"
                    + enc(id)), null);
            case PUSH_DELETE -> new HttpCall("DELETE", uri(prefix + "tasks/" + enc(taskId)
                    + "/pushNotificationConfigs/" + enc(id)), null);
            case EXTENDED_CARD -> new HttpCall("GET", uri(prefix + "extendedAgentCard"), null);
        };
    }

    private static ObjectNode without(ObjectNode p, String inPath) {
        p.remove(inPath);
        return p;
    }

    /** A body only when the params carry more than the path does (a plain CancelTask sends none). */
    private static String optional(ObjectNode body) {
        return body.isEmpty() ? null : body.toString();
    }

    private URI uri(String path) {
        return URI.create(root + path); // not resolve(): "message:send" would parse as a scheme
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(ObjectNode p, String... skip) {
        StringBuilder q = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (java.util.Arrays.asList(skip).contains(e.getKey())) {
                continue;
            }
            q.append(q.isEmpty() ? '?' : '&').append(enc(e.getKey())).append('=').append(enc(e.getValue().asText()));
        }
        return q.toString();
    }

    @Override
    public Result call(Operation op, ObjectNode params) {
        return answer(request(op, params).send(key, "1.0"));
    }

    @Override
    public Result getOversized(int bodyBytes) {
        return call(Operation.PUSH_CREATE, Params.taskId("no-such-task", "url", "https://hook.invalid/"
                + "x".repeat(bodyBytes)));
    }

    @Override
    public Result withoutHost() {
        RawHttp.Answer a = request(Operation.LIST, Params.of()).withoutHost(key);
        return answer(new A2AHttp.Reply(a.status(), Map.of(), a.body()));
    }

    private Result answer(A2AHttp.Reply reply) {
        JsonNode json = reply.json();
        if (reply.status() != 200) {
            return new Result(name(), null, failure(json, reply.status()));
        }
        assertFalse(json.has("error"), reply::body);
        return new Result(name(), json, null);
    }

    private Failure failure(JsonNode body, int status) {
        JsonNode error = body.path("error");
        String reason = error.at("/details/0/reason").asText();
        ErrorTable.Entry expected = ErrorTable.of(reason);
        assertEquals(expected.httpStatus(), status, () -> name() + ": HTTP status of " + reason + ": " + body);
        assertEquals(status, error.path("code").asInt(), "AIP-193 code is the HTTP status");
        assertEquals(expected.grpcStatus(), error.path("status").asText(), () -> "AIP-193 status of " + body);
        assertEquals("a2a-protocol.org", error.at("/details/0/domain").asText());
        return new Failure(reason, error.path("message").asText());
    }

    @Override
    public LiveStream stream(Operation op, ObjectNode params) {
        A2AHttp.Stream s = request(op, params).open(key, "1.0");
        if (s.status() != 200) {
            String body = s.body();
            s.close();
            return new JsonRpcBinding.Events(null, answer(new A2AHttp.Reply(s.status(), Map.of(), body)).failure());
        }
        assertEquals(true, s.contentType().startsWith("text/event-stream"), s.contentType());
        return new JsonRpcBinding.Events(s, null) {
            @Override
            public JsonNode next() {
                JsonNode e = s.next();
                assertFalse(e != null && e.has("jsonrpc"), "REST streams carry bare StreamResponse objects");
                if (e != null && e.has("error")) {
                    // an early end: an AIP-193 error object as the last event, whose code stands for the HTTP status
                    ended = RestBinding.this.failure(e, e.at("/error/code").asInt());
                    assertEquals(null, s.next(), "nothing follows the error event");
                    return null;
                }
                return e;
            }
        };
    }
}
