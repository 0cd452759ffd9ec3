package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.api.a2a.A2AJsonWriter;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The handler's typed results in A2A 0.3 shapes: {@code kind} discriminators, lower-case kebab states
 * ("input-required"), roles "user"/"agent", file parts as {@code {file: {...}}}, status updates with
 * {@code final}, results unwrapped (a Task, not {@code {task: ...}}). The objects themselves are
 * {@link A2AJsonWriter}'s, the same as 1.0's; this class only converts their names and shapes. Pure.
 */
public final class V03Encoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Names V03 = new Names();

    private V03Encoder() {}

    /** A stream item or push payload: the task, a status-update or an artifact-update. */
    public static ObjectNode streamItem(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TaskSnapshot t -> V03.task(t.task());
            case StreamEvent.StatusUpdate s -> V03.statusUpdate(s).put("final", s.last());
            case StreamEvent.ArtifactUpdate a -> V03.artifactUpdate(a);
        };
    }

    public static ObjectNode task(Task t) {
        return V03.task(t);
    }

    public static String state(TaskState s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        return V03.card(card);
    }

    /** The shared objects with 0.3's names and shapes. */
    private static final class Names extends A2AJsonWriter {
        @Override
        protected void kind(ObjectNode out, String kind) {
            out.put("kind", kind);
        }

        @Override
        protected String state(TaskState state) {
            return V03Encoder.state(state);
        }

        @Override
        protected String role(Role role) {
            return role == Role.USER ? "user" : "agent";
        }

        @Override
        protected ObjectNode part(Part p) {
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

        ObjectNode card(AgentCard card) {
            String url = card.interfaces().stream().filter(i -> i.protocolVersion().equals("0.3")).findFirst()
                    .map(AgentCard.Interface::url).orElseThrow();
            ObjectNode c = F.objectNode();
            c.put("protocolVersion", "0.3.0");
            c.put("name", card.name());
            c.put("description", card.description());
            c.put("url", url);
            c.put("preferredTransport", "JSONRPC");
            c.putArray("additionalInterfaces").addObject().put("url", url).put("transport", "JSONRPC");
            cardProvider(c, card);
            capabilities(c, card).put("stateTransitionHistory", true);
            securitySchemes(c, card, "security");
            modesAndSkills(c, card);
            c.put("supportsAuthenticatedExtendedCard", card.extendedCard());
            return c;
        }

        @Override
        protected void securityScheme(ObjectNode scheme, AgentCard.SecurityScheme s) {
            switch (s) {
                case AgentCard.SecurityScheme.BearerApiKey b -> scheme.put("type", "http").put("scheme", "bearer")
                        .put("description", b.description());
                case AgentCard.SecurityScheme.HeaderApiKey h -> scheme.put("type", "apiKey").put("in", "header")
                        .put("name", h.header());
                case AgentCard.SecurityScheme.BearerJwt j -> scheme.put("type", "http").put("scheme", "bearer")
                        .put("bearerFormat", "JWT").put("description", "JWT issued by " + j.issuer());
            }
        }

        @Override
        protected void securityRequirement(ArrayNode requirements, String id) {
            requirements.addObject().putArray(id);
        }
    }
}
