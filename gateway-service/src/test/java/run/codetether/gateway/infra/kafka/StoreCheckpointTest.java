package run.codetether.gateway.infra.kafka;

import static run.codetether.gateway.infra.kafka.TestEvents.status;
import static run.codetether.gateway.infra.kafka.TestEvents.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.DelegatingTaskStore;

/**
 * The task store's checkpoint runs beside the event reader, not on it: while a checkpoint is stuck (a slow disk
 * here), events are still folded and a waiting client sees them. A replica killed while a checkpoint waits to commit
 * restarts warm from the checkpoint before, refolds the log's tail and loses no task. A failed checkpoint takes the
 * readiness DOWN until one succeeds. Real broker, real on-disk stores.
 */
class StoreCheckpointTest {
    @TempDir
    Path dir;

    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /**
     * A store whose checkpoints wait at a gate while it is shut (a checkpoint stuck on a slow disk), or fail while
     * it is failing.
     */
    private static final class GatedStore extends DelegatingTaskStore {
        private volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean failing;
        /** Checkpoints waiting at the gate now, and those that went through. */
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        GatedStore(TaskStore store) {
            super(store);
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
            if (failing) {
                throw new IllegalStateException("the test's disk is full");
            }
            super.checkpoint(positions);
            done.incrementAndGet();
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
            String first = "first-" + run;
            a.log.appendEvents(first, List.of(submitted(first, "owner", "tenant"))).join();
            awaitState(a, first, TaskState.SUBMITTED, "the first task folded");
            // its fold is checkpointed within the interval: that checkpoint now waits at the gate
            Await.until(a.store.waiting::get, n -> n > 0, Duration.ofSeconds(30), "a checkpoint at the gate");
            // read only now: a checkpoint of the start's catch-up may have passed the gate before it shut and
            // committed since; the checkpoints run one at a time, so none is past the gate while one waits at it
            int through = a.store.done.get();
            String second = "second-" + run;
            a.log.appendEvents(second, List.of(submitted(second, "owner", "tenant"),
                    status(second, TaskState.COMPLETED))).join();
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
                a.log.appendEvents(id, List.of(submitted(id, "owner", "tenant"), status(id, TaskState.COMPLETED)))
                        .join();
            }
            before.forEach(id -> awaitState(a, id, TaskState.COMPLETED, "the tasks before folded"));
            int checkpoints = a.store.done.get();
            // a checkpoint after those folds commits them with its positions
            Await.until(a.store.done::get, n -> n > checkpoints, Duration.ofSeconds(30), "a checkpoint committed");
            a.store.shut();
            for (int i = 0; i < 20; i++) {
                String id = "after-" + run + "-" + i;
                after.add(id);
                a.log.appendEvents(id, List.of(submitted(id, "owner", "tenant"), status(id, TaskState.WORKING),
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

    @Test
    void aFailedCheckpointTakesTheReadinessDownUntilOneSucceeds() {
        TaskTopics.ensure(bootstrap, 4);
        try (Replica a = new Replica(bootstrap, "ckpt-fail-" + run, dir.resolve("a"))) {
            Await.until(a.sync::healthy, ok -> ok, Duration.ofSeconds(30), "ready after the start");
            a.store.failing = true;
            String id = "failing-" + run;
            a.log.appendEvents(id, List.of(submitted(id, "owner", "tenant"))).join();
            awaitState(a, id, TaskState.SUBMITTED, "the task folded");
            Await.until(a.sync::healthy, ok -> !ok, Duration.ofSeconds(30), "readiness DOWN");
            String why = a.sync.failure().orElseThrow();
            assertTrue(why.contains("the test's disk is full"), why);
            int through = a.store.done.get();
            a.store.failing = false;
            Await.until(a.sync::healthy, ok -> ok, Duration.ofSeconds(30), "readiness UP once a checkpoint succeeds");
            assertTrue(a.store.done.get() > through, "a checkpoint got through");
            assertFalse(a.sync.failure().isPresent(), "no failure reported");
        }
    }
}
