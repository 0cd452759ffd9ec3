package run.codetether.gateway.support.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** A2A 1.0 request params for the suite, built fluently on Jackson objects. */
public final class Params {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Params() {}

    /** SendMessage params with one user text part. */
    public static ObjectNode send(String text) {
        ObjectNode p = F.objectNode();
        ObjectNode m = p.putObject("message");
        m.put("messageId", UUID.randomUUID().toString());
        m.put("role", "ROLE_USER");
        m.putArray("parts").addObject().put("text", text);
        return p;
    }

    public static ObjectNode message(ObjectNode sendParams) {
        return (ObjectNode) sendParams.get("message");
    }

    public static ObjectNode config(ObjectNode sendParams) {
        return sendParams.has("configuration") ? (ObjectNode) sendParams.get("configuration")
                : sendParams.putObject("configuration");
    }

    public static ObjectNode returnImmediately(ObjectNode sendParams) {
        config(sendParams).put("returnImmediately", true);
        return sendParams;
    }

    /** Puts {@code value} under {@code key} in the message's metadata. */
    public static ObjectNode messageMetadata(ObjectNode sendParams, String key, Object value) {
        ObjectNode m = message(sendParams);
        ObjectNode md = m.has("metadata") ? (ObjectNode) m.get("metadata") : m.putObject("metadata");
        md.set(key, json(value));
        return sendParams;
    }

    private static JsonNode json(Object value) {
        return run.codetether.gateway.support.A2AHttp.JSON.valueToTree(value);
    }

    /** {@code {"id": id}} plus name/value pairs. */
    public static ObjectNode id(String id, Object... more) {
        return with(F.objectNode().put("id", id), more);
    }

    /** {@code {"taskId": taskId}} plus name/value pairs. */
    public static ObjectNode taskId(String taskId, Object... more) {
        return with(F.objectNode().put("taskId", taskId), more);
    }

    public static ObjectNode of(Object... pairs) {
        return with(F.objectNode(), pairs);
    }

    private static ObjectNode with(ObjectNode o, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            o.set((String) pairs[i], json(pairs[i + 1]));
        }
        return o;
    }
}
