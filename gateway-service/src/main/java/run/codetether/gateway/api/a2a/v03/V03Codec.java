package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.api.a2a.Fields;
import run.codetether.gateway.api.a2a.WireCodec;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.Tasks;

/**
 * A2A 0.3 wire shapes, converted at the edge to the core model: {@code kind} discriminators, lower-case
 * kebab states ("input-required"), roles "user"/"agent", file parts as {@code {file: {bytes|uri, mimeType, name}}},
 * status updates with {@code final}, results unwrapped (a Task, not {@code {task: ...}}).
 */
public final class V03Codec implements WireCodec {
    public static final V03Codec INSTANCE = new V03Codec();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public String version() {
        return "0.3";
    }

    @Override
    public SendRequest sendRequest(ObjectNode params) {
        Message message = message(Fields.object(params.get("message"), "params.message"), "params.message");
        ObjectNode config = Fields.optObject(params, "configuration", "params");
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
                Fields.metadata(params, "metadata", "params"));
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
        List<Part> parts = new ArrayList<>();
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

    @Override
    public String taskId(ObjectNode params) {
        return Fields.string(params, "id", "params");
    }

    @Override
    public Integer historyLength(ObjectNode params) {
        return Fields.optNonNegative(params, "historyLength", "params");
    }

    @Override
    public String tenant(ObjectNode params) {
        return null;
    }

    @Override
    public ListQuery listQuery(ObjectNode params) {
        throw new A2AException(A2AError.METHOD_NOT_FOUND, "A2A 0.3 has no tasks/list; use ListTasks with 1.0");
    }

    @Override
    public JsonNode taskPage(TaskPage page) {
        throw new A2AException(A2AError.METHOD_NOT_FOUND, "A2A 0.3 has no tasks/list");
    }

    @Override
    public PushConfig pushConfig(ObjectNode params) {
        String taskId = Fields.string(params, "taskId", "params");
        ObjectNode c = Fields.object(params.get("pushNotificationConfig"), "params.pushNotificationConfig");
        return pushBody(c, taskId, "params.pushNotificationConfig");
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

    @Override
    public String[] pushConfigRef(ObjectNode params) {
        return new String[] {Fields.string(params, "id", "params"),
            Fields.optString(params, "pushNotificationConfigId", "params")};
    }

    @Override
    public String pushConfigTask(ObjectNode params) {
        return Fields.string(params, "id", "params");
    }

    // ---- results

    @Override
    public JsonNode sendResult(Task task, Integer historyLength) {
        return task(task, historyLength);
    }

    @Override
    public JsonNode streamTask(Task task) {
        return task(task, null);
    }

    @Override
    public JsonNode streamEvent(TaskEvent event, Task after) {
        ObjectNode out = F.objectNode();
        switch (event) {
            case TaskEvent.StatusChanged s -> {
                TaskState state = after.status().state();
                out.put("kind", "status-update");
                out.put("taskId", s.taskId());
                out.put("contextId", after.contextId());
                out.set("status", status(after.status()));
                out.put("final", state.isTerminal() || state.isInterrupted());
                Map<String, Object> md = Tasks.publicMetadata(s.metadata());
                if (!md.isEmpty()) {
                    out.set("metadata", WireJson.MAPPER.valueToTree(md));
                }
            }
            case TaskEvent.ArtifactAdded a -> {
                out.put("kind", "artifact-update");
                out.put("taskId", a.taskId());
                out.put("contextId", after.contextId());
                out.set("artifact", artifact(a.artifact()));
                out.put("append", a.append());
                out.put("lastChunk", a.lastChunk());
            }
            case TaskEvent.MessageAdded m -> {
                return null;
            }
        }
        return out;
    }

    @Override
    public JsonNode task(Task task, Integer historyLength) {
        Task t = Tasks.trimHistory(task, historyLength);
        ObjectNode out = F.objectNode();
        out.put("kind", "task");
        out.put("id", t.id());
        out.put("contextId", t.contextId());
        out.set("status", status(t.status()));
        if (!t.artifacts().isEmpty()) {
            ArrayNode a = out.putArray("artifacts");
            t.artifacts().forEach(x -> a.add(artifact(x)));
        }
        if (!t.history().isEmpty()) {
            ArrayNode h = out.putArray("history");
            t.history().forEach(m -> h.add(message(m)));
        }
        Map<String, Object> md = Tasks.publicMetadata(t.metadata());
        if (!md.isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(md));
        }
        return out;
    }

    public static String state(TaskState s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static ObjectNode status(TaskStatus s) {
        ObjectNode out = F.objectNode();
        out.put("state", state(s.state()));
        if (s.message() != null) {
            out.set("message", message(s.message()));
        }
        out.put("timestamp", WireJson.timestamp(s.timestamp()));
        return out;
    }

    public static ObjectNode message(Message m) {
        ObjectNode out = F.objectNode();
        out.put("kind", "message");
        out.put("messageId", m.messageId());
        out.put("role", m.role() == Role.USER ? "user" : "agent");
        ArrayNode parts = out.putArray("parts");
        m.parts().forEach(p -> parts.add(part(p)));
        if (m.contextId() != null) {
            out.put("contextId", m.contextId());
        }
        if (m.taskId() != null) {
            out.put("taskId", m.taskId());
        }
        if (!m.referenceTaskIds().isEmpty()) {
            ArrayNode r = out.putArray("referenceTaskIds");
            m.referenceTaskIds().forEach(r::add);
        }
        if (!m.extensions().isEmpty()) {
            ArrayNode e = out.putArray("extensions");
            m.extensions().forEach(e::add);
        }
        if (!m.metadata().isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(m.metadata()));
        }
        return out;
    }

    private static ObjectNode artifact(Artifact a) {
        ObjectNode out = F.objectNode();
        out.put("artifactId", a.artifactId());
        if (a.name() != null) {
            out.put("name", a.name());
        }
        if (a.description() != null) {
            out.put("description", a.description());
        }
        ArrayNode parts = out.putArray("parts");
        a.parts().forEach(p -> parts.add(part(p)));
        if (!a.metadata().isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(a.metadata()));
        }
        return out;
    }

    private static ObjectNode part(Part p) {
        ObjectNode out = F.objectNode();
        switch (p) {
            case Part.Text t -> out.put("kind", "text").put("text", t.text());
            case Part.File f -> {
                out.put("kind", "file");
                ObjectNode file = out.putObject("file");
                if (f.bytesBase64() != null) {
                    file.put("bytes", f.bytesBase64());
                } else {
                    file.put("uri", f.uri());
                }
                if (f.name() != null) {
                    file.put("name", f.name());
                }
                if (f.mediaType() != null) {
                    file.put("mimeType", f.mediaType());
                }
            }
            case Part.Data d -> {
                out.put("kind", "data");
                JsonNode data = WireJson.MAPPER.valueToTree(d.data());
                // 0.3 data parts are objects; a 1.0 scalar or array is wrapped so a 0.3 client can read it
                out.set("data", data.isObject() ? data : F.objectNode().set("value", data));
            }
        }
        if (!p.metadata().isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(p.metadata()));
        }
        return out;
    }

    @Override
    public JsonNode pushConfig(PushConfig c) {
        ObjectNode out = F.objectNode();
        out.put("taskId", c.taskId());
        ObjectNode pc = out.putObject("pushNotificationConfig");
        pc.put("id", c.id());
        pc.put("url", c.url());
        if (c.token() != null) {
            pc.put("token", c.token());
        }
        if (c.authScheme() != null) {
            pc.putObject("authentication").putArray("schemes").add(c.authScheme());
        }
        return out;
    }

    @Override
    public JsonNode pushConfigs(List<PushConfig> configs) {
        ArrayNode a = F.arrayNode();
        configs.forEach(c -> a.add(pushConfig(c)));
        return a;
    }
}
