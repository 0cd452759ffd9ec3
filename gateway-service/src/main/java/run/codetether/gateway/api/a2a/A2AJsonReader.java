package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;

/**
 * A2A request params into the handler's typed parameters, once for both protocol versions: a message, SendMessage's
 * configuration and a push config's body have the same members in 1.0 and 0.3 around a few that differ (role and
 * part shapes, {@code kind}, the "return at once" flag, where the push config sits and how its scheme is named);
 * those are hooks, filled by {@link V10Decoder} with 1.0's names and by {@code v03.V03Decoder} with 0.3's. Pure:
 * every wrong type or missing field is INVALID_PARAMS naming its path.
 */
public abstract class A2AJsonReader {
    private static final String P = "params";

    /** Refuses a message object of the other version's shape (0.3's {@code kind}, or a wrong kind). */
    protected abstract void checkKind(ObjectNode message, String path);

    protected abstract Role role(ObjectNode message, String path);

    protected abstract Part part(JsonNode node, String path);

    /** SendMessage's "answer before the task finishes" flag from its configuration object. */
    protected abstract boolean returnImmediately(ObjectNode configuration, String path);

    /** The configuration member that holds a push config for the new task. */
    protected abstract String pushConfigMember();

    /** The scheme named in a push config's {@code authentication} object. */
    protected abstract String authScheme(ObjectNode authentication, String path);

    public SendRequest send(ObjectNode params, String tenant) {
        Message message = message(Fields.object(params.get("message"), "params.message"), "params.message");
        ObjectNode config = Fields.optObject(params, "configuration", P);
        Integer historyLength = null;
        boolean returnImmediately = false;
        List<String> accepted = List.of();
        PushConfig push = null;
        if (config != null) {
            String p = "params.configuration";
            historyLength = Fields.optNonNegative(config, "historyLength", p);
            returnImmediately = returnImmediately(config, p);
            accepted = Fields.optStrings(config, "acceptedOutputModes", p);
            ObjectNode pc = Fields.optObject(config, pushConfigMember(), p);
            if (pc != null) {
                String path = p + "." + pushConfigMember();
                push = pushConfigBody(pc, Fields.optString(pc, "taskId", path), path);
            }
        }
        return new SendRequest(message, tenant, historyLength, returnImmediately, accepted, push,
                Fields.metadata(params, "metadata", P));
    }

    public Message message(ObjectNode m, String path) {
        checkKind(m, path);
        String messageId = Fields.string(m, "messageId", path);
        Role role = role(m, path);
        JsonNode partsNode = m.get("parts");
        if (partsNode == null || !partsNode.isArray() || partsNode.isEmpty()) {
            throw A2AException.invalidParams(path + ".parts must be a non-empty array");
        }
        List<Part> parts = new ArrayList<>(partsNode.size());
        for (int i = 0; i < partsNode.size(); i++) {
            parts.add(part(partsNode.get(i), path + ".parts[" + i + "]"));
        }
        return new Message(messageId, role, parts, Fields.optString(m, "contextId", path),
                Fields.optString(m, "taskId", path), Fields.optStrings(m, "referenceTaskIds", path),
                Fields.optStrings(m, "extensions", path), Fields.metadata(m, "metadata", path));
    }

    /** A push config's url, authentication, id and token; {@code taskId} is where the version carries it. */
    public PushConfig pushConfigBody(ObjectNode c, String taskId, String path) {
        String url = Fields.string(c, "url", path);
        ObjectNode auth = Fields.optObject(c, "authentication", path);
        String scheme = null;
        String credentials = null;
        if (auth != null) {
            scheme = authScheme(auth, path + ".authentication");
            credentials = Fields.optString(auth, "credentials", path + ".authentication");
        }
        return new PushConfig(taskId, Fields.optString(c, "id", path), url, Fields.optString(c, "token", path),
                scheme, credentials);
    }
}
