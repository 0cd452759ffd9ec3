package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.StartGap;
import run.codetether.gateway.domain.StartSweep;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.support.Await;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Issues 18/19, the crash gap of the two accept writes: a task whose events landed on tasks.events but whose work
 * request never reached tasks.requested (its gateway died between them) is closed by the start sweep of the one
 * replica that owns its request partition: a new task REJECTED with the reason, a follow-up message back to
 * waiting for input; a task whose request is there is left alone. Real broker, two replicas in one sweep group.
 */
class StartSweepTest {
    private static final Duration AFTER = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A replica's reader ({@link TestReplica}) and its part of the sweep, as StartSweepWatch starts it. */
    private final class Replica implements AutoCloseable {
        final TestReplica state;
        final TaskView view;
        final StartSweeper sweeper;

        Replica(String name) {
            state = new TestReplica(bootstrap, name + "-" + run, dir.resolve(name));
            view = state.view;
            sweeper = new StartSweeper(KafkaClients.forBootstrap(bootstrap), Topics.TASKS_REQUESTED, "sweep-" + run,
                    name + "-" + run, new StartSweep(AFTER), view, state.log, null).start();
        }

        TaskState state(String taskId) {
            return state.state(taskId);
        }

        @Override
        public void close() {
            sweeper.close();
            state.close();
        }
    }

    private static Message user(String messageId, String taskId, String contextId, String text) {
        return new Message(messageId, Role.USER, List.of(Part.Text.of(text)), contextId, taskId, null, null, null);
    }

    private static TaskEvent status(String taskId, String contextId, TaskState state, Task.Submission submission) {
        Instant now = Instant.now();
        return new TaskEvent.StatusChanged(taskId, contextId, "gateway", new TaskStatus(state, null, now),
                Progress.NONE, Map.of(), submission, now);
    }

    private static TaskCommand.StartTask start(Message m) {
        return new TaskCommand.StartTask(m.taskId(), m.contextId(), null, m, null, null, null, null, null, null,
                null, Map.of(), Instant.now());
    }

    @Test
    void aTaskWhoseRequestNeverLandedIsClosedByOneReplicaAndAHandedTaskIsLeftAlone() throws Exception {
        TaskTopics.ensure(bootstrap, 4);
        Instant began = Instant.now();
        Task.Submission alice = new Task.Submission("alice-" + run, null, null);
        String ctx = "ctx-" + run;
        String handed = "handed-" + run;
        String lost = "lost-" + run;
        String cont = "cont-" + run;
        // early: only the events, written before any gateway of the group runs (a restart after the crash)
        String early = "early-" + run;
        try (KafkaTaskLog before = new KafkaTaskLog(bootstrap, "before-" + run)) {
            Message e = user("m-e", early, "ctx-early-" + run, "early");
            before.appendEvents(early, List.of(status(early, e.contextId(), TaskState.SUBMITTED, alice),
                    new TaskEvent.MessageAdded(early, e.contextId(), "gateway", e, Instant.now()))).join();
        }
        try (Replica a = new Replica("a"); Replica b = new Replica("b");
                KafkaTaskLog writer = new KafkaTaskLog(bootstrap, "writer-" + run)) {
            Await.until(() -> a.sweeper.assigned() + b.sweeper.assigned(), n -> n == 4, Duration.ofSeconds(30),
                    "the two replicas share tasks.requested's 4 partitions out");
            // handed: both writes landed (written first: the sweep reaches it no later than the lost one)
            Message h = user("m-h", handed, ctx, "handed");
            writer.appendEvents(handed, List.of(status(handed, ctx, TaskState.SUBMITTED, alice),
                    new TaskEvent.MessageAdded(handed, ctx, "gateway", h, Instant.now()))).join();
            writer.request(start(h)).join();
            // a follow-up whose ContinueTask never landed (the task's StartTask did, for its first message)
            Message c1 = user("m-c1", cont, ctx, "first");
            Message c2 = user("m-c2", cont, ctx, "second");
            writer.appendEvents(cont, List.of(status(cont, ctx, TaskState.SUBMITTED, alice),
                    new TaskEvent.MessageAdded(cont, ctx, "gateway", c1, Instant.now()),
                    status(cont, ctx, TaskState.INPUT_REQUIRED, null),
                    new TaskEvent.MessageAdded(cont, ctx, "gateway", c2, Instant.now()),
                    status(cont, ctx, TaskState.SUBMITTED, null))).join();
            writer.request(start(c1)).join();
            // lost: only the events, as a gateway killed between the two writes leaves them
            Message l = user("m-l", lost, ctx, "lost");
            writer.appendEvents(lost, List.of(status(lost, ctx, TaskState.SUBMITTED, alice),
                    new TaskEvent.MessageAdded(lost, ctx, "gateway", l, Instant.now()))).join();
            Instant written = Instant.now();

            Task rejected = Await.until(() -> a.view.get(lost).orElse(null),
                    t -> t != null && t.status().state() == TaskState.REJECTED, Duration.ofSeconds(30),
                    "the lost task closed by the sweep");
            Duration took = Duration.between(written, rejected.status().timestamp());
            assertTrue(took.compareTo(AFTER) >= 0 && took.compareTo(Duration.ofSeconds(20)) < 0,
                    "closed after the configured wait, within the bound: " + took);
            assertEquals(StartGap.GATEWAY_STOPPED, rejected.status().message().text());
            assertEquals(alice, rejected.submission(), "its owner still sees it");
            Task restored = Await.until(() -> a.view.get(cont).orElse(null),
                    t -> t != null && t.status().state() == TaskState.INPUT_REQUIRED, Duration.ofSeconds(30),
                    "the undelivered follow-up");
            assertTrue(restored.status().message().text().contains("m-c2"), restored.status().message().text());
            Await.until(() -> b.state(lost), s -> s == TaskState.REJECTED, Duration.ofSeconds(30), "b folds it");
            Await.until(() -> a.state(early), s -> s == TaskState.REJECTED, Duration.ofSeconds(30),
                    "a task left waiting before the gateways started is closed too");
            // the handed task was judged in the same rounds (same partition, earlier): let two more rounds pass
            long rounds = a.sweeper.rounds() + b.sweeper.rounds();
            Await.until(() -> a.sweeper.rounds() + b.sweeper.rounds(), n -> n >= rounds + 4, Duration.ofSeconds(30),
                    "more sweep rounds");
            assertEquals(TaskState.SUBMITTED, a.state(handed), "a task whose request landed waits for its worker");
            assertEquals(List.of(TaskState.REJECTED), statusesOnTheLog(lost, began),
                    "exactly one replica closed it, once");
        }
    }

    /** The statuses written for {@code taskId} after its submission, read back from tasks.events. */
    private List<TaskState> statusesOnTheLog(String taskId, Instant since) {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.forBootstrap(bootstrap).consumer("probe-" + run,
                Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(Topics.TASKS_EVENTS,
                    StartSweeper.partitionOf(taskId, c.partitionsFor(Topics.TASKS_EVENTS).size()));
            c.assign(List.of(p));
            OffsetAndTimestamp from = c.offsetsForTimes(Map.of(p, since.toEpochMilli())).get(p);
            c.seek(p, from.offset());
            long end = c.endOffsets(List.of(p)).get(p);
            List<TaskState> out = new java.util.ArrayList<>();
            while (c.position(p) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    if (taskId.equals(r.key()) && ContractJson.read(r.value(), TaskEvent.class)
                            instanceof TaskEvent.StatusChanged s && s.status().state() != TaskState.SUBMITTED) {
                        out.add(s.status().state());
                    }
                }
            }
            return out;
        }
    }
}
