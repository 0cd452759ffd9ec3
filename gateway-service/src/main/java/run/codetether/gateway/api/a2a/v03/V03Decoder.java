package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.gateway.api.a2a.Fields;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.handler.NewPushConfig;
import run.codetether.gateway.domain.handler.TaskQuery;
import run.codetether.gateway.domain.handler.TaskRef;

/**
 * A2A 0.3 request params into the handler's (1.0) typed parameters: {@code kind} discriminators, roles
 * "user"/"agent", file parts as {@code {file: {bytes|uri, mimeType, name}}}, {@code blocking} instead of
 * {@code returnImmediately}, push configs under {@code pushNotificationConfig} with a list of schemes. 0.3 has no
 * tenant. Every wrong field is INVALID_PARAMS naming its path.
 */
public final class V03Decoder {
    private static final String P = "params";

    private V03Decoder() {}

    public static SendRequest send(ObjectNode params) {
        Message message = message(Fields.object(params.get("message"), "params.message"), "params.message");
        ObjectNode config = Fields.optObject(params, "configuration", P);
        Integer historyLength = null;
        boolean blocking = true;
        List<String> accepted = List.of();
        PushConfig push = null;
        if (config != null) {
            String p = "params.configuration";
            historyLength = Fields.optNonNegative(config, "historyLength", p);
            Boolean b = Fields.optBool(config, "blocking", p);
            blocking = b == null || b;
            accepted = Fields.optStrings(config, "acceptedOutputModes", p);
            ObjectNode pc = Fields.optObject(config, "pushNotificationConfig", p);
            if (pc != null) {
                push = pushBody(pc, null, p + ".pushNotificationConfig");
            }
        }
        return new SendRequest(message, null, historyLength, !blocking, accepted, push,
                Fields.metadata(params, "metadata", P));
    }

    private static Message message(ObjectNode m, String path) {
        JsonNode kind = m.get("kind");
        if (kind != null && !"message".equals(kind.asText())) {
            throw A2AException.invalidParams(path + ".kind must be \"message\"");
        }
        String messageId = Fields.string(m, "messageId", path);
        String roleText = Fields.optString(m, "role", path);
        Role role;
        if ("user".equals(roleText)) {
            role = Role.USER;
        } else if ("agent".equals(roleText)) {
            role = Role.AGENT;
        } else {
            throw A2AException.invalidParams(path + ".role must be \"user\" or \"agent\"");
        }
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

    private static Part part(JsonNode node, String path) {
        ObjectNode p = Fields.object(node, path);
        String kind = Fields.string(p, "kind", path);
        Map<String, Object> metadata = Fields.metadata(p, "metadata", path);
        switch (kind) {
            case "text" -> {
                JsonNode t = p.get("text");
                if (t == null || !t.isTextual()) {
                    throw A2AException.invalidParams(path + ".text must be a string");
                }
                return new Part.Text(t.textValue(), metadata);
            }
            case "file" -> {
                ObjectNode f = Fields.object(p.get("file"), path + ".file");
                String fp = path + ".file";
                String bytes = Fields.optString(f, "bytes", fp);
                String uri = Fields.optString(f, "uri", fp);
                if ((bytes == null) == (uri == null)) {
                    throw A2AException.invalidParams(fp + " must have exactly one of bytes, uri");
                }
                if (uri != null && uri.isBlank()) {
                    throw A2AException.invalidParams(fp + ".uri must not be empty");
                }
                return new Part.File(Fields.optString(f, "name", fp), Fields.optString(f, "mimeType", fp),
                        bytes == null ? null : Fields.base64(bytes, fp + ".bytes"), uri, metadata);
            }
            case "data" -> {
                JsonNode d = p.get("data");
                if (d == null || !d.isObject()) {
                    throw A2AException.invalidParams(path + ".data must be an object");
                }
                return new Part.Data(WireJson.MAPPER.convertValue(d, Object.class), metadata);
            }
            default -> throw A2AException.invalidParams(path + ".kind must be text, file or data");
        }
    }

    /** tasks/get. */
    public static TaskQuery taskQuery(ObjectNode params) {
        return new TaskQuery(Fields.string(params, "id", P), Fields.optNonNegative(params, "historyLength", P), null);
    }

    /** tasks/cancel, tasks/resubscribe, tasks/pushNotificationConfig/list: {@code {id}}. */
    public static TaskRef taskRef(ObjectNode params) {
        return new TaskRef(Fields.string(params, "id", P), null);
    }

    /** tasks/pushNotificationConfig/set: {@code {taskId, pushNotificationConfig}}. */
    public static NewPushConfig newPushConfig(ObjectNode params) {
        String taskId = Fields.string(params, "taskId", P);
        ObjectNode c = Fields.object(params.get("pushNotificationConfig"), "params.pushNotificationConfig");
        return new NewPushConfig(pushBody(c, taskId, "params.pushNotificationConfig"), null);
    }

    private static PushConfig pushBody(ObjectNode c, String taskId, String path) {
        String url = Fields.string(c, "url", path);
        ObjectNode auth = Fields.optObject(c, "authentication", path);
        String scheme = null;
        String credentials = null;
        if (auth != null) {
            List<String> schemes = Fields.optStrings(auth, "schemes", path + ".authentication");
            if (schemes.isEmpty()) {
                throw A2AException.invalidParams(path + ".authentication.schemes must name a scheme");
            }
            scheme = schemes.get(0);
            credentials = Fields.optString(auth, "credentials", path + ".authentication");
        }
        return new PushConfig(taskId, Fields.optString(c, "id", path), url, Fields.optString(c, "token", path),
                scheme, credentials);
    }

    /** tasks/pushNotificationConfig/get|delete: the task id. */
    public static String pushConfigTask(ObjectNode params) {
        return Fields.string(params, "id", P);
    }

    /** tasks/pushNotificationConfig/get|delete: the config id, or null (get may leave it out: the first config). */
    public static String pushConfigId(ObjectNode params) {
        return Fields.optString(params, "pushNotificationConfigId", P);
    }
}
