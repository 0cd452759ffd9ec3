package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.Tasks;

/** A2A 1.0 wire shapes (ProtoJSON of a2a.proto: camelCase fields, SCREAMING_SNAKE enums, oneof wrappers). */
public final class V10Codec implements WireCodec {
    public static final V10Codec INSTANCE = new V10Codec();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public String version() {
        return "1.0";
    }

    // ---- requests

    @Override
    public SendRequest sendRequest(ObjectNode params) {
        Message message = message(Fields.object(params.get("message"), "params.message"), "params.message");
        ObjectNode config = Fields.optObject(params, "configuration", "params");
        Integer historyLength = null;
        boolean returnImmediately = false;
        List<String> accepted = List.of();
        PushConfig push = null;
        if (config != null) {
            String p = "params.configuration";
            historyLength = Fields.optNonNegative(config, "historyLength", p);
            Boolean ri = Fields.optBool(config, "returnImmediately", p);
            // "blocking" is the 1.0 release candidates' spelling (still sent by SDKs built on them)
            Boolean blocking = Fields.optBool(config, "blocking", p);
            returnImmediately = ri != null ? ri : blocking != null && !blocking;
            accepted = Fields.optStrings(config, "acceptedOutputModes", p);
            ObjectNode pc = Fields.optObject(config, "taskPushNotificationConfig", p);
            if (pc != null) {
                push = pushConfigBody(pc, p + ".taskPushNotificationConfig");
            }
        }
        return new SendRequest(message, Fields.optString(params, "tenant", "params"), historyLength,
                returnImmediately, accepted, push, Fields.metadata(params, "metadata", "params"));
    }

    public Message message(ObjectNode m, String path) {
        if (m.has("kind")) {
            throw A2AException.invalidParams(path + " has a 'kind' member: that is the A2A 0.3 shape; "
                    + "send header A2A-Version: 0.3 or use the 1.0 shape");
        }
        String messageId = Fields.string(m, "messageId", path);
        Role role = role(m.get("role"), path + ".role");
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

    private static Role role(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            throw A2AException.invalidParams(path + " is required");
        }
        String v = n.isTextual() ? n.textValue() : n.isInt() ? String.valueOf(n.intValue()) : "";
        return switch (v) {
            case "ROLE_USER", "1" -> Role.USER;
            case "ROLE_AGENT", "2" -> Role.AGENT;
            default -> throw A2AException.invalidParams(path + " must be ROLE_USER or ROLE_AGENT");
        };
    }

    private static Part part(JsonNode node, String path) {
        ObjectNode p = Fields.object(node, path);
        if (p.has("kind")) {
            throw A2AException.invalidParams(path + " has a 'kind' member: that is the A2A 0.3 shape");
        }
        int set = (p.hasNonNull("text") ? 1 : 0) + (p.hasNonNull("raw") ? 1 : 0) + (p.hasNonNull("url") ? 1 : 0)
                + (p.has("data") ? 1 : 0);
        if (set != 1) {
            throw A2AException.invalidParams(path + " must have exactly one of text, raw, url, data");
        }
        Map<String, Object> metadata = Fields.metadata(p, "metadata", path);
        String filename = Fields.optString(p, "filename", path);
        String mediaType = Fields.optString(p, "mediaType", path);
        if (p.hasNonNull("text")) {
            return new Part.Text(Fields.optString(p, "text", path), metadata);
        }
        if (p.hasNonNull("raw")) {
            String raw = Fields.base64(Fields.optString(p, "raw", path), path + ".raw");
            return new Part.File(filename, mediaType, raw, null, metadata);
        }
        if (p.hasNonNull("url")) {
            String url = Fields.optString(p, "url", path);
            if (url.isBlank()) {
                throw A2AException.invalidParams(path + ".url must not be empty");
            }
            return new Part.File(filename, mediaType, null, url, metadata);
        }
        JsonNode data = p.get("data");
        if (data.isNull()) {
            throw A2AException.invalidParams(path + ".data must not be null");
        }
        return new Part.Data(WireJson.MAPPER.convertValue(data, Object.class), metadata);
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
        return Fields.optString(params, "tenant", "params");
    }

    @Override
    public ListQuery listQuery(ObjectNode params) {
        String p = "params";
        Integer pageSize = Fields.optInt(params, "pageSize", p);
        String statusText = Fields.optString(params, "status", p);
        TaskState status = statusText == null || statusText.equals("TASK_STATE_UNSPECIFIED") ? null
                : state(statusText, p + ".status");
        String after = Fields.optString(params, "statusTimestampAfter", p);
        Instant afterTs = null;
        if (after != null) {
            try {
                afterTs = Instant.parse(after);
            } catch (DateTimeParseException e) {
                throw A2AException.invalidParams(p + ".statusTimestampAfter must be an ISO 8601 UTC timestamp");
            }
        }
        Boolean include = Fields.optBool(params, "includeArtifacts", p);
        return new ListQuery(tenant(params), Fields.optString(params, "contextId", p), status,
                pageSize == null || pageSize == 0 ? ListQuery.DEFAULT_PAGE_SIZE : pageSize,
                Fields.optString(params, "pageToken", p), Fields.optNonNegative(params, "historyLength", p), afterTs,
                include != null && include);
    }

    static TaskState state(String wire, String path) {
        if (wire.startsWith("TASK_STATE_")) {
            try {
                return TaskState.valueOf(wire.substring("TASK_STATE_".length()));
            } catch (IllegalArgumentException e) {
                // fall through to the error below
            }
        }
        throw A2AException.invalidParams(path + " is not a TaskState (e.g. TASK_STATE_WORKING)");
    }

    @Override
    public PushConfig pushConfig(ObjectNode params) {
        PushConfig c = pushConfigBody(params, "params");
        return c.withIds(Fields.string(params, "taskId", "params"), c.id());
    }

    private static PushConfig pushConfigBody(ObjectNode c, String path) {
        String url = Fields.string(c, "url", path);
        ObjectNode auth = Fields.optObject(c, "authentication", path);
        String scheme = null;
        String credentials = null;
        if (auth != null) {
            scheme = Fields.string(auth, "scheme", path + ".authentication");
            credentials = Fields.optString(auth, "credentials", path + ".authentication");
        }
        return new PushConfig(Fields.optString(c, "taskId", path), Fields.optString(c, "id", path), url,
                Fields.optString(c, "token", path), scheme, credentials);
    }

    @Override
    public String[] pushConfigRef(ObjectNode params) {
        return new String[] {Fields.string(params, "taskId", "params"), Fields.string(params, "id", "params")};
    }

    @Override
    public String pushConfigTask(ObjectNode params) {
        return Fields.string(params, "taskId", "params");
    }

    // ---- results

    @Override
    public JsonNode sendResult(Task task, Integer historyLength) {
        ObjectNode out = F.objectNode();
        out.set("task", task(task, historyLength));
        return out;
    }

    @Override
    public JsonNode streamTask(Task task) {
        ObjectNode out = F.objectNode();
        out.set("task", task(task, null));
        return out;
    }

    @Override
    public JsonNode streamEvent(TaskEvent event, Task after) {
        ObjectNode out = F.objectNode();
        switch (event) {
            case TaskEvent.StatusChanged s -> {
                ObjectNode u = out.putObject("statusUpdate");
                u.put("taskId", s.taskId());
                u.put("contextId", after.contextId());
                u.set("status", status(after.status()));
                putMetadata(u, Tasks.publicMetadata(s.metadata()));
            }
            case TaskEvent.ArtifactAdded a -> {
                ObjectNode u = out.putObject("artifactUpdate");
                u.put("taskId", a.taskId());
                u.put("contextId", after.contextId());
                u.set("artifact", artifact(a.artifact()));
                u.put("append", a.append());
                u.put("lastChunk", a.lastChunk());
            }
            case TaskEvent.MessageAdded m -> {
                return null; // folded into history; a 1.0 task stream carries only task, status and artifact items
            }
        }
        return out;
    }

    @Override
    public JsonNode task(Task task, Integer historyLength) {
        Task t = Tasks.trimHistory(task, historyLength);
        ObjectNode out = F.objectNode();
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
        putMetadata(out, Tasks.publicMetadata(t.metadata()));
        return out;
    }

    /** ListTasks: artifacts omitted unless asked for (the engine already emptied them). */
    @Override
    public JsonNode taskPage(TaskPage page) {
        ObjectNode out = F.objectNode();
        ArrayNode tasks = out.putArray("tasks");
        page.tasks().forEach(t -> tasks.add(task(t, null)));
        out.put("nextPageToken", page.nextPageToken());
        out.put("pageSize", page.pageSize());
        out.put("totalSize", page.totalSize());
        return out;
    }

    public ObjectNode status(TaskStatus s) {
        ObjectNode out = F.objectNode();
        out.put("state", "TASK_STATE_" + s.state().name());
        if (s.message() != null) {
            out.set("message", message(s.message()));
        }
        out.put("timestamp", WireJson.timestamp(s.timestamp()));
        return out;
    }

    public ObjectNode message(Message m) {
        ObjectNode out = F.objectNode();
        out.put("messageId", m.messageId());
        if (m.contextId() != null) {
            out.put("contextId", m.contextId());
        }
        if (m.taskId() != null) {
            out.put("taskId", m.taskId());
        }
        out.put("role", "ROLE_" + m.role().name());
        ArrayNode parts = out.putArray("parts");
        m.parts().forEach(p -> parts.add(part(p)));
        putMetadata(out, m.metadata());
        if (!m.extensions().isEmpty()) {
            ArrayNode e = out.putArray("extensions");
            m.extensions().forEach(e::add);
        }
        if (!m.referenceTaskIds().isEmpty()) {
            ArrayNode r = out.putArray("referenceTaskIds");
            m.referenceTaskIds().forEach(r::add);
        }
        return out;
    }

    public ObjectNode artifact(Artifact a) {
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
        putMetadata(out, a.metadata());
        if (!a.extensions().isEmpty()) {
            ArrayNode e = out.putArray("extensions");
            a.extensions().forEach(e::add);
        }
        return out;
    }

    static ObjectNode part(Part p) {
        ObjectNode out = F.objectNode();
        switch (p) {
            case Part.Text t -> out.put("text", t.text());
            case Part.File f -> {
                if (f.bytesBase64() != null) {
                    out.put("raw", f.bytesBase64());
                } else {
                    out.put("url", f.uri());
                }
                if (f.name() != null) {
                    out.put("filename", f.name());
                }
                if (f.mediaType() != null) {
                    out.put("mediaType", f.mediaType());
                }
            }
            case Part.Data d -> out.set("data", WireJson.MAPPER.valueToTree(d.data()));
        }
        putMetadata(out, p.metadata());
        return out;
    }

    static void putMetadata(ObjectNode out, Map<String, Object> metadata) {
        if (!metadata.isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(metadata));
        }
    }

    @Override
    public JsonNode pushConfig(PushConfig c) {
        ObjectNode out = F.objectNode();
        out.put("id", c.id());
        out.put("taskId", c.taskId());
        out.put("url", c.url());
        if (c.token() != null) {
            out.put("token", c.token());
        }
        if (c.authScheme() != null) {
            // credentials are write-only: a client reads back the scheme, never the secret
            out.putObject("authentication").put("scheme", c.authScheme());
        }
        return out;
    }

    @Override
    public JsonNode pushConfigs(List<PushConfig> configs) {
        ObjectNode out = F.objectNode();
        ArrayNode a = out.putArray("configs");
        configs.forEach(c -> a.add(pushConfig(c)));
        out.put("nextPageToken", "");
        return out;
    }
}
