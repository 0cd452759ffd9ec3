package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.SharedMessageJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.kafka.TaskEventDeserializer;

/**
 * {@code codetether.gateway.accept.one-record}: true (the default) writes an accept as one tasks.events record;
 * false writes the two records of the release before it, byte for byte, so that gateways of that release (which
 * ignore the one record's {@code accepted} message) still fold the user's message during a roll or after a rollback.
 */
class AcceptShapeTest {
    /**
     * The accept's tasks.events records as the release before the one-record accept (main 7a30643d) encoded them:
     * its TaskEngine's records for this test's start and reply, written by its ContractJson (compiled from that
     * commit's contracts sources), at {@link #OLD_AT}. A start: its submitted status, then the user's message.
     */
    private static final List<String> PREVIOUS_START = List.of(
            "{\"type\":\"status_changed\",\"taskId\":\"task-1\",\"contextId\":\"ctx-1\",\"workerId\":\"gateway\","
                    + "\"status\":{\"state\":\"SUBMITTED\",\"timestamp\":\"2026-12-06T13:00:01.123456Z\"},"
                    + "\"progress\":{\"partial\":false,\"output\":false},\"metadata\":{},"
                    + "\"submission\":{\"owner\":\"alice\"},\"at\":\"2026-12-06T13:00:01.123456Z\",\"final\":false}",
            "{\"type\":\"message_added\",\"taskId\":\"task-1\",\"contextId\":\"ctx-1\",\"workerId\":\"gateway\","
                    + "\"message\":{\"messageId\":\"m1\",\"role\":\"USER\",\"parts\":[{\"kind\":\"text\","
                    + "\"text\":\"fix the bug\",\"metadata\":{}}],\"contextId\":\"ctx-1\",\"taskId\":\"task-1\","
                    + "\"referenceTaskIds\":[],\"extensions\":[],\"metadata\":{\"client\":\"x\"}},"
                    + "\"at\":\"2026-12-06T13:00:01.123456Z\"}");

    /** A reply, as that release wrote it: the user's message, then the submitted status it moves the task to. */
    private static final List<String> PREVIOUS_REPLY = List.of(
            "{\"type\":\"message_added\",\"taskId\":\"task-1\",\"contextId\":\"ctx-1\",\"workerId\":\"gateway\","
                    + "\"message\":{\"messageId\":\"m2\",\"role\":\"USER\",\"parts\":[{\"kind\":\"text\","
                    + "\"text\":\"main\",\"metadata\":{}}],\"contextId\":\"ctx-1\",\"taskId\":\"task-1\","
                    + "\"referenceTaskIds\":[],\"extensions\":[],\"metadata\":{\"client\":\"x\"}},"
                    + "\"at\":\"2026-12-06T13:00:01.123456Z\"}",
            "{\"type\":\"status_changed\",\"taskId\":\"task-1\",\"contextId\":\"ctx-1\",\"workerId\":\"gateway\","
                    + "\"status\":{\"state\":\"SUBMITTED\",\"timestamp\":\"2026-12-06T13:00:01.123456Z\"},"
                    + "\"progress\":{\"partial\":false,\"output\":false},\"metadata\":{},"
                    + "\"at\":\"2026-12-06T13:00:01.123456Z\",\"final\":false}");

    private static final String OLD_AT = "2026-12-06T13:00:01.123456Z";

    private final TaskView view = new TaskView(new InMemoryTaskStore(), new TaskCache(0, 0), e -> { }, (a, b) -> { });
    private final RecordingTaskLog log = new RecordingTaskLog(0);

    private TaskEngine engine(boolean oneRecord) {
        Iterator<String> ids = List.of("task-1", "ctx-1").iterator();
        Supplier<String> next = ids::next;
        return new TaskEngine(log, view, "test", next, TaskEngine.DEFAULT_MAX_PAGE_BYTES, ResponseLimits.DEFAULTS,
                WorkspaceUploads.NONE, oneRecord);
    }

    private static SendRequest send(String id, String text, String taskId) {
        return new SendRequest(new Message(id, Role.USER, List.of(Part.Text.of(text)), null, taskId, null, null,
                Map.of("client", "x")), null, null, true, List.of(), null, Map.of());
    }

    /** The records as KafkaTaskLog puts them on tasks.events (message shared with the command), at {@link #OLD_AT}. */
    private static List<String> onTheWire(List<TaskEvent> events, Message shared) {
        List<String> out = new ArrayList<>();
        for (byte[] json : SharedMessageJson.writeAll(shared, events)) {
            String text = new String(json, StandardCharsets.UTF_8);
            Instant at = new TaskEventDeserializer().deserialize("e", json).at();
            String written = new String(ContractJson.write(at), StandardCharsets.UTF_8).replace("\"", "");
            out.add(text.replace(written, OLD_AT));
        }
        return out;
    }

    /** Start, the agent asks for input, reply: what each accept wrote, and the task as it then stands. */
    private List<List<TaskEvent>> startAndReply(TaskEngine engine) throws Exception {
        Task started = engine.send(send("m1", "fix the bug", null), new Caller("alice"), null).get().task();
        List<TaskEvent> start = List.copyOf(log.appended);
        assertEquals(List.of("fix the bug"), view.get("task-1").orElseThrow().history().stream().map(Message::text)
                .toList(), "read-your-writes: the view folded what the start wrote, message included");
        view.apply(new TaskEvent.StatusChanged("task-1", "ctx-1", "agent-1", new TaskStatus(TaskState.INPUT_REQUIRED,
                null, Instant.now()), Progress.NONE, Map.of(), Instant.now()), 100, vt -> { });
        engine.send(send("m2", "main", "task-1"), new Caller("alice"), null).get();
        List<TaskEvent> reply = List.copyOf(log.appended.subList(start.size(), log.appended.size()));
        assertEquals(List.of("fix the bug"), started.history().stream().map(Message::text).toList());
        return List.of(start, reply);
    }

    @Test
    void offWritesThePreviousReleasesTwoRecordsByteForByte() throws Exception {
        List<List<TaskEvent>> written = startAndReply(engine(false));

        Message started = assertInstanceOf(TaskCommand.StartTask.class, log.requested.get(0)).message();
        Message replied = assertInstanceOf(TaskCommand.ContinueTask.class, log.requested.get(1)).message();
        assertEquals(PREVIOUS_START, onTheWire(written.get(0), started));
        assertEquals(PREVIOUS_REPLY, onTheWire(written.get(1), replied));
    }

    @Test
    void onWritesOneRecordPerAcceptThatStandsForTheSameTwo() throws Exception {
        List<List<TaskEvent>> written = startAndReply(engine(true));

        assertEquals(1, written.get(0).size(), "a start is one record: " + written.get(0));
        assertEquals(1, written.get(1).size(), "a reply is one record: " + written.get(1));
        TaskEvent.StatusChanged start = assertInstanceOf(TaskEvent.StatusChanged.class, written.get(0).get(0));
        TaskEvent.StatusChanged reply = assertInstanceOf(TaskEvent.StatusChanged.class, written.get(1).get(0));
        assertEquals(PREVIOUS_START, onTheWire(start.acceptedApart(), start.accepted()));
        assertEquals(PREVIOUS_REPLY, onTheWire(reply.acceptedApart(), reply.accepted()));
    }

    /**
     * A start and a reply are told apart by the submission (set only on a start); an anonymous caller's start has
     * one too (the open gateway's caller has a client id), after the wire as well, so its message follows the status.
     */
    @Test
    void anAnonymousCallersStartIsStillAStartAfterTheWire() throws Exception {
        engine(true).send(send("m1", "fix the bug", null), Caller.ANONYMOUS, null).get();
        TaskEvent.StatusChanged start = assertInstanceOf(TaskEvent.StatusChanged.class, log.appended.get(0));
        TaskEvent.StatusChanged back = assertInstanceOf(TaskEvent.StatusChanged.class,
                new TaskEventDeserializer().deserialize("e", ContractJson.write(start)));
        assertEquals(new Task.Submission("anonymous", null, null), back.submission());
        List<TaskEvent> apart = back.acceptedApart();
        assertInstanceOf(TaskEvent.StatusChanged.class, apart.get(0));
        assertEquals("fix the bug", assertInstanceOf(TaskEvent.MessageAdded.class, apart.get(1)).message().text());
    }
}
