package run.codetether.gateway.support.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import run.codetether.gateway.api.a2a.Operation;

/**
 * The test side's own 1.0 <-> 0.3 mapping (written from the two specs, not from the gateway's converter): 1.0
 * params into 0.3 params, 0.3 results back into the 1.0 form the suite asserts on. It also checks the 0.3
 * shapes it reads ({@code kind} members, {@code final} on status updates).
 */
final class V03Shapes {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private V03Shapes() {}

    static String method(Operation op) {
        return switch (op) {
            case SEND -> "message/send";
            case STREAM -> "message/stream";
            case GET -> "tasks/get";
            case CANCEL -> "tasks/cancel";
            case SUBSCRIBE -> "tasks/resubscribe";
            case PUSH_CREATE -> "tasks/pushNotificationConfig/set";
            case PUSH_GET -> "tasks/pushNotificationConfig/get";
            case PUSH_LIST -> "tasks/pushNotificationConfig/list";
            case PUSH_DELETE -> "tasks/pushNotificationConfig/delete";
            case EXTENDED_CARD -> "agent/getAuthenticatedExtendedCard";
            case LIST -> throw new AssertionError("A2A 0.3 has no ListTasks");
        };
    }

    // ---- 1.0 params -> 0.3 params

    static ObjectNode params(Operation op, ObjectNode p) {
        if (p.has("tenant")) {
            throw new AssertionError("A2A 0.3 has no tenant; the suite must not ask for one here");
        }
        ObjectNode out = F.objectNode();
        switch (op) {
            case SEND, STREAM -> {
                out.set("message", message(p.get("message")));
                JsonNode c = p.path("configuration");
                if (c.isObject()) {
                    ObjectNode oc = out.putObject("configuration");
                    if (c.has("returnImmediately")) {
                        oc.put("blocking", !c.get("returnImmediately").asBoolean());
                    }
                    copy(c, oc, "historyLength", "acceptedOutputModes");
                    if (c.has("taskPushNotificationConfig")) {
                        oc.set("pushNotificationConfig", push(c.get("taskPushNotificationConfig")));
                    }
                }
                copy(p, out, "metadata");
            }
            case GET -> copy(p, out, "id", "historyLength");
            case CANCEL, SUBSCRIBE -> copy(p, out, "id", "metadata"); // 0.3 TaskIdParams
            case PUSH_CREATE -> {
                out.set("taskId", p.get("taskId"));
                out.set("pushNotificationConfig", push(p));
            }
            case PUSH_GET, PUSH_DELETE -> {
                out.set("id", p.get("taskId"));
                copy(p, out, "id:pushNotificationConfigId");
            }
            case PUSH_LIST -> out.set("id", p.get("taskId"));
            case EXTENDED_CARD -> { }
            case LIST -> throw new AssertionError("A2A 0.3 has no ListTasks");
        }
        return out;
    }

    private static void copy(JsonNode from, ObjectNode to, String... names) {
        for (String n : names) {
            String[] fromTo = n.split(":");
            JsonNode v = from.get(fromTo[0]);
            if (v != null) {
                to.set(fromTo.length > 1 ? fromTo[1] : fromTo[0], v);
            }
        }
    }

    private static ObjectNode message(JsonNode m) {
        ObjectNode out = F.objectNode();
        out.put("kind", "message");
        copy(m, out, "messageId", "contextId", "taskId", "metadata", "referenceTaskIds", "extensions");
        out.put("role", m.path("role").asText().equals("ROLE_USER") ? "user" : "agent");
        ArrayNode parts = out.putArray("parts");
        for (JsonNode p : m.path("parts")) {
            ObjectNode q = parts.addObject();
            if (p.has("text")) {
                q.put("kind", "text").set("text", p.get("text"));
            } else if (p.has("raw") || p.has("url")) {
                q.put("kind", "file");
                ObjectNode f = q.putObject("file");
                copy(p, f, "raw:bytes", "url:uri", "filename:name", "mediaType:mimeType");
            } else {
                q.put("kind", "data").set("data", p.get("data"));
            }
            copy(p, q, "metadata");
        }
        return out;
    }

    private static ObjectNode push(JsonNode c) {
        ObjectNode out = F.objectNode();
        copy(c, out, "id", "url", "token");
        JsonNode auth = c.get("authentication");
        if (auth != null) {
            ObjectNode a = out.putObject("authentication");
            a.putArray("schemes").add(auth.path("scheme").asText());
            copy(auth, a, "credentials");
        }
        return out;
    }

    // ---- 0.3 results -> 1.0 form

    static JsonNode result(Operation op, JsonNode r) {
        return switch (op) {
            case SEND -> F.objectNode().set("task", task(r));
            case GET, CANCEL -> task(r);
            case PUSH_CREATE, PUSH_GET -> pushConfig(r);
            case PUSH_LIST -> {
                ObjectNode out = F.objectNode();
                ArrayNode configs = out.putArray("configs");
                r.forEach(c -> configs.add(pushConfig(c)));
                yield out;
            }
            case PUSH_DELETE -> {
                assertEquals(true, r.isNull(), "a 0.3 delete answers null: " + r);
                yield F.objectNode();
            }
            case EXTENDED_CARD -> {
                assertEquals("0.3.0", r.path("protocolVersion").asText(), "a 0.3 card");
                yield r;
            }
            default -> throw new AssertionError(op + " has no unary 0.3 result");
        };
    }

    /** A 0.3 stream item (a task, a status-update with {@code final}, an artifact-update) as a 1.0 StreamResponse. */
    static JsonNode streamItem(JsonNode item) {
        ObjectNode out = F.objectNode();
        switch (item.path("kind").asText()) {
            case "task" -> out.set("task", task(item));
            case "status-update" -> {
                ObjectNode u = out.putObject("statusUpdate");
                copy(item, u, "taskId", "contextId", "metadata");
                u.set("status", status(item.get("status")));
                String state = item.at("/status/state").asText();
                boolean last = state.equals("completed") || state.equals("failed") || state.equals("canceled")
                        || state.equals("rejected") || state.equals("input-required") || state.equals("auth-required");
                assertEquals(last, item.path("final").asBoolean(), "0.3 final flag of " + item);
            }
            case "artifact-update" -> {
                ObjectNode u = out.putObject("artifactUpdate");
                copy(item, u, "taskId", "contextId", "append", "lastChunk");
                u.set("artifact", artifact(item.get("artifact")));
            }
            default -> throw new AssertionError("not a 0.3 stream item: " + item);
        }
        return out;
    }

    static ObjectNode task(JsonNode t) {
        assertEquals("task", t.path("kind").asText(), () -> "a 0.3 task has kind task: " + t);
        ObjectNode out = F.objectNode();
        copy(t, out, "id", "contextId", "metadata");
        out.set("status", status(t.get("status")));
        if (t.has("artifacts")) {
            ArrayNode a = out.putArray("artifacts");
            t.get("artifacts").forEach(x -> a.add(artifact(x)));
        }
        if (t.has("history")) {
            ArrayNode h = out.putArray("history");
            t.get("history").forEach(m -> h.add(message10(m)));
        }
        return out;
    }

    private static ObjectNode status(JsonNode s) {
        ObjectNode out = F.objectNode();
        out.put("state", "TASK_STATE_" + s.path("state").asText().toUpperCase(Locale.ROOT).replace('-', '_'));
        if (s.has("message")) {
            out.set("message", message10(s.get("message")));
        }
        copy(s, out, "timestamp");
        return out;
    }

    private static ObjectNode message10(JsonNode m) {
        assertEquals("message", m.path("kind").asText(), () -> "a 0.3 message has kind message: " + m);
        ObjectNode out = F.objectNode();
        copy(m, out, "messageId", "contextId", "taskId", "metadata");
        out.put("role", m.path("role").asText().equals("user") ? "ROLE_USER" : "ROLE_AGENT");
        out.set("parts", parts10(m.path("parts")));
        return out;
    }

    private static ObjectNode artifact(JsonNode a) {
        ObjectNode out = F.objectNode();
        copy(a, out, "artifactId", "name", "description", "metadata");
        out.set("parts", parts10(a.path("parts")));
        return out;
    }

    private static ArrayNode parts10(JsonNode parts) {
        ArrayNode out = F.arrayNode();
        for (JsonNode p : parts) {
            ObjectNode q = out.addObject();
            switch (p.path("kind").asText()) {
                case "text" -> q.set("text", p.get("text"));
                case "file" -> copy(p.get("file"), q, "bytes:raw", "uri:url", "name:filename", "mimeType:mediaType");
                case "data" -> q.set("data", p.get("data"));
                default -> throw new AssertionError("not a 0.3 part: " + p);
            }
            copy(p, q, "metadata");
        }
        return out;
    }

    private static ObjectNode pushConfig(JsonNode r) {
        ObjectNode out = F.objectNode();
        JsonNode c = r.path("pushNotificationConfig");
        copy(c, out, "id", "url", "token");
        copy(r, out, "taskId");
        JsonNode schemes = c.path("authentication").path("schemes");
        if (schemes.isArray() && !schemes.isEmpty()) {
            out.putObject("authentication").set("scheme", schemes.get(0));
        }
        if (c.path("authentication").has("credentials")) { // a leak: the suite asserts it never happens
            ObjectNode a = out.has("authentication") ? (ObjectNode) out.get("authentication")
                    : out.putObject("authentication");
            a.set("credentials", c.at("/authentication/credentials"));
        }
        return out;
    }
}
