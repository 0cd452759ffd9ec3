package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.gateway.support.Await;

/**
 * The task store's checkpoint runs beside the event reader, not on it: while a checkpoint is stuck (a slow disk
 * here), events are still folded and a waiting client sees them. And it never claims an offset whose tasks are not
 * durably written: a replica killed while a checkpoint waits to commit restarts warm from the checkpoint before,
 * folds the log's tail again and loses no task. Real broker, real on-disk stores.
 */
class StoreCheckpointTest {
    @TempDir
    Path dir;

    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static TaskEvent submitted(String taskId) {
        Instant now = Instant.now();
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "gateway", new TaskStatus(TaskState.SUBMITTED,
                null, now), Progress.NONE, Map.of(), new Task.Submission("owner", "tenant", null), now);
    }

    private static TaskEvent status(String taskId, TaskState state) {
        Instant now = Instant.now();
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "agent", new TaskStatus(state, null, now),
                Map.of(), now);
    }

    /** A store whose checkpoints wait at a gate while it is shut (a checkpoint stuck on a slow disk). */
    private static final class GatedStore implements TaskStore {
        private final TaskStore store;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        /** Checkpoints waiting at the gate now, and those that went through. */
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        GatedStore(TaskStore store) {
            this.store = store;
        }

        void shut() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public void checkpoint(Map<String, Long> positions) {
            waiting.incrementAndGet();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test's gate stayed shut");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                waiting.decrementAndGet();
            }
            store.checkpoint(positions);
            done.incrementAndGet();
        }

        @Override
        public Optional<TaskView.Versioned> get(String taskId) {
            return store.get(taskId);
        }

        @Override
        public Optional<Summary> summary(String taskId) {
            return store.summary(taskId);
        }

        @Override
        public void put(Task task, long offset) {
            store.put(task, offset);
        }

        @Override
        public void putEncoded(Summary summary, byte[] json) {
            store.putEncoded(summary, json);
        }

        @Override
        public void remove(String taskId) {
            store.remove(taskId);
        }

        @Override
        public Iterator<Summary> newestFirst(Instant afterTimestamp, String afterId) {
            return store.newestFirst(afterTimestamp, afterId);
        }

        @Override
        public Map<Scope, Long> countsByScope() {
            return store.countsByScope();
        }

        @Override
        public List<Summary> resident() {
            return store.resident();
        }

        @Override
        public long size() {
            return store.size();
        }

        @Override
        public Map<String, Long> checkpoint() {
            return store.checkpoint();
        }

        @Override
        public Optional<String> origin() {
            return store.origin();
        }

        @Override
        public void reset(String origin) {
            store.reset(origin);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** A replica as {@link TestReplica} builds it, over a gated store. */
    private static final class Replica implements AutoCloseable {
        final GatedStore store;
        final TaskView view;
        final KafkaTaskLog log;
        final KafkaTaskStateSync sync;

        Replica(String bootstrap, String instanceId, Path storeDir) {
            store = new GatedStore(MvTaskStore.open(storeDir, 1));
            view = new TaskView(store, new TaskCache(5, 1 << 20), e -> { }, (before, after) -> { });
            log = new KafkaTaskLog(bootstrap, instanceId);
            sync = new KafkaTaskStateSync(bootstrap, instanceId, view, log.stateWriter(), (e, t) -> { });
            sync.start(Duration.ofSeconds(60));
        }

        TaskState state(String taskId) {
            return view.get(taskId).map(t -> t.status().state()).orElse(null);
        }

        @Override
        public void close() {
            store.open();
            sync.close();
            log.close();
            store.close();
        }
    }

    private static void awaitState(Replica r, String taskId, TaskState state, String what) {
        Await.until(() -> r.state(taskId), s -> s == state, Duration.ofSeconds(30), what);
    }

    @Test
    void eventsAreFoldedWhileACheckpointIsStuck() {
        TaskTopics.ensure(bootstrap, 4);
        try (Replica a = new Replica(bootstrap, "ckpt-reader-" + run, dir.resolve("a"))) {
            a.store.shut();
            int through = a.store.done.get();
            String first = "first-" + run;
            a.log.appendEvents(first, List.of(submitted(first))).join();
            awaitState(a, first, TaskState.SUBMITTED, "the first task folded");
            // its fold is checkpointed within the interval: that checkpoint now waits at the gate
            Await.until(a.store.waiting::get, n -> n > 0, Duration.ofSeconds(30), "a checkpoint at the gate");
            String second = "second-" + run;
            a.log.appendEvents(second, List.of(submitted(second), status(second, TaskState.COMPLETED))).join();
            awaitState(a, second, TaskState.COMPLETED, "the second task folded while the checkpoint is stuck");
            assertEquals(1, a.store.waiting.get(), "the checkpoint was still stuck while the reader folded");
            assertEquals(through, a.store.done.get(), "no checkpoint got through the gate");
            assertTrue(a.sync.healthy(), "a slow checkpoint is no failure");
        }
    }

    @Test
    void aReplicaKilledBeforeACheckpointCommitsRefoldsTheTailAndLosesNoTask() throws IOException {
        TaskTopics.ensure(bootstrap, 4);
        String instance = "ckpt-kill-" + run;
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        Path image = dir.resolve("killed");
        try (Replica a = new Replica(bootstrap, instance, dir.resolve("a"))) {
            for (int i = 0; i < 20; i++) {
                String id = "before-" + run + "-" + i;
                before.add(id);
                a.log.appendEvents(id, List.of(submitted(id), status(id, TaskState.COMPLETED))).join();
            }
            before.forEach(id -> awaitState(a, id, TaskState.COMPLETED, "the tasks before folded"));
            int checkpoints = a.store.done.get();
            // a checkpoint after those folds commits them with its positions
            Await.until(a.store.done::get, n -> n > checkpoints, Duration.ofSeconds(30), "a checkpoint committed");
            a.store.shut();
            for (int i = 0; i < 20; i++) {
                String id = "after-" + run + "-" + i;
                after.add(id);
                a.log.appendEvents(id, List.of(submitted(id), status(id, TaskState.WORKING),
                        status(id, TaskState.COMPLETED))).join();
            }
            after.forEach(id -> awaitState(a, id, TaskState.COMPLETED, "the tasks after folded"));
            Await.until(a.store.waiting::get, n -> n > 0, Duration.ofSeconds(30), "a checkpoint at the gate");
            // killed now: the file as a crash leaves it (the last commit; the writes since are on the heap only)
            Files.createDirectories(image);
            Files.copy(dir.resolve("a").resolve("tasks.mv.db"), image.resolve("tasks.mv.db"));
        }
        try (Replica b = new Replica(bootstrap, instance, image)) {
            KafkaTaskStateSync.StartReport report = b.sync.lastStart();
            assertTrue(report.warm(), "restarted warm from the checkpoint before the kill: " + report);
            assertEquals(0, report.stateRecords(), "no tasks.state record read on a warm start");
            assertTrue(report.catchUpEvents() >= 3L * after.size(), "the tail after that checkpoint folded again: "
                    + report);
            for (String id : before) {
                assertEquals(TaskState.COMPLETED, b.state(id), "a task the checkpoint covered is in the store: " + id);
            }
            for (String id : after) {
                awaitState(b, id, TaskState.COMPLETED, "a task after the checkpoint folded again: " + id);
            }
        }
    }
}
