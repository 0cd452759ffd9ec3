package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.TaskCommandDeserializer;
import run.codetether.contracts.kafka.TaskEventDeserializer;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.InMemoryTaskStore;
import run.codetether.gateway.domain.ResponseLimits;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.domain.WorkspaceUploads;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.gateway.support.EncodingProbe;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Issue 18/20: an accept is one tasks.events record (the submitted status carrying the user's message) and one
 * work request; it encodes the user's message once, for the event and the {@code StartTask} command both, and what
 * lands on the topics is byte for byte each record's own encoding (an agent of any version reads the command; an
 * earlier gateway ignores the event's message, see {@code AcceptShapeTest}).
 * Real broker.
 */
class SharedMessageAcceptTest {
    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void theMessageIsEncodedOnceAndBothTopicsHoldEachRecordsOwnEncoding() {
        TaskTopics.ensure(bootstrap, 4);
        String taskId = "shared-" + run;
        String contextId = "ctx-" + run;
        AtomicInteger encodings = new AtomicInteger();
        Message message = new Message("m-" + run, Role.USER, List.of(Part.Text.of("fix the bug \u00e9\u4e2d"),
                new Part.Data(Map.of("probe", new EncodingProbe(encodings)), null)), contextId, taskId, null, null, null);
        Instant now = Instant.now();
        TaskEvent submitted = TaskEvent.StatusChanged.submitted(taskId, contextId, "gateway",
                new Task.Submission("owner", null, null), message, now);
        TaskCommand start = new TaskCommand.StartTask(taskId, contextId, null, message, null, null, null, null, null,
                null, Map.of("k", "v"), now);

        List<Long> offsets;
        try (KafkaTaskLog log = new KafkaTaskLog(bootstrap, "shared-" + run)) {
            offsets = log.accept(taskId, List.of(submitted), start).join();
        }
        assertEquals(1, encodings.get(), "the message encoded once for the event and the command");
        assertEquals(1, offsets.size());

        // each record as it would be encoded alone; encoding them apart takes the message twice more
        byte[] submittedAlone = ContractJson.write(submitted);
        byte[] startAlone = ContractJson.write(start);
        List<byte[]> events = read(Topics.TASKS_EVENTS, taskId);
        List<byte[]> commands = read(Topics.TASKS_REQUESTED, contextId);
        assertEquals(1, events.size());
        assertEquals(1, commands.size());
        // the counter is part of the bytes: the shared encoding read 1, the ones apart 2 and 3
        String onTopic = new String(events.get(0), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(new String(submittedAlone, java.nio.charset.StandardCharsets.UTF_8).replace("\"times\":2",
                "\"times\":1"), onTopic);
        assertEquals(new String(startAlone, java.nio.charset.StandardCharsets.UTF_8).replace("\"times\":3",
                "\"times\":1"), new String(commands.get(0), java.nio.charset.StandardCharsets.UTF_8));
        TaskEvent.StatusChanged back = (TaskEvent.StatusChanged) new TaskEventDeserializer().deserialize("e",
                events.get(0));
        TaskCommand.StartTask startBack = (TaskCommand.StartTask) new TaskCommandDeserializer().deserialize("r",
                commands.get(0));
        assertEquals(back.accepted(), startBack.message(), "the agent's intake reads the same message");
        assertEquals("fix the bug \u00e9\u4e2d", startBack.message().text());
        assertEquals(Map.of("k", "v"), startBack.metadata());
    }

    @Test
    void theEngineWritesOneEventsRecordPerStartAndPerReply() throws Exception {
        List<byte[]> events = startAndReply(true);
        assertEquals(2, events.size(), "one record per accept: the start and the reply");
        List<String> accepted = new ArrayList<>();
        for (byte[] json : events) {
            TaskEvent.StatusChanged s = (TaskEvent.StatusChanged) new TaskEventDeserializer().deserialize("e", json);
            assertEquals(TaskState.SUBMITTED, s.status().state());
            accepted.add(s.accepted().text());
        }
        assertEquals(List.of("start", "reply"), accepted);
    }

    /** {@code accept.one-record=false}: the earlier release's two records per accept, which it reads whole. */
    @Test
    void turnedOffTheEngineWritesThePreviousReleasesTwoRecordsPerAccept() throws Exception {
        List<byte[]> events = startAndReply(false);
        List<String> shapes = new ArrayList<>();
        for (byte[] json : events) {
            String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(-1, text.indexOf("\"accepted\""), "a field the earlier release does not read: " + text);
            shapes.add(switch (new TaskEventDeserializer().deserialize("e", json)) {
                case TaskEvent.StatusChanged s -> s.status().state() + (s.submission() != null ? " new" : "");
                case TaskEvent.MessageAdded m -> m.message().text();
                default -> throw new AssertionError("not an accept's record: " + new String(json,
                        java.nio.charset.StandardCharsets.UTF_8));
            });
        }
        assertEquals(List.of("SUBMITTED new", "start", "reply", "SUBMITTED"), shapes);
    }

    /** A start, the agent asking for input, a reply, through a real KafkaTaskLog: the task's tasks.events records. */
    private List<byte[]> startAndReply(boolean oneRecord) throws Exception {
        TaskTopics.ensure(bootstrap, 4);
        TaskView view = new TaskView(new InMemoryTaskStore(), new TaskCache(0, 0), e -> { }, (x, y) -> { });
        String taskId;
        try (KafkaTaskLog log = new KafkaTaskLog(bootstrap, "engine-" + oneRecord + "-" + run)) {
            TaskEngine engine = new TaskEngine(log, view, "test", () -> UUID.randomUUID().toString(),
                    TaskEngine.DEFAULT_MAX_PAGE_BYTES, ResponseLimits.DEFAULTS, WorkspaceUploads.NONE, oneRecord);
            Task task = engine.send(new SendRequest(new Message("m1-" + run, Role.USER, List.of(Part.Text.of("start")),
                    null, null, null, null, null), null, null, true, List.of(), null, Map.of()), new Caller("alice"),
                    null).get(30, java.util.concurrent.TimeUnit.SECONDS).task();
            taskId = task.id();
            // the agent asks for input (as the event reader would fold it), and the client replies
            view.apply(new TaskEvent.StatusChanged(taskId, task.contextId(), "agent", new TaskStatus(
                    TaskState.INPUT_REQUIRED, null, Instant.now()), Progress.NONE, Map.of(), Instant.now()),
                    Long.MAX_VALUE - 1, v -> { });
            engine.send(new SendRequest(new Message("m2-" + run, Role.USER, List.of(Part.Text.of("reply")), null,
                    taskId, null, null, null), null, null, true, List.of(), null, Map.of()), new Caller("alice"),
                    null).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        return read(Topics.TASKS_EVENTS, taskId);
    }

    private List<byte[]> read(String topic, String key) {
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = KafkaClients.forBootstrap(bootstrap).consumer("read-" + run,
                Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer())) {
            CatchUp.readAll(c, topic, Duration.ofSeconds(30), r -> {
                if (key.equals(r.key())) {
                    out.add(r.value());
                }
            });
        }
        return out;
    }
}
