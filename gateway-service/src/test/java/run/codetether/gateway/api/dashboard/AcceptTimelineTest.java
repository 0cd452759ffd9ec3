package run.codetether.gateway.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.dashboard.Timeline;

/**
 * A task's timeline shows the accept written as one record (the submitted status carrying the user's message) as it
 * showed the two records before: the status's entry, then the message's (a reply to a task that asked for input:
 * the message, then the status), each with its time, worker and item. Only the log offsets differ (one record less).
 */
class AcceptTimelineTest {
    private static final Instant T0 = Instant.parse("2026-12-06T13:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-06T13:00:01Z");
    private static final Instant T2 = Instant.parse("2026-12-06T13:00:02Z");

    private static Message user(String id, String text) {
        return new Message(id, Role.USER, List.of(Part.Text.of(text)), "c", "t", null, null, null);
    }

    private static final TaskEvent.StatusChanged START = TaskEvent.StatusChanged.submitted("t", "c", "gateway",
            new Task.Submission("alice", null, null), user("m1", "fix the bug"), T0);
    private static final TaskEvent ASKS = new TaskEvent.StatusChanged("t", "c", "agent-1", new TaskStatus(
            TaskState.INPUT_REQUIRED, new Message("q", Role.AGENT, List.of(Part.Text.of("which branch?")), "c", "t",
            null, null, null), T1), Progress.NONE, Map.of(), T1);
    private static final TaskEvent.StatusChanged REPLY = TaskEvent.StatusChanged.submitted("t", "c", "gateway", null,
            user("m2", "main"), T2);

    private static List<JsonNode> entries(List<TaskEvent> records) {
        Timeline.Builder b = new Timeline.Builder("t");
        long offset = 0;
        for (TaskEvent e : records) {
            b.add(offset++, e);
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : TimelineJson.of(b.build(false, offset)).get("events")) {
            ((ObjectNode) entry).remove("offset");
            out.add(entry);
        }
        return out;
    }

    @Test
    void oneRecordShowsAsTheTwoItStandsFor() {
        List<TaskEvent> twoRecords = List.of(
                new TaskEvent.StatusChanged("t", "c", "gateway", new TaskStatus(TaskState.SUBMITTED, null, T0),
                        Progress.NONE, Map.of(), START.submission(), T0),
                new TaskEvent.MessageAdded("t", "c", "gateway", START.accepted(), T0),
                ASKS,
                new TaskEvent.MessageAdded("t", "c", "gateway", REPLY.accepted(), T2),
                new TaskEvent.StatusChanged("t", "c", "gateway", new TaskStatus(TaskState.SUBMITTED, null, T2),
                        Map.of(), T2));

        List<JsonNode> before = entries(twoRecords);
        List<JsonNode> now = entries(List.of(START, ASKS, REPLY));

        assertEquals(5, before.size(), before.toString());
        assertEquals(before, now);
        assertEquals("fix the bug", now.get(1).at("/item/message/parts/0/text").asText(), now.toString());
        assertEquals("main", now.get(3).at("/item/message/parts/0/text").asText(), now.toString());
    }
}
