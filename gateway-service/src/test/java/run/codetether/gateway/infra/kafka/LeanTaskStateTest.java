package run.codetether.gateway.infra.kafka;

import static run.codetether.gateway.infra.kafka.TestEvents.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.support.Await;

/**
 * Issue 18: {@code tasks.state} is written only for non-partial changes (streamed partial output costs no state
 * record), off the reader thread; a replica restarted without its store still shows the latest streamed text of a
 * task that is mid-stream (it reads that task's events again from its state record). Real broker, real stores.
 */
class LeanTaskStateTest {
    @TempDir
    Path dir;

    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static TaskEvent status(String taskId, TaskState state, String text, boolean partial) {
        Instant now = Instant.now();
        Message m = text == null ? null : Message.agentText("m-" + taskId, "ctx-" + taskId, taskId, text);
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "agent", new TaskStatus(state, m, now),
                partial ? Progress.NONE.asPartial(false) : Progress.NONE, Map.of(), now);
    }

    @Test
    void partialOutputWritesNoStateRecordAndAColdRestartShowsTheLatestStreamedText() {
        TaskTopics.ensure(bootstrap, 4);
        String instance = "lean-" + run;
        String streaming = "streaming-" + run;
        String finished = "finished-" + run;
        List<Long> offsets;
        try (TestReplica a = new TestReplica(bootstrap, instance, dir.resolve("a"))) {
            List<TaskEvent> events = new ArrayList<>(List.of(submitted(streaming, "owner", null),
                    status(streaming, TaskState.WORKING, null, false)));
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                text.append("w").append(i).append(' ');
                events.add(status(streaming, TaskState.WORKING, text.toString(), true));
            }
            offsets = a.log.appendEvents(streaming, events).join();
            List<TaskEvent> done = new ArrayList<>(events.stream().map(e -> retarget(e, finished)).toList());
            done.add(status(finished, TaskState.COMPLETED, "the answer", false));
            a.log.appendEvents(finished, done).join();
            Await.until(() -> a.statusText(streaming), t -> t.equals(Optional.of(text.toString())),
                    Duration.ofSeconds(30), "the stream folded");
            Await.until(() -> a.view.get(finished).map(t -> t.status().state()), s -> s.equals(Optional.of(
                    TaskState.COMPLETED)), Duration.ofSeconds(30), "the finished task folded");
            // the reader commits once the state writes before it are durable: wait until it is past the stream
            TopicPartition tp = new TopicPartition(Topics.TASKS_EVENTS,
                    TaskStateRestore.eventsPartition(streaming, 4));
            long last = offsets.get(offsets.size() - 1);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Await.until(() -> committed(admin, "codetether-gateway-" + instance, tp), at -> at > last,
                        Duration.ofSeconds(30), "the reader's committed position passed the stream");
            }
        }
        List<Task> streamingStates = stateRecords(streaming);
        List<Task> finishedStates = stateRecords(finished);
        assertFalse(streamingStates.isEmpty());
        for (Task t : streamingStates) {
            assertNull(t.status().message(), "no partial text in tasks.state: " + t.status());
        }
        assertTrue(streamingStates.size() <= 2, "submitted and working at most (coalesced), not one per delta: "
                + streamingStates.size());
        assertTrue(finishedStates.size() <= 2, "42 changes, at most 2 state records (one unless a poll took over the hold): " + finishedStates.size());
        Task last = finishedStates.get(finishedStates.size() - 1);
        assertEquals(TaskState.COMPLETED, last.status().state());
        assertEquals("the answer", last.status().message().text());

        // the same instance restarted without its store (cold): tasks.state, then the events of the task in
        // progress again from its state record, so it shows the latest streamed text and not only "working"
        try (TestReplica again = new TestReplica(bootstrap, instance, dir.resolve("lost"))) {
            assertFalse(again.sync.lastStart().warm());
            Task t = again.view.get(streaming).orElseThrow();
            assertEquals(TaskState.WORKING, t.status().state());
            assertEquals(Optional.of(
                    String.join(" ", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "w" + i).toList()) + " "),
                    again.statusText(streaming), "the latest streamed text after a cold restart");
            assertEquals(TaskState.COMPLETED, again.view.get(finished).orElseThrow().status().state());
        }
    }

    private static TaskEvent retarget(TaskEvent e, String taskId) {
        TaskEvent.StatusChanged s = (TaskEvent.StatusChanged) e;
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, s.workerId(), s.status(), s.progress(),
                s.details(), s.submission(), s.at());
    }

    private static long committed(Admin admin, String group, TopicPartition tp) {
        try {
            OffsetAndMetadata at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(tp);
            return at == null ? -1 : at.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Task> stateRecords(String taskId) {
        return TestReplica.stateRecords(bootstrap, "state-reader-" + run, taskId);
    }
}
