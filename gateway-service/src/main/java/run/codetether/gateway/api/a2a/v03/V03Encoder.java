package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The handler's typed results in A2A 0.3 shapes: {@code kind} discriminators, lower-case kebab states
 * ("input-required"), roles "user"/"agent", file parts as {@code {file: {...}}}, status updates with
 * {@code final}, results unwrapped (a Task, not {@code {task: ...}}). Pure.
 */
public final class V03Encoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private V03Encoder() {}

    /** A stream item or push payload: the task, a status-update or an artifact-update. */
    public static ObjectNode streamItem(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TaskSnapshot t -> task(t.task());
            case StreamEvent.StatusUpdate s -> {
                ObjectNode out = F.objectNode();
                out.put("kind", "status-update");
                out.put("taskId", s.taskId());
                out.put("contextId", s.contextId());
                out.set("status", status(s.status()));
                out.put("final", s.last());
                putMetadata(out, s.metadata());
                yield out;
            }
            case StreamEvent.ArtifactUpdate a -> {
                ObjectNode out = F.objectNode();
                out.put("kind", "artifact-update");
                out.put("taskId", a.taskId());
                out.put("contextId", a.contextId());
                out.set("artifact", artifact(a.artifact()));
                out.put("append", a.append());
                out.put("lastChunk", a.lastChunk());
                yield out;
            }
        };
    }

    public static ObjectNode task(Task t) {
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
        putMetadata(out, t.metadata());
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

    static ObjectNode message(Message m) {
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
        putMetadata(out, m.metadata());
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
        putMetadata(out, a.metadata());
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
        putMetadata(out, p.metadata());
        return out;
    }

    private static void putMetadata(ObjectNode out, Map<String, Object> metadata) {
        if (!metadata.isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(metadata));
        }
    }

    /** A TaskPushNotificationConfig of 0.3; credentials are write-only. */
    public static ObjectNode pushConfig(PushConfig c) {
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

    public static ArrayNode pushConfigs(List<PushConfig> configs) {
        ArrayNode a = F.arrayNode();
        configs.forEach(c -> a.add(pushConfig(c)));
        return a;
    }

    /** The 0.3 AgentCard: the 0.3 JSON-RPC interface is the main one; 0.3 clients cannot use the others. */
    public static ObjectNode card(AgentCard card) {
        String url = card.interfaces().stream().filter(i -> i.protocolVersion().equals("0.3")).findFirst()
                .map(AgentCard.Interface::url).orElseThrow();
        ObjectNode c = F.objectNode();
        c.put("protocolVersion", "0.3.0");
        c.put("name", card.name());
        c.put("description", card.description());
        c.put("url", url);
        c.put("preferredTransport", "JSONRPC");
        c.putArray("additionalInterfaces").addObject().put("url", url).put("transport", "JSONRPC");
        c.putObject("provider").put("organization", card.providerOrganization()).put("url", card.providerUrl());
        c.put("version", card.version());
        c.put("documentationUrl", card.documentationUrl());
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", card.streaming());
        caps.put("pushNotifications", card.pushNotifications());
        caps.put("stateTransitionHistory", true);
        if (!card.securitySchemes().isEmpty()) {
            ObjectNode schemes = c.putObject("securitySchemes");
            ArrayNode security = c.putArray("security");
            for (AgentCard.SecurityScheme s : card.securitySchemes()) {
                ObjectNode scheme = schemes.putObject(s.id());
                switch (s) {
                    case AgentCard.SecurityScheme.BearerApiKey b -> scheme.put("type", "http")
                            .put("scheme", "bearer").put("description", b.description());
                    case AgentCard.SecurityScheme.HeaderApiKey h -> scheme.put("type", "apiKey").put("in", "header")
                            .put("name", h.header());
                    case AgentCard.SecurityScheme.BearerJwt j -> scheme.put("type", "http").put("scheme", "bearer")
                            .put("bearerFormat", "JWT").put("description", "JWT issued by " + j.issuer());
                }
                security.addObject().putArray(s.id());
            }
        }
        V10Encoder.strings(c.putArray("defaultInputModes"), card.defaultInputModes());
        V10Encoder.strings(c.putArray("defaultOutputModes"), card.defaultOutputModes());
        ArrayNode skills = c.putArray("skills");
        card.skills().forEach(s -> skills.add(V10Encoder.skill(s)));
        c.put("supportsAuthenticatedExtendedCard", card.extendedCard());
        return c;
    }
}
