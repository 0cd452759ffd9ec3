package run.codetether.gateway.infra.kafka;

import static run.codetether.gateway.infra.kafka.TestEvents.status;
import static run.codetether.gateway.infra.kafka.TestEvents.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.support.Await;

/**
 * Issue 19 item 1 (restart to ready at any size): a replica restarted with its task store reads only the events
 * after the store's checkpoint (no tasks.state record), folds each of them once (an appended artifact is not
 * appended twice), counts its tasks in progress for admission again, and lists what it stored; a replica with an
 * empty store rebuilds the same tasks from tasks.state. Real broker, real on-disk stores.
 */
class TaskStoreRestartTest {
    @TempDir
    Path dir;

    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String tenant = "tenant-" + run;
    /** Other tests leave tasks in progress on the shared broker: counts are taken for this owner only. */
    private final String owner = "owner-" + run;

    private static TaskEvent chunk(String taskId, String text) {
        return new TaskEvent.ArtifactAdded(taskId, "ctx-" + taskId, "agent", new Artifact("out", "out", null,
                List.of(Part.Text.of(text)), null, null), true, false, Instant.now());
    }

    /** The task's first artifact's text parts joined (appended chunks included). */
    private static String text(TestReplica r, String taskId) {
        Task t = r.view.get(taskId).orElseThrow();
        return ((Part.Text) t.artifacts().get(0).parts().stream().reduce((a, b) -> Part.Text.of(
                ((Part.Text) a).text() + ((Part.Text) b).text())).orElseThrow()).text();
    }

    @Test
    void aRestartReadsOnlyTheTailAndAnEmptyStoreRebuildsTheSameTasks() {
        TaskTopics.ensure(bootstrap, 4);
        String instance = "store-" + run;
        List<String> done = new ArrayList<>();
        String streaming = "streaming-" + run;
        try (TestReplica a = new TestReplica(bootstrap, instance, dir.resolve("a"))) {
            assertFalse(a.sync.lastStart().warm(), "a new store starts cold");
            for (int i = 0; i < 30; i++) {
                String id = "done-" + run + "-" + i;
                done.add(id);
                a.log.appendEvents(id, List.of(submitted(id, owner, tenant), chunk(id, "r" + i),
                        status(id, TaskState.COMPLETED))).join();
            }
            a.log.appendEvents(streaming, List.of(submitted(streaming, owner, tenant),
                    status(streaming, TaskState.WORKING), chunk(streaming, "one,"))).join();
            Await.until(() -> a.view.get(streaming).map(t -> t.artifacts().size()).orElse(0), n -> n == 1,
                    Duration.ofSeconds(30), "the streaming task folded");
            Await.until(() -> done.stream().allMatch(id -> a.view.get(id).map(t -> t.status().state())
                    .orElse(null) == TaskState.COMPLETED), ok -> ok, Duration.ofSeconds(30), "the tasks finished");
            assertTrue(a.view.inMemory() - a.view.inProgress().size() <= 5, "finished tasks left memory but the"
                    + " cache of 5: " + a.view.inMemory() + " in memory, " + a.view.inProgress().size() + " in progress");
            assertEquals(1, a.inFlight.of(owner));
        }
        // while the replica is down: the streaming task goes on, one more task is sent
        String later = "later-" + run;
        try (KafkaTaskLog writer = new KafkaTaskLog(bootstrap, "writer-" + run)) {
            writer.appendEvents(streaming, List.of(chunk(streaming, "two"))).join();
            writer.appendEvents(later, List.of(submitted(later, owner, tenant))).join();
        }
        try (TestReplica a = new TestReplica(bootstrap, instance, dir.resolve("a"))) {
            KafkaTaskStateSync.StartReport report = a.sync.lastStart();
            assertTrue(report.warm(), "restarted with its store: " + report);
            assertEquals(0, report.stateRecords(), "no tasks.state record read on a warm start");
            // the stop checkpointed every event it folded: the start reads only the two written while it was down
            assertEquals(2, report.catchUpEvents(), "only the log's tail caught up on: " + report);
            assertTrue(a.view.inProgress().stream().anyMatch(t -> t.id().equals(streaming)),
                    "the streaming task came from the store: " + report);
            Await.until(() -> a.view.get(later), t -> t.isPresent(), Duration.ofSeconds(30), "the tail folded");
            assertEquals("one,two", text(a, streaming), "each appended chunk once");
            assertEquals(2, a.inFlight.of(owner), "streaming and later hold slots");
            assertEquals(32, page(a, null).totalSize());
            assertEquals("r7", text(a, done.get(7)), "a finished task read back from disk");
        }
        // a new replica (empty store) rebuilds the same tasks from tasks.state
        try (TestReplica b = new TestReplica(bootstrap, "fresh-" + run, dir.resolve("b"))) {
            assertFalse(b.sync.lastStart().warm());
            assertTrue(b.sync.lastStart().stateRecords() >= 32, "read tasks.state: " + b.sync.lastStart());
            // appended text joins the text before it (one part): wait for the whole text, not for a part count
            Await.until(() -> b.view.get(streaming).filter(t -> !t.artifacts().isEmpty()).isPresent()
                    ? text(b, streaming) : "", "one,two"::equals,
                    Duration.ofSeconds(30), "the streaming task as the log has it");
            assertEquals("one,two", text(b, streaming));
            assertEquals("r29", text(b, done.get(29)));
            assertEquals(2, b.inFlight.of(owner));
            TaskPage first = page(b, null);
            assertEquals(32, first.totalSize());
            assertEquals(later, first.tasks().get(0).id(), "newest first");
            TaskPage second = page(b, first.nextPageToken());
            assertEquals(10, second.tasks().size());
            assertFalse(first.tasks().get(9).id().equals(second.tasks().get(0).id()));
        }
    }

    private TaskPage page(TestReplica r, String token) {
        return new TaskEngine(r.log, r.view, "test").list(new ListQuery(tenant, null, null, 10, token, 0, null,
                false), new Caller(owner));
    }
}
