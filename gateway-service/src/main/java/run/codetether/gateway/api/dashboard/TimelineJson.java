package run.codetether.gateway.api.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.Tasks;
import run.codetether.gateway.domain.dashboard.Timeline;

/**
 * A task's timeline in the shape of A2A 1.0 stream items ({@code statusUpdate}, {@code artifactUpdate},
 * {@code message}), so the page renders read-back events and live SubscribeToTask events with one renderer.
 * The gateway's private metadata ({@code codetether.*}) is left out, as on the A2A wire.
 */
final class TimelineJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The A2A wire's mapper: data and metadata keep explicit nulls and their keys as written (not the platform's). */
    private static final ObjectMapper PLAIN = WireJson.MAPPER;
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimelineJson() {}

    static ObjectNode of(Timeline t) {
        ObjectNode out = F.objectNode();
        out.put("task_id", t.taskId());
        out.put("truncated", t.truncated());
        out.put("scanned", t.scanned());
        ArrayNode events = out.putArray("events");
        for (Timeline.Entry e : t.entries()) {
            ObjectNode item = events.addObject();
            item.put("offset", e.offset());
            item.put("at", MILLIS.format(e.event().at()));
            item.put("worker_id", e.event().workerId());
            item.set("item", item(e.event()));
        }
        return out;
    }

    static ObjectNode item(TaskEvent event) {
        ObjectNode out = F.objectNode();
        switch (event) {
            case TaskEvent.StatusChanged s -> {
                ObjectNode u = out.putObject("statusUpdate");
                u.put("taskId", s.taskId());
                u.put("contextId", s.contextId());
                u.set("status", status(s.status()));
                metadata(u, Tasks.publicMetadata(s.metadata()));
            }
            case TaskEvent.ArtifactAdded a -> {
                ObjectNode u = out.putObject("artifactUpdate");
                u.put("taskId", a.taskId());
                u.put("contextId", a.contextId());
                u.set("artifact", artifact(a.artifact()));
                u.put("append", a.append());
                u.put("lastChunk", a.lastChunk());
            }
            case TaskEvent.MessageAdded m -> out.set("message", message(m.message()));
        }
        return out;
    }

    private static ObjectNode status(TaskStatus s) {
        ObjectNode out = F.objectNode();
        out.put("state", "TASK_STATE_" + s.state().name());
        if (s.message() != null) {
            out.set("message", message(s.message()));
        }
        out.put("timestamp", MILLIS.format(s.timestamp() == null ? Instant.EPOCH : s.timestamp()));
        return out;
    }

    private static ObjectNode message(Message m) {
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
        metadata(out, m.metadata());
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
        metadata(out, a.metadata());
        return out;
    }

    private static ObjectNode part(Part p) {
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
            case Part.Data d -> out.set("data", PLAIN.valueToTree(d.data()));
        }
        metadata(out, p.metadata());
        return out;
    }

    private static void metadata(ObjectNode out, Map<String, Object> metadata) {
        if (!metadata.isEmpty()) {
            // the A2A wire keeps keys as the producer wrote them: not through the snake_case naming
            out.set("metadata", PLAIN.valueToTree(metadata));
        }
    }
}
