package run.codetether.swarm.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.apache.kafka.clients.producer.ProducerRecord;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.swarm.infra.kafka.KafkaSwarmRuntime;
import run.codetether.swarm.testing.ScriptedOpenAiServer;

/** End to end on the real broker: coordinators, scripted decomposer, test-side agent workers. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSwarmRuntimeTest {
    /** Six independent subtasks, then four that each need two of them: a two-stage DAG of ten. */
    static final String PLAN = """
            {"subtasks":[
             {"id":"s0","title":"Scan module 0","instruction":"scan 0","depends_on":[]},
             {"id":"s1","title":"Scan module 1","instruction":"scan 1","depends_on":[]},
             {"id":"s2","title":"Scan module 2","instruction":"scan 2","depends_on":[]},
             {"id":"s3","title":"Scan module 3","instruction":"scan 3","depends_on":[]},
             {"id":"s4","title":"Scan module 4","instruction":"scan 4","depends_on":[]},
             {"id":"s5","title":"Scan module 5","instruction":"scan 5","depends_on":[]},
             {"id":"f6","title":"Fix 0+1","instruction":"fix","depends_on":["s0","s1"]},
             {"id":"f7","title":"Fix 2+3","instruction":"fix","depends_on":["s2","s3"]},
             {"id":"f8","title":"Fix 4+5","instruction":"fix","depends_on":["s4","s5"]},
             {"id":"f9","title":"Report","instruction":"report","depends_on":["s0","s5"]}]}""";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Set<String> swarms = ConcurrentHashMap.newKeySet();
    private ScriptedOpenAiServer llm;
    private String bootstrap;

    @BeforeEach
    void setUp(EmbeddedKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        llm = new ScriptedOpenAiServer(request -> PLAN);
        closing.add(llm);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private SwarmCommand.StartSwarm start(String goal) {
        String id = "swarm-" + UUID.randomUUID();
        swarms.add(id);
        return new SwarmCommand.StartSwarm(id, "task-" + id, "ctx-" + id, null, goal, SwarmStrategy.STAGE, "local",
                null, 8, 0, null, null);
    }

    private static String answer(TaskEvent.StatusChanged fin) {
        return fin.status().message().text();
    }

    @Test
    void tenSubtaskTwoStageSwarmIsAggregatedFromTwoWorkers() {
        String group = "g-" + UUID.randomUUID();
        closeLater(SwarmKafkaHarness.runtime(bootstrap, group, "coord-1", llm.baseUrl()));
        var workers = closeLater(new SwarmKafkaHarness.Workers(bootstrap, "w-" + UUID.randomUUID(), 2, swarms));
        var producer = closeLater(SwarmKafkaHarness.producer(bootstrap));
        var cmd = start("audit the repo " + UUID.randomUUID());
        var watcher = closeLater(new SwarmKafkaHarness.TaskWatcher(bootstrap, cmd.taskId()));

        SwarmKafkaHarness.send(producer, cmd);
        var fin = watcher.awaitFinal(Duration.ofSeconds(60));

        assertEquals(TaskState.COMPLETED, fin.status().state(), answer(fin));
        for (String id : List.of("s0", "s5", "f6", "f9")) {
            assertTrue(answer(fin).contains("result of " + id), answer(fin));
        }
        assertTrue(answer(fin).contains("10 of 10 subtasks completed"), answer(fin));
        assertEquals(10, workers.received.size(), "each subtask ran exactly once: " + workers.perWorker);
        assertEquals(10, workers.received.stream().map(t -> t.subtask().subtaskId()).distinct().count());
        TaskCommand.StartTask f6 = workers.received.stream().filter(t -> "f6".equals(t.subtask().subtaskId()))
                .findFirst().orElseThrow();
        assertTrue(f6.message().text().contains("result of s0") && f6.message().text().contains("result of s1"));
        assertEquals(cmd.taskId(), f6.parentTaskId());
        assertEquals(cmd.swarmId(), f6.swarmId());
        var texts = watcher.progressTexts();
        assertTrue(texts.stream().anyMatch(t -> t.contains("planned 10 subtasks in 2 stages")), texts.toString());
        assertEquals(10, texts.stream().filter(t -> t.matches("subtask \\S+ completed")).count(), texts.toString());
        assertTrue(watcher.events.stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("swarm-result")));
        var request = llm.requests().get(0);
        assertEquals("json_object", request.path("response_format").path("type").asText(), request.toString());
        assertTrue(ScriptedOpenAiServer.userText(request).startsWith("audit the repo"));
    }

    @Test
    void anotherInstanceTakesOverWhenTheCoordinatorStops() throws Exception {
        String group = "g-" + UUID.randomUUID();
        KafkaSwarmRuntime a = closeLater(SwarmKafkaHarness.runtime(bootstrap, group, "coord-a", llm.baseUrl()));
        KafkaSwarmRuntime b = closeLater(SwarmKafkaHarness.runtime(bootstrap, group, "coord-b", llm.baseUrl()));
        var workers = closeLater(new SwarmKafkaHarness.Workers(bootstrap, "w-" + UUID.randomUUID(), 2, swarms));
        workers.hold.set(true);
        var producer = closeLater(SwarmKafkaHarness.producer(bootstrap));
        var cmd = start("refactor " + UUID.randomUUID());
        var watcher = closeLater(new SwarmKafkaHarness.TaskWatcher(bootstrap, cmd.taskId()));
        SwarmKafkaHarness.send(producer, cmd);

        List<TaskCommand.StartTask> firstStage = new ArrayList<>();
        while (firstStage.size() < 6) {
            var t = workers.held.poll(60, TimeUnit.SECONDS);
            assertTrue(t != null, "stage 0 was not dispatched");
            firstStage.add(t);
        }
        KafkaSwarmRuntime owner = a.coordinator().activeSwarmIds().contains(cmd.swarmId()) ? a : b;
        KafkaSwarmRuntime survivor = owner == a ? b : a;
        owner.close();
        // the workers finish while no instance may own the swarm yet: the successor replays these events
        workers.hold.set(false);
        firstStage.forEach(t -> workers.complete(t, "worker-x"));
        var fin = watcher.awaitFinal(Duration.ofSeconds(90));

        assertEquals(TaskState.COMPLETED, fin.status().state(), answer(fin));
        assertTrue(answer(fin).contains("10 of 10 subtasks completed"), answer(fin));
        String survivorId = survivor == a ? "coord-a" : "coord-b";
        assertEquals(survivorId, fin.workerId(), "the survivor finished the swarm");
        assertTrue(watcher.progressTexts().stream().anyMatch(t -> t.contains(survivorId + " took over")));
        Set<Object> ids = new HashSet<>();
        workers.received.forEach(t -> assertTrue(ids.add(t.subtask().subtaskId()),
                "subtask " + t.subtask().subtaskId() + " was dispatched twice"));
        assertEquals(10, ids.size());
    }

    @Test
    void cachedSubtasksAreNotRunAgainEvenOnAnotherInstance() {
        String goal = "document the api " + UUID.randomUUID();
        var workers = closeLater(new SwarmKafkaHarness.Workers(bootstrap, "w-" + UUID.randomUUID(), 2, swarms));
        var producer = closeLater(SwarmKafkaHarness.producer(bootstrap));
        KafkaSwarmRuntime first = closeLater(SwarmKafkaHarness.runtime(bootstrap, "g-" + UUID.randomUUID(), "coord-1", llm.baseUrl()));
        var one = start(goal);
        try (var watcher = new SwarmKafkaHarness.TaskWatcher(bootstrap, one.taskId())) {
            SwarmKafkaHarness.send(producer, one);
            assertEquals(TaskState.COMPLETED, watcher.awaitFinal(Duration.ofSeconds(60)).status().state());
        } finally {
            first.close();
        }
        assertEquals(10, workers.received.size());

        closeLater(SwarmKafkaHarness.runtime(bootstrap, "g-" + UUID.randomUUID(), "coord-2", llm.baseUrl()));
        var two = start(goal);
        var watcher = closeLater(new SwarmKafkaHarness.TaskWatcher(bootstrap, two.taskId()));
        SwarmKafkaHarness.send(producer, two);
        var fin = watcher.awaitFinal(Duration.ofSeconds(60));

        assertEquals(TaskState.COMPLETED, fin.status().state(), answer(fin));
        assertEquals(10, workers.received.size(), "no subtask of the second swarm reached a worker");
        assertEquals(10, watcher.progressTexts().stream().filter(t -> t.endsWith("answered from cache")).count());
        assertTrue(answer(fin).contains("result of f9"));
    }

    @Test
    void aSlowPlanOfOneSwarmDoesNotHoldUpAnotherOnTheSameCoordinator() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        llm.script(request -> {
            if (ScriptedOpenAiServer.userText(request).startsWith("slow")) {
                try {
                    slow.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return PLAN;
        });
        try {
            var runtime = closeLater(SwarmKafkaHarness.runtime(bootstrap, "g-" + UUID.randomUUID(), "coord-1",
                    llm.baseUrl()));
            closeLater(new SwarmKafkaHarness.Workers(bootstrap, "w-" + UUID.randomUUID(), 2, swarms));
            var producer = closeLater(SwarmKafkaHarness.producer(bootstrap));
            var slowSwarm = start("slow goal " + UUID.randomUUID());
            var fastSwarm = start("fast goal " + UUID.randomUUID());
            var slowWatcher = closeLater(new SwarmKafkaHarness.TaskWatcher(bootstrap, slowSwarm.taskId()));
            var fastWatcher = closeLater(new SwarmKafkaHarness.TaskWatcher(bootstrap, fastSwarm.taskId()));
            SwarmKafkaHarness.send(producer, slowSwarm);
            slowWatcher.await(e -> e instanceof TaskEvent.StatusChanged s && s.status().message() != null
                    && s.status().message().text().startsWith("planning"), Duration.ofSeconds(30));
            SwarmKafkaHarness.send(producer, fastSwarm);

            var fin = fastWatcher.awaitFinal(Duration.ofSeconds(60));
            assertEquals(TaskState.COMPLETED, fin.status().state(), answer(fin));
            assertTrue(runtime.coordinator().activeSwarmIds().contains(slowSwarm.swarmId())
                    && runtime.coordinator().state(slowSwarm.swarmId()).isEmpty(),
                    "the slow swarm is still planning while the other one ran all ten subtasks");
            slow.countDown();
            assertEquals(TaskState.COMPLETED, slowWatcher.awaitFinal(Duration.ofSeconds(60)).status().state());
        } finally {
            slow.countDown();
        }
    }

    @Test
    void anIdleCoordinatorReadsNoOtherTasksEventsAndStillHearsItsSubtasks() throws Exception {
        var runtime = closeLater(SwarmKafkaHarness.runtime(bootstrap, "g-" + UUID.randomUUID(), "coord-1",
                llm.baseUrl()));
        closeLater(new SwarmKafkaHarness.Workers(bootstrap, "w-" + UUID.randomUUID(), 2, swarms));
        var producer = closeLater(SwarmKafkaHarness.producer(bootstrap));
        awaitTrue(runtime::taskEventsPaused, "the task-event reader pauses while no swarm is owned");
        long before = runtime.taskEventsRead();
        int others = 500;
        for (int i = 0; i < others; i++) {
            String task = "other-" + i;
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, task, new TaskEvent.StatusChanged(task, "ctx",
                    "agent-x", new TaskStatus(TaskState.COMPLETED, null, null), null, null)));
        }
        producer.flush();

        for (int round = 0; round < 2; round++) { // the second swarm starts after the reader paused again
            var cmd = start("audit " + round + " " + UUID.randomUUID());
            try (var watcher = new SwarmKafkaHarness.TaskWatcher(bootstrap, cmd.taskId())) {
                SwarmKafkaHarness.send(producer, cmd);
                var fin = watcher.awaitFinal(Duration.ofSeconds(60));
                assertEquals(TaskState.COMPLETED, fin.status().state(), answer(fin));
                assertTrue(answer(fin).contains("10 of 10 subtasks completed"), answer(fin));
            }
            awaitTrue(runtime::taskEventsPaused, "the reader pauses again once the swarm is answered");
        }
        long read = runtime.taskEventsRead() - before;
        assertTrue(read < others, "the coordinator read " + read + " task events; the " + others
                + " written while it owned no swarm were skipped, so only the swarms' own are expected");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(10);
        }
    }
}
