package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmStrategy;

class SwarmCoordinatorTest {
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryResultCache cache = new InMemoryResultCache(100);
    private List<SubtaskPlan> plan = List.of(
            new SubtaskPlan("a", "A", "do a", List.of()),
            new SubtaskPlan("b", "B", "do b", List.of()),
            new SubtaskPlan("c", "C", "do c", List.of()),
            new SubtaskPlan("d", "D", "combine", List.of("a", "b", "c")));

    private SwarmCoordinator coordinator(String id, ProviderRateLimiter limiter, int retries) {
        return new SwarmCoordinator(id, (cmd, max) -> plan, new ResultValidator(3, null), cache, limiter, outbox,
                new SwarmSettings(8, 100, retries), Clock.systemUTC());
    }

    private SwarmCoordinator coordinator() {
        return coordinator("c1", new ProviderRateLimiter(1000, 1000, nanos::get), 1);
    }

    private static SwarmCommand.StartSwarm start(String swarmId, int concurrency) {
        return new SwarmCommand.StartSwarm(swarmId, "task-" + swarmId, "ctx", null, "the goal", SwarmStrategy.AUTO,
                "local", null, concurrency, 0, null, null);
    }

    private void complete(SwarmCoordinator c, TaskCommand.StartTask t) {
        c.onTaskEvent(RecordingOutbox.done(t, TaskState.COMPLETED, "result of " + t.subtask().subtaskId()));
    }

    @Test
    void runsStagesWithinTheConcurrencyLimitAndAggregates() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 2));
        assertEquals(2, outbox.dispatched.size(), "concurrency limit 2");
        assertEquals("task-s1", outbox.dispatched.get(0).parentTaskId());
        assertEquals("s1", outbox.dispatched.get(0).swarmId());
        complete(c, outbox.dispatched.get(0));
        assertEquals(3, outbox.dispatched.size(), "a freed slot takes the next ready subtask");
        complete(c, outbox.dispatched.get(1));
        complete(c, outbox.dispatched.get(2));
        assertEquals(4, outbox.dispatched.size(), "stage 1 starts once its dependencies completed");
        TaskCommand.StartTask d = outbox.dispatched.get(3);
        assertEquals("d", d.subtask().subtaskId());
        assertTrue(d.message().text().contains("result of a") && d.message().text().contains("result of c"),
                "dependency results are passed on");
        complete(c, d);
        TaskEvent.StatusChanged fin = outbox.finalStatus();
        assertEquals(TaskState.COMPLETED, fin.status().state());
        assertEquals("task-s1", fin.taskId());
        assertTrue(fin.status().message().text().contains("4 of 4 subtasks completed"));
        assertTrue(outbox.reported.stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("swarm-result")));
        assertEquals(SwarmPhase.COMPLETED, outbox.last().phase());
        assertTrue(c.activeSwarmIds().isEmpty());
    }

    @Test
    void workerProgressWithUsageIsForwardedPerSubAgent() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        var a = outbox.dispatched.get(0);
        var usage = new run.codetether.contracts.events.Usage(100, 20, 0, 0, 0.001, true);
        c.onTaskEvent(new TaskEvent.StatusChanged(a.taskId(), a.contextId(), "w", new run.codetether.contracts.a2a.TaskStatus(
                TaskState.WORKING, run.codetether.contracts.a2a.Message.agentText("m", "c", a.taskId(), "step 2: grep"), null),
                run.codetether.contracts.events.Progress.step(2).withUsage(usage), java.util.Map.of(), null));
        var progress = (TaskEvent.StatusChanged) outbox.reported.get(outbox.reported.size() - 1);
        assertEquals("task-s1", progress.taskId());
        assertEquals("subtask a: step 2: grep", progress.status().message().text());
        assertEquals(java.util.Map.of("step", 2, "usage", usage.toMetadata()), progress.metadata().get("subtask_metadata"),
                "the sub-agent's typed progress, as its A2A metadata");
        assertEquals("a", progress.metadata().get("subtask_id"));
    }

    @Test
    void cachedSubtasksAreNotRunAgain() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        List.copyOf(outbox.dispatched).forEach(t -> complete(c, t));
        complete(c, outbox.dispatched.get(3));
        int before = outbox.dispatched.size();
        c.start(start("s2", 8));
        assertEquals(before, outbox.dispatched.size(), "every subtask of the same goal came from the cache");
        assertEquals(TaskState.COMPLETED, outbox.finalStatus().status().state());
        assertTrue(outbox.last().subtasks().stream().allMatch(s -> s.cached()));
    }

    @Test
    void rejectedResultsSpendTheRetryBudgetThenFailAndSkipDependents() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        var a1 = outbox.dispatched.get(0);
        c.onTaskEvent(RecordingOutbox.done(a1, TaskState.COMPLETED, "no"));
        var a2 = outbox.dispatched.get(3);
        assertEquals(a1.taskId().replace(".a1", ".a2"), a2.taskId(), "retry is a new attempt");
        c.onTaskEvent(RecordingOutbox.done(a2, TaskState.FAILED, "boom"));
        complete(c, outbox.dispatched.get(1));
        complete(c, outbox.dispatched.get(2));
        var fin = outbox.finalStatus();
        assertEquals(TaskState.FAILED, fin.status().state());
        var last = outbox.last();
        assertEquals(SubtaskStatus.FAILED, last.subtasks().get(0).status());
        assertTrue(last.subtasks().get(0).result().contains("boom"));
        assertEquals(SubtaskStatus.SKIPPED, last.subtasks().get(3).status());
        assertEquals(0, last.retriesLeft());
    }

    @Test
    void staleAndForeignEventsAreIgnored() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        var a = outbox.dispatched.get(0);
        complete(c, a);
        int saved = outbox.saved.size();
        complete(c, a);
        c.onTaskEvent(RecordingOutbox.done(new TaskCommand.StartTask("other", "ctx", null, a.message(), null, null,
                null, null, null, null, null, null), TaskState.COMPLETED, "xxx"));
        assertEquals(saved, outbox.saved.size());
    }

    @Test
    void theRateLimiterHoldsDispatchesUntilTokensReturn() {
        SwarmCoordinator c = coordinator("c1", new ProviderRateLimiter(2, 1, nanos::get), 0);
        c.start(start("s1", 8));
        assertEquals(2, outbox.dispatched.size());
        assertEquals(1_000_000_000L, c.pump());
        nanos.addAndGet(1_000_000_000L);
        assertEquals(-1, c.pump());
        assertEquals(3, outbox.dispatched.size());
    }

    @Test
    void anotherCoordinatorResumesFromSavedStateAndSeesReplayedEvents() {
        SwarmCoordinator first = coordinator();
        first.start(start("s1", 8));
        complete(first, outbox.dispatched.get(0));
        var saved = outbox.last();
        var running = List.copyOf(outbox.dispatched.subList(1, 3));
        SwarmCoordinator second = coordinator("c2", new ProviderRateLimiter(1000, 1000, nanos::get), 1);
        var replayFrom = second.resume(saved);
        assertTrue(replayFrom.isPresent());
        assertEquals(3, outbox.dispatched.size(), "running subtasks are not dispatched again");
        running.forEach(t -> complete(second, t));
        complete(second, outbox.dispatched.get(3));
        assertEquals(TaskState.COMPLETED, outbox.finalStatus().status().state());
        assertEquals("c2", outbox.last().owner());
        assertTrue(outbox.reported.stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().message() != null && s.status().message().text().contains("c2 took over")));
        assertFalse(second.resume(outbox.last()).isPresent(), "a finished swarm is not resumed");
    }

    @Test
    void aPlanThatCannotBeMadeFailsTheSwarmTask() {
        plan = List.of(new SubtaskPlan("a", "A", "x", List.of("b")), new SubtaskPlan("b", "B", "y", List.of("a")));
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        var fin = outbox.finalStatus();
        assertEquals(TaskState.FAILED, fin.status().state());
        assertTrue(fin.status().message().text().contains("cycle"));
        assertEquals(SwarmPhase.FAILED, outbox.last().phase());
    }

    @Test
    void cancelStopsRunningSubtasks() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        c.cancel(new SwarmCommand.CancelSwarm("s1", "user", null));
        assertEquals(3, outbox.canceled.size());
        assertEquals(TaskState.CANCELED, outbox.finalStatus().status().state());
        assertEquals(SwarmPhase.CANCELED, outbox.last().phase());
    }

    private static TaskEvent.StatusChanged doneWithUsage(TaskCommand.StartTask t, TaskState state, String text,
            Usage usage) {
        return new TaskEvent.StatusChanged(t.taskId(), t.contextId(), "w",
                new TaskStatus(state, Message.agentText("m", t.contextId(), t.taskId(), text), null),
                Progress.step(3).withUsage(usage), Map.of(), null);
    }

    @Test
    void whatEverySubAgentSpentIsSummedPerSubtaskAndOnTheSwarmsFinalStatus() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        var a1 = outbox.dispatched.get(0);
        c.onTaskEvent(doneWithUsage(a1, TaskState.COMPLETED, "no", new Usage(1_000, 100, 0, 0, 0.25, true)));
        var rejected = outbox.reported.stream().filter(e -> e instanceof TaskEvent.StatusChanged st
                && "pending".equals(st.metadata().get("subtask_status"))).map(e -> (TaskEvent.StatusChanged) e)
                .findFirst().orElseThrow();
        assertEquals(new Usage(1_000, 100, 0, 0, 0.25, true).toMetadata(), rejected.metadata().get("subtask_usage"),
                "a rejected attempt was paid for");
        var a2 = outbox.dispatched.get(3);
        c.onTaskEvent(doneWithUsage(a2, TaskState.COMPLETED, "result of a", new Usage(2_000, 200, 50, 10, 0.5, true)));
        c.onTaskEvent(doneWithUsage(outbox.dispatched.get(1), TaskState.COMPLETED, "result of b",
                new Usage(10, 1, 0, 0, 0.125, true)));
        complete(c, outbox.dispatched.get(2)); // a worker that reports no usage adds nothing
        c.onTaskEvent(doneWithUsage(outbox.dispatched.get(4), TaskState.COMPLETED, "result of d",
                new Usage(5, 5, 0, 0, 0.125, true)));

        var subtasks = outbox.last().subtasks();
        assertEquals(new Usage(3_000, 300, 50, 10, 0.75, true), subtasks.get(0).usage(), "both attempts of a");
        assertEquals(null, subtasks.get(2).usage(), "c reported nothing: unknown, not $0");
        var fin = outbox.finalStatus();
        assertEquals(TaskState.COMPLETED, fin.status().state());
        assertEquals(new Usage(3_015, 306, 50, 10, 1.0, true).toMetadata(), fin.metadata().get("usage"),
                "the swarm task's total, like any task's final usage");
        var result = outbox.reported.stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("swarm-result")).map(e -> ((TaskEvent.ArtifactAdded) e).artifact())
                .findFirst().orElseThrow();
        var rows = (List<?>) ((Map<?, ?>) ((Part.Data) result.parts().get(1)).data()).get("subtasks");
        assertEquals(new Usage(10, 1, 0, 0, 0.125, true).toMetadata(), ((Map<?, ?>) rows.get(1)).get("usage"));
        assertFalse(((Map<?, ?>) rows.get(2)).containsKey("usage"));
    }

    @Test
    void anUnpricedSubAgentMakesTheSwarmsCostUnknownAndACanceledSwarmStillShowsWhatItSpent() {
        SwarmCoordinator c = coordinator();
        c.start(start("s1", 8));
        c.onTaskEvent(doneWithUsage(outbox.dispatched.get(0), TaskState.COMPLETED, "result of a",
                new Usage(7, 3, 0, 0, 0.5, true)));
        c.onTaskEvent(doneWithUsage(outbox.dispatched.get(1), TaskState.COMPLETED, "result of b",
                new Usage(1, 1, 0, 0, null, false)));
        c.cancel(new SwarmCommand.CancelSwarm("s1", "user", null));
        var fin = outbox.finalStatus();
        assertEquals(TaskState.CANCELED, fin.status().state());
        assertEquals(new Usage(8, 4, 0, 0, null, false).toMetadata(), fin.metadata().get("usage"),
                "priced and unpriced: unpriced, never a partial figure");
    }
}
