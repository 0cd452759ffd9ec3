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

    private record Request(String method, URI uri, String body) {}

    private Request request(Op op, ObjectNode params) {
        ObjectNode p = params.deepCopy();
        JsonNode tenant = p.remove("tenant");
        String prefix = tenant == null ? "" : enc(tenant.asText()) + "/";
        String id = p.path("id").asText();
        String taskId = p.path("taskId").asText();
        return switch (op) {
            case SEND -> new Request("POST", uri(prefix + "message:send"), p.toString());
            case STREAM -> new Request("POST", uri(prefix + "message:stream"), p.toString());
            case GET -> new Request("GET", uri(prefix + "tasks/" + enc(id) + query(p, "id")), null);
            case LIST -> new Request("GET", uri(prefix + "tasks" + query(p)), null);
            case CANCEL -> new Request("POST", uri(prefix + "tasks/" + enc(id) + ":cancel"), null);
            case SUBSCRIBE -> new Request("GET", uri(prefix + "tasks/" + enc(id) + ":subscribe"), null);
            case PUSH_CREATE -> {
                p.remove("taskId");
                yield new Request("POST", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs"),
                        p.toString());
            }
            case PUSH_LIST -> new Request("GET", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs"),
                    null);
            case PUSH_GET -> new Request("GET", uri(prefix + "tasks/" + enc(taskId) + "/pushNotificationConfigs/"
                    + enc(id)), null);
            case PUSH_DELETE -> new Request("DELETE", uri(prefix + "tasks/" + enc(taskId)
                    + "/pushNotificationConfigs/" + enc(id)), null);
            case EXTENDED_CARD -> new Request("GET", uri(prefix + "extendedAgentCard"), null);
        };
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
    public Result call(Op op, ObjectNode params) {
        Request r = request(op, params);
        return answer(A2AHttp.send(r.method(), r.uri(), r.body(), key, "1.0"));
    }

    @Override
    public Result sendOversized(int bodyBytes) {
        String body = "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\""
                + "x".repeat(bodyBytes) + "\"}]}}";
        return answer(A2AHttp.post(uri("message:send"), body, key, "1.0"));
    }

    @Override
    public Result cancelOversized(int bodyBytes) {
        return answer(A2AHttp.post(uri("tasks/no-such-task:cancel"), "{\"metadata\":{\"pad\":\""
                + "x".repeat(bodyBytes) + "\"}}", key, "1.0"));
    }

    @Override
    public Result getOversized(int bodyBytes) {
        return answer(A2AHttp.post(uri("tasks/no-such-task/pushNotificationConfigs"), "{\"url\":\"https://hook.invalid/"
                + "x".repeat(bodyBytes) + "\"}", key, "1.0"));
    }

    @Override
    public Result withoutHost() {
        RawHttp.Answer a = RawHttp.send(root, "GET /tasks HTTP/1.1\r\nAuthorization: Bearer " + key, null);
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
    public LiveStream stream(Op op, ObjectNode params) {
        Request r = request(op, params);
        A2AHttp.Stream s = A2AHttp.open(r.method(), r.uri(), r.body(), key, "1.0");
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
                    // an early end: an AIP-193 error object as the last event
                    JsonNode error = e.get("error");
                    String reason = error.at("/details/0/reason").asText();
                    ErrorTable.Entry expected = ErrorTable.of(reason);
                    assertEquals(expected.grpcStatus(), error.path("status").asText(), () -> "status of " + e);
                    assertEquals(expected.httpStatus(), error.path("code").asInt(), () -> "code of " + e);
                    ended = new Failure(reason, error.path("message").asText());
                    assertEquals(null, s.next(), "nothing follows the error event");
                    return null;
                }
                return e;
            }
        };
    }
}
