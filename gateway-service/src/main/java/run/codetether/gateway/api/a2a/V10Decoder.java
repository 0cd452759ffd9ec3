package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.handler.NewPushConfig;
import run.codetether.gateway.domain.handler.PushConfigRef;
import run.codetether.gateway.domain.handler.TaskQuery;
import run.codetether.gateway.domain.handler.TaskRef;

/**
 * A2A 1.0 request params (ProtoJSON of a2a.proto: camelCase fields, SCREAMING_SNAKE enums, oneof members) into the
 * handler's typed parameters. Pure: every wrong type or missing field is INVALID_PARAMS naming its path
 * ({@code params.message.parts[2]}), so a client learns exactly what to fix. JSON-RPC params, HTTP+JSON bodies and
 * gRPC requests (printed as ProtoJSON) all come through here. The members both versions share are read by
 * {@link A2AJsonReader}; this class names them the 1.0 way.
 */
public final class V10Decoder {
    private static final String P = "params";
    private static final Names V10 = new Names();

    private V10Decoder() {}

    public static SendRequest send(ObjectNode params) {
        return V10.send(params, tenant(params));
    }

    /** The shared request objects with 1.0's names. */
    private static final class Names extends A2AJsonReader {
        @Override
        protected void checkKind(ObjectNode m, String path) {
            if (m.has("kind")) {
                throw A2AException.invalidParams(path + " has a 'kind' member: that is the A2A 0.3 shape; "
                        + "send header A2A-Version: 0.3 or use the 1.0 shape");
            }
        }

        @Override
        protected Role role(ObjectNode m, String path) {
            JsonNode n = m.get("role");
            if (n == null || n.isNull()) {
                throw A2AException.invalidParams(path + ".role is required");
            }
            String v = n.isTextual() ? n.textValue() : n.isInt() ? String.valueOf(n.intValue()) : "";
            return switch (v) {
                case "ROLE_USER", "1" -> Role.USER;
                case "ROLE_AGENT", "2" -> Role.AGENT;
                default -> throw A2AException.invalidParams(path + ".role must be ROLE_USER or ROLE_AGENT");
            };
        }

        @Override
        protected Part part(JsonNode node, String path) {
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
                return new Part.Text(Fields.optString(p, "text", path), mediaType, metadata);
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
        protected boolean returnImmediately(ObjectNode config, String path) {
            Boolean ri = Fields.optBool(config, "returnImmediately", path);
            // "blocking" is the 1.0 release candidates' spelling (still sent by SDKs built on them)
            Boolean blocking = Fields.optBool(config, "blocking", path);
            return ri != null ? ri : blocking != null && !blocking;
        }

        @Override
        protected String pushConfigMember() {
            return "taskPushNotificationConfig";
        }

        @Override
        protected String authScheme(ObjectNode auth, String path) {
            return Fields.string(auth, "scheme", path);
        }
    }

    /** GetTask. */
    public static TaskQuery taskQuery(ObjectNode params) {
        return new TaskQuery(Fields.string(params, "id", P), Fields.optNonNegative(params, "historyLength", P),
                tenant(params));
    }

    /** CancelTask, SubscribeToTask. */
    public static TaskRef taskRef(ObjectNode params) {
        return new TaskRef(Fields.string(params, "id", P), tenant(params));
    }

    private static String tenant(ObjectNode params) {
        return Fields.optString(params, "tenant", P);
    }

    public static ListQuery listQuery(ObjectNode params) {
        Integer pageSize = Fields.optInt(params, "pageSize", P);
        String statusText = Fields.optString(params, "status", P);
        TaskState status = statusText == null || statusText.equals("TASK_STATE_UNSPECIFIED") ? null
                : state(statusText, P + ".status");
        String after = Fields.optString(params, "statusTimestampAfter", P);
        Instant afterTs = null;
        if (after != null) {
            try {
                afterTs = Instant.parse(after);
            } catch (DateTimeParseException e) {
                throw A2AException.invalidParams(P + ".statusTimestampAfter must be an ISO 8601 UTC timestamp");
            }
        }
        Boolean include = Fields.optBool(params, "includeArtifacts", P);
        return new ListQuery(tenant(params), Fields.optString(params, "contextId", P), status,
                pageSize == null || pageSize == 0 ? ListQuery.DEFAULT_PAGE_SIZE : pageSize,
                Fields.optString(params, "pageToken", P), Fields.optNonNegative(params, "historyLength", P), afterTs,
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

    /** CreateTaskPushNotificationConfig: a TaskPushNotificationConfig. */
    public static NewPushConfig newPushConfig(ObjectNode params) {
        PushConfig c = V10.pushConfigBody(params, Fields.optString(params, "taskId", P), P);
        return new NewPushConfig(c.withIds(Fields.string(params, "taskId", P), c.id()), tenant(params));
    }

    /** Get / DeleteTaskPushNotificationConfig. */
    public static PushConfigRef pushConfigRef(ObjectNode params) {
        return new PushConfigRef(Fields.string(params, "taskId", P), Fields.string(params, "id", P), tenant(params));
    }

    /** ListTaskPushNotificationConfigs: the task (paging fields are accepted; one page holds every config). */
    public static TaskRef pushConfigTask(ObjectNode params) {
        return new TaskRef(Fields.string(params, "taskId", P), tenant(params));
    }
}
