package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * Model calls run off the coordinator's lock and off the caller's (consumer) thread: a slow planning call or a slow
 * model check of one swarm never holds up the events of another.
 */
class SwarmCoordinatorLockingTest {
    /** Opens the send of the "stuck" swarm's subtask (a producer waiting for the broker until then). */
    final CountDownLatch brokerBack = new CountDownLatch(1);
    final CountDownLatch sendBlocked = new CountDownLatch(1);
    final RecordingOutbox outbox = new SynchronizedOutbox() {
        @Override
        public void dispatch(TaskCommand.StartTask subtask) {
            if ("stuck".equals(subtask.swarmId())) {
                sendBlocked.countDown();
                SwarmCoordinatorLockingTest.await(brokerBack);
            }
            super.dispatch(subtask);
        }
    };
    final ExecutorService modelCalls = Executors.newVirtualThreadPerTaskExecutor();
    final CountDownLatch slowModel = new CountDownLatch(1);
    final List<SubtaskPlan> plan = List.of(new SubtaskPlan("a", "A", "do a", List.of()));

    /** Plans "slow" swarms only after {@link #slowModel} opens. */
    final Decomposer decomposer = (cmd, max) -> {
        if (cmd.goal().startsWith("slow")) {
            await(slowModel);
        }
        return plan;
    };

    @AfterEach
    void stop() {
        slowModel.countDown();
        brokerBack.countDown();
        modelCalls.shutdownNow();
    }

    SwarmCoordinator coordinator(ResultValidator validator) {
        return coordinator(validator, SwarmSettings.DEFAULT_MAX_QUEUED_WRITES);
    }

    SwarmCoordinator coordinator(ResultValidator validator, int maxQueuedWrites) {
        return new SwarmCoordinator("c1", decomposer, validator, new InMemoryResultCache(10),
                new ProviderRateLimiter(1000, 1000, System::nanoTime), outbox,
                new SwarmSettings(8, 100, 1, maxQueuedWrites), Clock.systemUTC(), AnswerAggregator.JOIN, modelCalls);
    }

    static SwarmCommand.StartSwarm start(String id, String goal) {
        return new SwarmCommand.StartSwarm(id, "task-" + id, "ctx-" + id, null, goal, SwarmStrategy.AUTO, "local",
                null, 8, 0, null, null);
    }

    TaskCommand.StartTask dispatchedOf(String swarmId) {
        synchronized (outbox) {
            return outbox.dispatched.stream().filter(t -> swarmId.equals(t.swarmId())).findFirst().orElse(null);
        }
    }

    TaskState finalStateOf(String taskId) {
        synchronized (outbox) {
            return outbox.reported.stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal()
                    && s.taskId().equals(taskId)).map(e -> ((TaskEvent.StatusChanged) e).status().state())
                    .findFirst().orElse(null);
        }
    }

    @Test
    void aSlowPlanOfOneSwarmDoesNotHoldUpAnotherSwarmsEvents() throws Exception {
        SwarmCoordinator c = coordinator(new ResultValidator(1, null));
        c.start(start("fast", "quick goal"));
        waitFor(() -> dispatchedOf("fast") != null, "the fast swarm's subtask");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> c.start(start("slow", "slow goal")),
                "start returns at once: the plan is made on the model-call executor");
        assertTrue(c.activeSwarmIds().contains("slow"), "a swarm being planned is owned (released on rebalance)");
        assertEquals(SwarmPhase.PLANNING, lastSavedOf("slow"), "saved as planning so a successor re-plans it");

        TaskCommand.StartTask t = dispatchedOf("fast");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> c.onTaskEvent(RecordingOutbox.done(t,
                TaskState.COMPLETED, "fast result")), "the other swarm's event is handled while the plan is slow");
        waitFor(() -> finalStateOf("task-fast") == TaskState.COMPLETED, "the fast swarm's answer");
        assertTrue(dispatchedOf("slow") == null, "the slow swarm is still planning");

        slowModel.countDown();
        waitFor(() -> dispatchedOf("slow") != null, "the slow swarm's subtask once its plan came");
    }

    @Test
    void aPlanThatArrivesAfterTheSwarmWasCanceledIsDropped() throws Exception {
        SwarmCoordinator c = coordinator(new ResultValidator(1, null));
        c.start(start("slow", "slow goal"));
        c.cancel(new SwarmCommand.CancelSwarm("slow", "user", null));
        assertEquals(TaskState.CANCELED, finalStateOf("task-slow"));
        slowModel.countDown();
        modelCalls.shutdown();
        assertTrue(modelCalls.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(dispatchedOf("slow") == null, "no subtask of a canceled swarm runs");
        assertFalse(c.activeSwarmIds().contains("slow"));
    }

    @Test
    void aSlowModelCheckOfOneResultDoesNotHoldUpAnotherSwarm() throws Exception {
        CountDownLatch checkStarted = new CountDownLatch(1);
        ChatPort slowChecker = (provider, model, system, user, schema) -> {
            if (user.contains("slow result")) {
                checkStarted.countDown();
                await(slowModel);
            }
            return "{\"valid\":true,\"reason\":\"ok\"}";
        };
        SwarmCoordinator c = coordinator(new ResultValidator(1, slowChecker));
        c.start(start("one", "goal one"));
        c.start(start("two", "goal two"));
        waitFor(() -> dispatchedOf("one") != null && dispatchedOf("two") != null, "both swarms dispatched");
        TaskCommand.StartTask one = dispatchedOf("one");
        TaskCommand.StartTask two = dispatchedOf("two");
        c.onTaskEvent(RecordingOutbox.done(one, TaskState.COMPLETED, "slow result"));
        assertTrue(checkStarted.await(5, TimeUnit.SECONDS));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> c.onTaskEvent(RecordingOutbox.done(two,
                TaskState.COMPLETED, "fine result")));
        waitFor(() -> finalStateOf("task-two") == TaskState.COMPLETED, "swarm two finished while one is checked");
        assertTrue(finalStateOf("task-one") == null);
        slowModel.countDown();
        waitFor(() -> finalStateOf("task-one") == TaskState.COMPLETED, "swarm one after its check");
    }

    @Test
    void aSendThatBlocksOnTheBrokerDoesNotHoldUpAnotherSwarmsEvents() throws Exception {
        SwarmCoordinator c = coordinator(new ResultValidator(1, null));
        c.start(start("free", "goal free"));
        waitFor(() -> dispatchedOf("free") != null, "the free swarm's subtask");
        c.start(start("stuck", "goal stuck"));
        assertTrue(sendBlocked.await(5, TimeUnit.SECONDS), "the stuck swarm's subtask is being sent");

        TaskCommand.StartTask free = dispatchedOf("free");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> c.onTaskEvent(RecordingOutbox.done(free,
                TaskState.COMPLETED, "free result")), "another swarm's event is handled while a send waits");
        waitFor(() -> !c.activeSwarmIds().contains("free"), "the free swarm answered while the send waits");
        assertTrue(c.activeSwarmIds().contains("stuck"));
        assertEquals(null, finalStateOf("task-free"), "its writes wait behind the blocked one, in order");

        brokerBack.countDown();
        waitFor(() -> finalStateOf("task-free") == TaskState.COMPLETED, "the free swarm's answer once sends go");
        waitFor(() -> dispatchedOf("stuck") != null, "the stuck swarm's subtask");
        synchronized (outbox) {
            int stuckDispatch = outbox.dispatched.indexOf(dispatchedOf("stuck"));
            assertEquals(1, stuckDispatch, "sent in the order they were queued");
        }
    }

    @Test
    void pastTheQueueBoundTheConsumerThreadWaitsForTheBrokerAndNoWriteIsLost() throws Exception {
        SwarmCoordinator c = coordinator(new ResultValidator(1, null), 2);
        c.start(start("stuck", "goal stuck"));
        assertTrue(sendBlocked.await(5, TimeUnit.SECONDS), "the stuck swarm's subtask is being sent");

        int inputs = 10;
        AtomicInteger taken = new AtomicInteger();
        Thread consumer = Thread.ofPlatform().name("swarm-requested-consumer").start(() -> {
            for (int i = 1; i <= inputs; i++) {
                c.start(start("s" + i, "goal " + i));
                taken.set(i);
            }
        });
        // each start queues a save and a progress event, each plan a dispatch, a save and an event: past 2 queued
        // writes the consumer thread waits for the stalled send instead of taking the next swarm
        waitFor(() -> consumer.getState() == Thread.State.WAITING, "the consumer thread waiting at the bound");
        int atBound = taken.get();
        Thread.sleep(300);
        assertTrue(atBound < inputs, "took " + atBound + " of " + inputs + " inputs while the broker stalled");
        assertEquals(atBound, taken.get(), "no new input while it waits");
        assertTrue(consumer.isAlive());

        brokerBack.countDown();
        consumer.join(10_000);
        assertEquals(inputs, taken.get());
        for (int i = 1; i <= inputs; i++) {
            String id = "s" + i;
            waitFor(() -> dispatchedOf(id) != null, "the subtask of " + id);
        }
        synchronized (outbox) {
            assertEquals(inputs + 1, outbox.dispatched.size(), "every subtask sent once");
            for (int i = 1; i <= inputs; i++) {
                String id = "s" + i;
                assertEquals(SwarmPhase.PLANNING, outbox.saved.stream().filter(st -> st.swarmId().equals(id))
                        .findFirst().orElseThrow().phase(), "the first state of " + id + " is its planning one");
            }
        }
    }

    SwarmPhase lastSavedOf(String swarmId) {
        synchronized (outbox) {
            return outbox.saved.stream().filter(s -> s.swarmId().equals(swarmId)).reduce((a, b) -> b).orElseThrow()
                    .phase();
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The recording outbox, safe for the coordinator's and the model calls' threads. */
    static class SynchronizedOutbox extends RecordingOutbox {
        @Override
        public synchronized void dispatch(TaskCommand.StartTask subtask) {
            super.dispatch(subtask);
        }

        @Override
        public synchronized void cancel(run.codetether.contracts.events.TaskControl.CancelTask cancel) {
            super.cancel(cancel);
        }

        @Override
        public synchronized void report(TaskEvent event) {
            super.report(event);
        }

        @Override
        public synchronized void save(run.codetether.contracts.swarm.SwarmState state) {
            super.save(state);
        }
    }
}
