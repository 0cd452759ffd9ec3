package run.codetether.gateway.api.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.Tasks;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * A task's timeline in the shape of A2A 1.0 stream items ({@code statusUpdate}, {@code artifactUpdate},
 * {@code message}), printed by the A2A 1.0 codec itself ({@link V10Encoder}), so the page renders read-back events
 * and live SubscribeToTask events with one renderer. The gateway's private metadata ({@code codetether.*}) is left
 * out, as on the A2A wire.
 */
final class TimelineJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

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
            item.put("at", WireJson.timestamp(e.event().at()));
            item.put("worker_id", e.event().workerId());
            item.set("item", item(e.event()));
        }
        return out;
    }

    static ObjectNode item(TaskEvent event) {
        return switch (event) {
            case TaskEvent.StatusChanged s -> V10Encoder.streamItem(new StreamEvent.StatusUpdate(s.taskId(),
                    s.contextId(), stamped(s.status()), Tasks.publicMetadata(s.metadata()), false));
            case TaskEvent.ArtifactAdded a -> V10Encoder.streamItem(new StreamEvent.ArtifactUpdate(a.taskId(),
                    a.contextId(), a.artifact(), a.append(), a.lastChunk()));
            case TaskEvent.MessageAdded m -> {
                ObjectNode out = F.objectNode();
                out.set("message", V10Encoder.message(m.message()));
                yield out;
            }
        };
    }

    /** An event written without a status time reads as the epoch, as the page always did (the wire requires one). */
    private static TaskStatus stamped(TaskStatus s) {
        return s.timestamp() != null ? s : new TaskStatus(s.state(), s.message(), Instant.EPOCH);
    }
}
