package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.domain.dashboard.SummaryFold;
import run.codetether.gateway.domain.dashboard.TaskSummary;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * The accept (a new task, and the reply to a task that asked for input) is one tasks.events record, and what a
 * client sees of the task is byte for byte what it saw when the accept was two records (the submitted status and the
 * user's message): GetTask, the blocking send's result, a resubscriber's snapshot, every stream item, the dashboard
 * summary. Logs of the previous release (two records) fold the same, so both shapes are read here.
 */
class OneRecordAcceptTest {
    private static final Instant T1 = Instant.parse("2026-12-06T13:00:01Z");
    private static final Instant T2 = Instant.parse("2026-12-06T13:00:02Z");
    private static final Instant T3 = Instant.parse("2026-12-06T13:00:03Z");

    private final TaskView view = new TaskView(new InMemoryTaskStore(), new TaskCache(0, 0), e -> { }, (a, b) -> { });
    private final RecordingTaskLog log = new RecordingTaskLog(0);
    private final TaskEngine engine = new TaskEngine(log, view, "test");

    private static SendRequest send(String text, String taskId) {
        return new SendRequest(new Message(taskId == null ? "m1" : "m2", Role.USER, List.of(Part.Text.of(text)), null,
                taskId, null, null, Map.of("client", "x")), null, null, true, List.of(), null, Map.of());
    }

    /** The events an agent writes until its task asks for input, and after the reply until it completes. */
    private static List<TaskEvent> untilInput(String id, String ctx) {
        return List.of(
                new TaskEvent.StatusChanged(id, ctx, "agent-1", new TaskStatus(TaskState.WORKING, null, T1),
                        Progress.NONE, Map.of(), T1),
                new TaskEvent.StatusChanged(id, ctx, "agent-1", new TaskStatus(TaskState.INPUT_REQUIRED,
                        new Message("q1", Role.AGENT, List.of(Part.Text.of("which branch?")), ctx, id, null, null,
                                null), T2), Progress.NONE, Map.of(), T2));
    }

    private static List<TaskEvent> untilDone(String id, String ctx) {
        return List.of(
                new TaskEvent.StatusChanged(id, ctx, "agent-1", new TaskStatus(TaskState.WORKING, null, T3),
                        Progress.NONE, Map.of(), T3),
                new TaskEvent.ArtifactAdded(id, ctx, "agent-1", new Artifact("a1", "answer", null,
                        List.of(Part.Text.of("done on main")), null, null), false, true, T3),
                new TaskEvent.StatusChanged(id, ctx, "agent-1", new TaskStatus(TaskState.COMPLETED, null, T3),
                        Progress.NONE, Map.of(), T3));
    }

    /** The accept as the previous release wrote it: two records, in its order. */
    private static List<TaskEvent> asTwoRecords(TaskEvent.StatusChanged accept) {
        TaskEvent status = new TaskEvent.StatusChanged(accept.taskId(), accept.contextId(), accept.workerId(),
                new TaskStatus(TaskState.SUBMITTED, null, accept.at()), Progress.NONE, Map.of(), accept.submission(),
                accept.at());
        TaskEvent message = new TaskEvent.MessageAdded(accept.taskId(), accept.contextId(), accept.workerId(),
                accept.accepted(), accept.at());
        return accept.submission() != null ? List.of(status, message) : List.of(message, status);
    }

    /** What clients see of a task folded from these groups of records, in order; one line per item. */
    private static List<String> wire(List<List<TaskEvent>> groups) {
        List<String> out = new ArrayList<>();
        Task task = null;
        TaskSummary summary = null;
        long offset = 0;
        for (List<TaskEvent> group : groups) {
            for (TaskEvent e : group) {
                task = TaskFold.apply(task, e);
                summary = SummaryFold.apply(summary, e, 0, offset++);
                for (StreamEvent item : StreamEvent.items(e, task)) {
                    out.add("stream " + V10Encoder.streamItem(item));
                }
            }
            out.add("get " + V10Encoder.task(Tasks.forClient(task, null)));
            out.add("send " + V10Encoder.sendResult(Tasks.forClient(task, null)));
            out.add("resubscribe " + V10Encoder.streamItem(StreamEvent.snapshot(task)));
            out.add("summary " + summary);
        }
        return out;
    }

    @Test
    void aStartAndAReplyAreOneRecordEachAndClientsSeeWhatTwoRecordsShowed() throws Exception {
        TaskEngine.Accepted started = engine.send(send("fix the bug", null), new Caller("alice"), null).get();
        String id = started.task().id();
        String ctx = started.task().contextId();
        assertEquals(1, log.appended.size(), "a new task is accepted in one record: " + log.appended);
        TaskEvent.StatusChanged start = assertInstanceOf(TaskEvent.StatusChanged.class, log.appended.get(0));
        assertEquals("fix the bug", start.accepted().text());
        assertEquals(List.of("fix the bug"), view.get(id).orElseThrow().history().stream().map(Message::text).toList(),
                "read-your-writes: the view folded the accept with its message");

        long offset = 10;
        for (TaskEvent e : untilInput(id, ctx)) {
            view.apply(e, offset++, vt -> { });
        }
        engine.send(send("main", id), new Caller("alice"), null).get();
        assertEquals(2, log.appended.size(), "the reply is accepted in one record: " + log.appended);
        TaskEvent.StatusChanged reply = assertInstanceOf(TaskEvent.StatusChanged.class, log.appended.get(1));
        assertEquals(TaskState.SUBMITTED, reply.status().state());
        assertEquals("main", reply.accepted().text());

        List<String> oneRecord = wire(List.of(List.of(start), untilInput(id, ctx), List.of(reply), untilDone(id, ctx)));
        List<String> twoRecords = wire(List.of(asTwoRecords(start), untilInput(id, ctx), asTwoRecords(reply),
                untilDone(id, ctx)));

        assertEquals(twoRecords, oneRecord);
        String done = oneRecord.get(oneRecord.size() - 4);
        assertTrue(done.contains("fix the bug") && done.contains("which branch?") && done.contains("main")
                && done.contains("done on main"), "the history holds both user messages: " + done);
    }

    @Test
    void anAcceptAfterTheTaskEndedChangesNothing() {
        TaskEvent.StatusChanged start = TaskEvent.StatusChanged.submitted("t", "c", "gateway",
                new Task.Submission("alice", null, null), new Message("m1", Role.USER, List.of(Part.Text.of("hi")),
                        "c", "t", null, null, null), T1);
        Task canceled = TaskFold.apply(TaskFold.apply(null, start), new TaskEvent.StatusChanged("t", "c", "gateway",
                new TaskStatus(TaskState.CANCELED, null, T2), Map.of(), T2));
        TaskEvent.StatusChanged late = TaskEvent.StatusChanged.submitted("t", "c", "gateway", null,
                new Message("m2", Role.USER, List.of(Part.Text.of("more")), "c", "t", null, null, null), T3);
        assertEquals(canceled, TaskFold.apply(canceled, late));
        assertEquals(List.of("hi"), canceled.history().stream().map(Message::text).toList());
    }
}
