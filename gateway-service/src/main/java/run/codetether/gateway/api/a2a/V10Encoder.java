package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The handler's typed results as A2A 1.0 JSON (ProtoJSON of a2a.proto). Pure: it prints what it is given (the
 * handler already trimmed histories and removed the gateway's own metadata). JSON-RPC results, HTTP+JSON bodies and
 * (parsed back into protos) gRPC responses all come from here. The objects both versions share are printed by
 * {@link A2AJsonWriter}; this class names them the 1.0 way (SCREAMING_SNAKE enums, oneof members, no kinds).
 */
public final class V10Encoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Names V10 = new Names();

    private V10Encoder() {}

    /** SendMessage's SendMessageResponse: the task member of its oneof. */
    public static ObjectNode sendResult(Task task) {
        ObjectNode out = F.objectNode();
        out.set("task", V10.task(task));
        return out;
    }

    /** A StreamResponse: the event as the member of its oneof. */
    public static ObjectNode streamItem(StreamEvent event) {
        ObjectNode out = F.objectNode();
        switch (event) {
            case StreamEvent.TaskSnapshot t -> out.set("task", V10.task(t.task()));
            case StreamEvent.StatusUpdate s -> out.set("statusUpdate", V10.statusUpdate(s));
            case StreamEvent.ArtifactUpdate a -> out.set("artifactUpdate", V10.artifactUpdate(a));
        }
        return out;
    }

    /** A Task (GetTask, CancelTask). */
    public static ObjectNode task(Task t) {
        return V10.task(t);
    }

    /** ListTasksResponse. */
    public static ObjectNode taskPage(TaskPage page) {
        ObjectNode out = F.objectNode();
        ArrayNode tasks = out.putArray("tasks");
        page.tasks().forEach(t -> tasks.add(V10.task(t)));
        out.put("nextPageToken", page.nextPageToken());
        out.put("pageSize", page.pageSize());
        out.put("totalSize", page.totalSize());
        return out;
    }

    /** A Message (the dashboard's timeline prints its message events with it). */
    public static ObjectNode message(Message m) {
        return V10.message(m);
    }

    /** One Part: its oneof member, the media type and file name beside it. */
    public static ObjectNode part(Part p) {
        return V10.part(p);
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
        return V10.card(card);
    }

    /** The shared objects with 1.0's names. */
    private static final class Names extends A2AJsonWriter {
        @Override
        protected void kind(ObjectNode out, String kind) {
            // 1.0 has no kind discriminator
        }

        @Override
        protected String state(TaskState state) {
            return "TASK_STATE_" + state.name();
        }

        @Override
        protected String role(Role role) {
            return "ROLE_" + role.name();
        }

        @Override
        protected ObjectNode part(Part p) {
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

        ObjectNode card(AgentCard card) {
            ObjectNode c = F.objectNode();
            c.put("name", card.name());
            c.put("description", card.description());
            ArrayNode ifaces = c.putArray("supportedInterfaces");
            card.interfaces().forEach(i -> ifaces.addObject().put("url", i.url())
                    .put("protocolBinding", i.binding()).put("protocolVersion", i.protocolVersion()));
            cardProvider(c, card);
            capabilities(c, card).put("extendedAgentCard", card.extendedCard());
            securitySchemes(c, card, "securityRequirements");
            modesAndSkills(c, card);
            return c;
        }

        @Override
        protected void securityScheme(ObjectNode scheme, AgentCard.SecurityScheme s) {
            switch (s) {
                case AgentCard.SecurityScheme.BearerApiKey b -> scheme.putObject("httpAuthSecurityScheme")
                        .put("scheme", "Bearer").put("description", b.description());
                case AgentCard.SecurityScheme.HeaderApiKey h -> scheme.putObject("apiKeySecurityScheme")
                        .put("location", "header").put("name", h.header());
                case AgentCard.SecurityScheme.BearerJwt j -> scheme.putObject("httpAuthSecurityScheme")
                        .put("scheme", "Bearer").put("bearerFormat", "JWT")
                        .put("description", "JWT issued by " + j.issuer());
            }
        }

        @Override
        protected void securityRequirement(ArrayNode requirements, String id) {
            requirements.addObject().putObject("schemes").putObject(id).putArray("list");
        }
    }
}
