package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * A push config's receiver gets for the accept written as one record exactly the payloads it got for the two records
 * before: one status update (a message goes into the history only).
 */
class AcceptPushItemsTest {
    private static final Instant AT = Instant.parse("2026-12-06T13:00:00Z");

    private static List<String> payloads(List<TaskEvent> records) {
        PushItems items = new PushItems();
        List<String> out = new ArrayList<>();
        for (TaskEvent e : records) {
            for (StreamEvent item : items.of(e)) {
                out.add(V10Encoder.streamItem(item).toString());
            }
        }
        return out;
    }

    @Test
    void theAcceptInOneRecordPushesWhatTwoRecordsPushed() {
        Message m = new Message("m1", Role.USER, List.of(Part.Text.of("hi")), "c", "t", null, null, null);
        Task.Submission alice = new Task.Submission("alice", null, null);
        TaskEvent.StatusChanged start = TaskEvent.StatusChanged.submitted("t", "c", "gateway", alice, m, AT);
        TaskEvent.StatusChanged reply = TaskEvent.StatusChanged.submitted("t", "c", "gateway", null, m, AT);

        List<String> before = payloads(List.of(
                new TaskEvent.StatusChanged("t", "c", "gateway", new TaskStatus(TaskState.SUBMITTED, null, AT),
                        Progress.NONE, Map.of(), alice, AT),
                new TaskEvent.MessageAdded("t", "c", "gateway", m, AT),
                new TaskEvent.MessageAdded("t", "c", "gateway", m, AT),
                new TaskEvent.StatusChanged("t", "c", "gateway", new TaskStatus(TaskState.SUBMITTED, null, AT),
                        Map.of(), AT)));
        List<String> now = payloads(List.of(start, reply));

        assertEquals(2, before.size(), before.toString());
        assertEquals(before, now);
    }
}
