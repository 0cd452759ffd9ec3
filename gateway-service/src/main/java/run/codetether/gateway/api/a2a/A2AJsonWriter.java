package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The A2A objects as JSON, once for both protocol versions: a task, its status, messages, artifacts, the two update
 * events and the agent card's common members have the same members in 1.0 and 0.3. What differs (enum spellings,
 * 0.3's {@code kind} discriminators, part shapes, security scheme shapes) is a hook; {@link V10Encoder} fills them
 * with 1.0's names and {@code v03.V03Encoder} converts them to 0.3's at the edge, so nothing behind the codecs knows
 * 0.3. Pure: it prints what it is given.
 */
public abstract class A2AJsonWriter {
    protected static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Marks an object with 0.3's {@code kind} member; 1.0 has none (its oneof member names say what it is). */
    protected abstract void kind(ObjectNode out, String kind);

    protected abstract String state(TaskState state);

    protected abstract String role(Role role);

    protected abstract ObjectNode part(Part part);

    /** Prints one security scheme of the card into its (empty) object. */
    protected abstract void securityScheme(ObjectNode out, AgentCard.SecurityScheme scheme);

    /** Adds the requirement that names scheme {@code id} (the two versions nest it differently). */
    protected abstract void securityRequirement(ArrayNode requirements, String id);

    public ObjectNode task(Task t) {
        ObjectNode out = F.objectNode();
        kind(out, "task");
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

    public ObjectNode status(TaskStatus s) {
        ObjectNode out = F.objectNode();
        out.put("state", state(s.state()));
        if (s.message() != null) {
            out.set("message", message(s.message()));
        }
        out.put("timestamp", WireJson.timestamp(s.timestamp()));
        return out;
    }

    public ObjectNode message(Message m) {
        ObjectNode out = F.objectNode();
        kind(out, "message");
        out.put("messageId", m.messageId());
        if (m.contextId() != null) {
            out.put("contextId", m.contextId());
        }
        if (m.taskId() != null) {
            out.put("taskId", m.taskId());
        }
        out.put("role", role(m.role()));
        ArrayNode parts = out.putArray("parts");
        m.parts().forEach(p -> parts.add(part(p)));
        putMetadata(out, m.metadata());
        nonEmpty(out, "extensions", m.extensions());
        nonEmpty(out, "referenceTaskIds", m.referenceTaskIds());
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
        nonEmpty(out, "extensions", a.extensions());
        return out;
    }

    /** A TaskStatusUpdateEvent's members (1.0 nests it under {@code statusUpdate}, 0.3 adds {@code final}). */
    public ObjectNode statusUpdate(StreamEvent.StatusUpdate s) {
        ObjectNode out = F.objectNode();
        kind(out, "status-update");
        out.put("taskId", s.taskId());
        out.put("contextId", s.contextId());
        out.set("status", status(s.status()));
        putMetadata(out, s.metadata());
        return out;
    }

    /** A TaskArtifactUpdateEvent's members (1.0 nests it under {@code artifactUpdate}). */
    public ObjectNode artifactUpdate(StreamEvent.ArtifactUpdate a) {
        ObjectNode out = F.objectNode();
        kind(out, "artifact-update");
        out.put("taskId", a.taskId());
        out.put("contextId", a.contextId());
        out.set("artifact", artifact(a.artifact()));
        out.put("append", a.append());
        out.put("lastChunk", a.lastChunk());
        return out;
    }

    /** The card's provider, version and documentation link, the same members in both versions. */
    protected static void cardProvider(ObjectNode c, AgentCard card) {
        c.putObject("provider").put("organization", card.providerOrganization()).put("url", card.providerUrl());
        c.put("version", card.version());
        c.put("documentationUrl", card.documentationUrl());
    }

    /** The card's capabilities object with what both versions say; the caller adds its version's flags. */
    protected static ObjectNode capabilities(ObjectNode c, AgentCard card) {
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", card.streaming());
        caps.put("pushNotifications", card.pushNotifications());
        if (!card.extensions().isEmpty()) {
            ArrayNode exts = caps.putArray("extensions");
            card.extensions().forEach(x -> exts.addObject().put("uri", x.uri()).put("description", x.description())
                    .put("required", x.required()));
        }
        return caps;
    }

    /** {@code securitySchemes} and the requirements list (named {@code requirementsMember}), when the card has any. */
    protected void securitySchemes(ObjectNode c, AgentCard card, String requirementsMember) {
        if (card.securitySchemes().isEmpty()) {
            return;
        }
        ObjectNode schemes = c.putObject("securitySchemes");
        ArrayNode requirements = c.putArray(requirementsMember);
        for (AgentCard.SecurityScheme s : card.securitySchemes()) {
            securityScheme(schemes.putObject(s.id()), s);
            securityRequirement(requirements, s.id());
        }
    }

    /** The card's default modes and skills, the same in both versions. */
    protected static void modesAndSkills(ObjectNode c, AgentCard card) {
        strings(c.putArray("defaultInputModes"), card.defaultInputModes());
        strings(c.putArray("defaultOutputModes"), card.defaultOutputModes());
        ArrayNode skills = c.putArray("skills");
        card.skills().forEach(s -> skills.add(skill(s)));
    }

    /** A skill as both card versions show it. */
    public static ObjectNode skill(AgentCard.Skill s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("description", s.description());
        strings(o.putArray("tags"), s.tags());
        strings(o.putArray("examples"), s.examples());
        nonEmpty(o, "inputModes", s.inputModes());
        nonEmpty(o, "outputModes", s.outputModes());
        return o;
    }

    protected static void putMetadata(ObjectNode out, Map<String, Object> metadata) {
        if (!metadata.isEmpty()) {
            out.set("metadata", WireJson.MAPPER.valueToTree(metadata));
        }
    }

    private static void nonEmpty(ObjectNode out, String member, List<String> values) {
        if (!values.isEmpty()) {
            strings(out.putArray(member), values);
        }
    }

    public static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
