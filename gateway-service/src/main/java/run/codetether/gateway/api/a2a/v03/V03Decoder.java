package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.gateway.api.a2a.A2AJsonReader;
import run.codetether.gateway.api.a2a.Fields;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.handler.NewPushConfig;
import run.codetether.gateway.domain.handler.TaskQuery;
import run.codetether.gateway.domain.handler.TaskRef;

/**
 * A2A 0.3 request params into the handler's (1.0) typed parameters: {@code kind} discriminators, roles
 * "user"/"agent", file parts as {@code {file: {bytes|uri, mimeType, name}}}, {@code blocking} instead of
 * {@code returnImmediately}, push configs under {@code pushNotificationConfig} with a list of schemes. 0.3 has no
 * tenant. Every wrong field is INVALID_PARAMS naming its path. The members both versions share are read by
 * {@link A2AJsonReader}; this class converts 0.3's names and shapes at the edge.
 */
public final class V03Decoder {
    private static final String P = "params";
    private static final Names V03 = new Names();

    private V03Decoder() {}

    public static SendRequest send(ObjectNode params) {
        return V03.send(params, null);
    }

    /** The shared request objects with 0.3's names and shapes. */
    private static final class Names extends A2AJsonReader {
        @Override
        protected void checkKind(ObjectNode m, String path) {
            JsonNode kind = m.get("kind");
            if (kind != null && !"message".equals(kind.asText())) {
                throw A2AException.invalidParams(path + ".kind must be \"message\"");
            }
        }

        @Override
        protected Role role(ObjectNode m, String path) {
            String roleText = Fields.optString(m, "role", path);
            if ("user".equals(roleText)) {
                return Role.USER;
            }
            if ("agent".equals(roleText)) {
                return Role.AGENT;
            }
            throw A2AException.invalidParams(path + ".role must be \"user\" or \"agent\"");
        }

        @Override
        protected Part part(JsonNode node, String path) {
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
                    return file(Fields.object(p.get("file"), path + ".file"), path + ".file", metadata);
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

        private static Part file(ObjectNode f, String fp, Map<String, Object> metadata) {
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

        @Override
        protected boolean returnImmediately(ObjectNode config, String path) {
            Boolean blocking = Fields.optBool(config, "blocking", path);
            return blocking != null && !blocking;
        }

        @Override
        protected String pushConfigMember() {
            return "pushNotificationConfig";
        }

        @Override
        protected String authScheme(ObjectNode auth, String path) {
            List<String> schemes = Fields.optStrings(auth, "schemes", path);
            if (schemes.isEmpty()) {
                throw A2AException.invalidParams(path + ".schemes must name a scheme");
            }
            return schemes.get(0);
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
        return new NewPushConfig(V03.pushConfigBody(c, taskId, "params.pushNotificationConfig"), null);
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
