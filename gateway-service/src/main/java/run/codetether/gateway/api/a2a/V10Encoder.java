package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The handler's typed results as A2A 1.0 JSON (ProtoJSON of a2a.proto). Pure: it prints what it is given (the
 * handler already trimmed histories and removed the gateway's own metadata). JSON-RPC results, HTTP+JSON bodies and
 * (parsed back into protos) gRPC responses all come from here.
 */
public final class V10Encoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private V10Encoder() {}

    /** SendMessage's SendMessageResponse: the task member of its oneof. */
    public static ObjectNode sendResult(Task task) {
        ObjectNode out = F.objectNode();
        out.set("task", task(task));
        return out;
    }

    /** A StreamResponse. */
    public static ObjectNode streamItem(StreamEvent event) {
        ObjectNode out = F.objectNode();
        switch (event) {
            case StreamEvent.TaskSnapshot t -> out.set("task", task(t.task()));
            case StreamEvent.StatusUpdate s -> {
                ObjectNode u = out.putObject("statusUpdate");
                u.put("taskId", s.taskId());
                u.put("contextId", s.contextId());
                u.set("status", status(s.status()));
                putMetadata(u, s.metadata());
            }
            case StreamEvent.ArtifactUpdate a -> {
                ObjectNode u = out.putObject("artifactUpdate");
                u.put("taskId", a.taskId());
                u.put("contextId", a.contextId());
                u.set("artifact", artifact(a.artifact()));
                u.put("append", a.append());
                u.put("lastChunk", a.lastChunk());
            }
        }
        return out;
    }

    public static ObjectNode task(Task t) {
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
        putMetadata(out, t.metadata());
        return out;
    }

    /** ListTasksResponse. */
    public static ObjectNode taskPage(TaskPage page) {
        ObjectNode out = F.objectNode();
        ArrayNode tasks = out.putArray("tasks");
        page.tasks().forEach(t -> tasks.add(task(t)));
        out.put("nextPageToken", page.nextPageToken());
        out.put("pageSize", page.pageSize());
        out.put("totalSize", page.totalSize());
        return out;
    }

    static ObjectNode status(TaskStatus s) {
        ObjectNode out = F.objectNode();
        out.put("state", "TASK_STATE_" + s.state().name());
        if (s.message() != null) {
            out.set("message", message(s.message()));
        }
        out.put("timestamp", WireJson.timestamp(s.timestamp()));
        return out;
    }

    static ObjectNode message(Message m) {
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

    static ObjectNode artifact(Artifact a) {
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
            case Part.Text t -> {
                out.put("text", t.text());
                // A typed text part (the workspace extension's text/x-diff) says so; clients pick parts by it.
                if (t.mediaType() != null) {
                    out.put("mediaType", t.mediaType());
                }
            }
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

    private static void putMetadata(ObjectNode out, Map<String, Object> metadata) {
        if (!metadata.isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(metadata));
        }
    }

    /** A TaskPushNotificationConfig; credentials are write-only: a client reads back the scheme, never the secret. */
    public static ObjectNode pushConfig(PushConfig c) {
        ObjectNode out = F.objectNode();
        out.put("id", c.id());
        out.put("taskId", c.taskId());
        out.put("url", c.url());
        if (c.token() != null) {
            out.put("token", c.token());
        }
        if (c.authScheme() != null) {
            out.putObject("authentication").put("scheme", c.authScheme());
        }
        return out;
    }

    /** ListTaskPushNotificationConfigsResponse: every config in one page. */
    public static ObjectNode pushConfigs(List<PushConfig> configs) {
        ObjectNode out = F.objectNode();
        ArrayNode a = out.putArray("configs");
        configs.forEach(c -> a.add(pushConfig(c)));
        out.put("nextPageToken", "");
        return out;
    }

    /** DeleteTaskPushNotificationConfig answers google.protobuf.Empty. */
    public static ObjectNode empty() {
        return F.objectNode();
    }

    /** The 1.0 AgentCard. */
    public static ObjectNode card(AgentCard card) {
        ObjectNode c = F.objectNode();
        c.put("name", card.name());
        c.put("description", card.description());
        ArrayNode ifaces = c.putArray("supportedInterfaces");
        card.interfaces().forEach(i -> ifaces.addObject().put("url", i.url()).put("protocolBinding", i.binding())
                .put("protocolVersion", i.protocolVersion()));
        c.putObject("provider").put("organization", card.providerOrganization()).put("url", card.providerUrl());
        c.put("version", card.version());
        c.put("documentationUrl", card.documentationUrl());
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", card.streaming());
        caps.put("pushNotifications", card.pushNotifications());
        if (!card.extensions().isEmpty()) {
            ArrayNode exts = caps.putArray("extensions");
            card.extensions().forEach(x -> exts.addObject().put("uri", x.uri()).put("description", x.description())
                    .put("required", x.required()));
        }
        caps.put("extendedAgentCard", card.extendedCard());
        if (!card.securitySchemes().isEmpty()) {
            ObjectNode schemes = c.putObject("securitySchemes");
            ArrayNode reqs = c.putArray("securityRequirements");
            for (AgentCard.SecurityScheme s : card.securitySchemes()) {
                ObjectNode scheme = schemes.putObject(s.id());
                switch (s) {
                    case AgentCard.SecurityScheme.BearerApiKey b -> scheme.putObject("httpAuthSecurityScheme")
                            .put("scheme", "Bearer").put("description", b.description());
                    case AgentCard.SecurityScheme.HeaderApiKey h -> scheme.putObject("apiKeySecurityScheme")
                            .put("location", "header").put("name", h.header());
                    case AgentCard.SecurityScheme.BearerJwt j -> scheme.putObject("httpAuthSecurityScheme")
                            .put("scheme", "Bearer").put("bearerFormat", "JWT")
                            .put("description", "JWT issued by " + j.issuer());
                }
                reqs.addObject().putObject("schemes").putObject(s.id()).putArray("list");
            }
        }
        strings(c.putArray("defaultInputModes"), card.defaultInputModes());
        strings(c.putArray("defaultOutputModes"), card.defaultOutputModes());
        ArrayNode skills = c.putArray("skills");
        card.skills().forEach(s -> skills.add(skill(s)));
        return c;
    }

    /** A skill as both card versions show it. */
    public static ObjectNode skill(AgentCard.Skill s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("description", s.description());
        strings(o.putArray("tags"), s.tags());
        strings(o.putArray("examples"), s.examples());
        if (!s.inputModes().isEmpty()) {
            strings(o.putArray("inputModes"), s.inputModes());
        }
        if (!s.outputModes().isEmpty()) {
            strings(o.putArray("outputModes"), s.outputModes());
        }
        return o;
    }

    public static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
