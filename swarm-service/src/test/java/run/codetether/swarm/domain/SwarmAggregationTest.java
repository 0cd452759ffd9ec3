package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.swarm.infra.llm.OpenAiCompatChat;
import run.codetether.swarm.infra.llm.SwarmProviders;

/** The model writes the swarm's answer; the joined results stay as an artifact and are the labelled fallback. */
class SwarmAggregationTest {
    final ScriptedLlmServer llm = ScriptedLlmServer.start();
    final ChatPort chat = new OpenAiCompatChat(SwarmProviders.local(llm.openAiBaseUrl(), "agg-model"),
            Duration.ofSeconds(10));
    final RecordingOutbox outbox = new RecordingOutbox();
    final List<SubtaskPlan> plan = List.of(new SubtaskPlan("a", "Parser", "port the parser", List.of()),
            new SubtaskPlan("b", "Tests", "port the tests", List.of()));

    @AfterEach
    void stop() {
        llm.close();
    }

    SwarmCoordinator coordinator(String id, AnswerAggregator aggregator, Executor executor) {
        return new SwarmCoordinator(id, (cmd, max) -> plan, new ResultValidator(1, null), new InMemoryResultCache(10),
                new ProviderRateLimiter(1000, 1000, System::nanoTime), outbox, new SwarmSettings(8, 100, 0),
                Clock.systemUTC(), aggregator, executor);
    }

    static SwarmCommand.StartSwarm start() {
        // the sub-agents' provider is one this service has no endpoint for: its own calls use its default
        return new SwarmCommand.StartSwarm("sw", "task-sw", "ctx", null, "port the module", SwarmStrategy.AUTO,
                "moonshotai", "kimi-k2", 0, 0, null, null);
    }

    void completeAll(SwarmCoordinator c) {
        for (TaskCommand.StartTask t : List.copyOf(outbox.dispatched)) {
            c.onTaskEvent(RecordingOutbox.done(t, TaskState.COMPLETED, "result of " + t.subtask().subtaskId()));
        }
    }

    String artifactText(String name) {
        return outbox.reported.stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                        && a.artifact().name().equals(name))
                .map(e -> ((Part.Text) ((TaskEvent.ArtifactAdded) e).artifact().parts().get(0)).text())
                .findFirst().orElseThrow();
    }

    @Test
    void theModelWritesTheAnswerFromEverySubtaskResult() {
        llm.enqueue(Reply.text("MERGED: parser and tests ported"));
        SwarmCoordinator c = coordinator("c1", new LlmAggregator(chat), Runnable::run);
        c.start(start());
        assertEquals("ctx", outbox.dispatched.get(0).subtask().workspaceId(),
                "sub-agents work in the swarm's workspace");
        completeAll(c);

        var fin = outbox.finalStatus();
        assertEquals(TaskState.COMPLETED, fin.status().state());
        assertEquals("MERGED: parser and tests ported", fin.status().message().text());
        assertEquals("model", fin.metadata().get("aggregation"));
        assertNull(fin.metadata().get("aggregation_error"));
        assertEquals("MERGED: parser and tests ported", artifactText("swarm-result"));
        assertTrue(artifactText("swarm-subtask-results").contains("result of a"), "the joined results are kept");
        assertEquals("MERGED: parser and tests ported", outbox.last().answer());
        String asked = llm.requests().get(0).bodyText();
        assertTrue(asked.contains("port the module") && asked.contains("result of a") && asked.contains("result of b"),
                asked);
        assertTrue(asked.contains("agg-model"), "the default endpoint's model, not the sub-agents' kimi-k2");
    }

    @Test
    void aFailedModelCallFallsBackToTheLabelledJoinAndSaysWhy() {
        llm.enqueue(Reply.serverError());
        SwarmCoordinator c = coordinator("c1", new LlmAggregator(chat), Runnable::run);
        c.start(start());
        completeAll(c);

        var fin = outbox.finalStatus();
        assertEquals(TaskState.COMPLETED, fin.status().state(), "the subtasks did their work: still completed");
        String answer = fin.status().message().text();
        assertTrue(answer.startsWith("> Model aggregation failed ("), answer);
        assertTrue(answer.contains("result of a") && answer.contains("2 of 2 subtasks completed"), answer);
        assertEquals("fallback", fin.metadata().get("aggregation"));
        assertTrue(String.valueOf(fin.metadata().get("aggregation_error")).contains("provider 'local' call failed"),
                String.valueOf(fin.metadata()));
    }

    @Test
    void anAnswerBeingWrittenIsDroppedWhenTheSwarmIsCanceledMeanwhile() {
        List<Runnable> pending = new ArrayList<>();
        SwarmCoordinator c = coordinator("c1", (cmd, subs) -> new AnswerAggregator.Aggregate("LATE", "model", null),
                pending::add);
        c.start(start());
        assertEquals(1, pending.size(), "planning runs on the model-call executor too");
        pending.remove(0).run();
        completeAll(c);
        assertEquals(1, pending.size(), "the answer is written off the coordinator's lock");
        assertTrue(c.activeSwarmIds().contains("sw"), "the swarm stays active until its answer is saved");
        c.pump();
        assertEquals(1, pending.size(), "one aggregation per swarm");
        c.cancel(new SwarmCommand.CancelSwarm("sw", "user", null));
        pending.get(0).run();
        assertEquals(TaskState.CANCELED, outbox.finalStatus().status().state());
        assertFalse(outbox.reported.stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED));
    }

    @Test
    void aSuccessorThatTakesOverDuringAggregationWritesTheAnswerAgain() {
        List<Runnable> pending = new ArrayList<>();
        SwarmCoordinator first = coordinator("c1", (cmd, subs) -> new AnswerAggregator.Aggregate("X", "model", null),
                pending::add);
        first.start(start());
        pending.remove(0).run(); // the plan
        completeAll(first);
        var saved = outbox.last();
        assertEquals(SwarmPhase.RUNNING, saved.phase(), "not finished until the answer is saved");
        assertTrue(saved.subtasks().stream().allMatch(s -> s.status().isDone()), "but every result is saved");
        first.release(java.util.Set.of("sw"));

        SwarmCoordinator second = coordinator("c2", (cmd, subs) -> new AnswerAggregator.Aggregate("FROM-C2", "model",
                null), Runnable::run);
        second.resume(saved);
        pending.get(0).run(); // the first owner's late answer is dropped
        assertEquals("FROM-C2", outbox.finalStatus().status().message().text());
        assertEquals(SwarmPhase.COMPLETED, outbox.last().phase());
        assertEquals("c2", outbox.last().owner());
        assertEquals(1, outbox.reported.stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal())
                .count());
    }

    @Test
    void aRepeatedStartOfAFinishedSwarmIsIgnoredEvenByAFreshReplica() {
        llm.enqueue(Reply.text("DONE"));
        SwarmCoordinator c = coordinator("c1", new LlmAggregator(chat), Runnable::run);
        c.start(start());
        completeAll(c);
        int dispatched = outbox.dispatched.size();
        c.start(start());
        SwarmCoordinator fresh = coordinator("c2", AnswerAggregator.JOIN, Runnable::run);
        fresh.resume(outbox.last()); // what a replica does with swarm.state on assignment
        fresh.start(start());
        assertEquals(dispatched, outbox.dispatched.size(), "no subtask ran twice");
        assertEquals(1, outbox.reported.stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal())
                .count());
    }

    @Test
    void theCoordinatorsOwnPlanAndAnswerAreChargedToTheSwarmBesideItsWorkers() {
        var priced = new ModelCatalog("test-1", List.of(), List.of(new ModelCatalog.Model("local", "agg-model", 128_000,
                4_096, true, new ModelCatalog.Price(2.0, 8.0, 0.5, null), false)));
        ChatPort pricedChat = new OpenAiCompatChat(SwarmProviders.local(llm.openAiBaseUrl(), "agg-model"),
                Duration.ofSeconds(10), priced);
        llm.enqueue(Reply.text("""
                {"subtasks":[{"id":"a","title":"Parser","instruction":"port the parser","depends_on":[]},
                {"id":"b","title":"Tests","instruction":"port the tests","depends_on":[]}]}""")
                .withUsage(1_000, 200).withCache(300, 0));
        llm.enqueue(Reply.text("MERGED").withUsage(500, 100));
        SwarmCoordinator c = new SwarmCoordinator("c1", new LlmDecomposer(pricedChat), new ResultValidator(1, null),
                new InMemoryResultCache(10), new ProviderRateLimiter(1000, 1000, System::nanoTime), outbox,
                new SwarmSettings(8, 100, 0), Clock.systemUTC(), new LlmAggregator(pricedChat), Runnable::run);
        c.start(start());
        assertEquals(new Usage(1_000, 200, 300, 0, (1_000 * 2.0 + 200 * 8.0 + 300 * 0.5) / 1e6, true),
                outbox.last().coordinatorUsage(), "the plan's call, its cached prompt tokens charged as cache reads");
        for (TaskCommand.StartTask t : List.copyOf(outbox.dispatched)) {
            c.onTaskEvent(new TaskEvent.StatusChanged(t.taskId(), t.contextId(), "w", new TaskStatus(
                    TaskState.COMPLETED, Message.agentText("m", t.contextId(), t.taskId(), "done " + t.taskId()), null),
                    Progress.step(1).withUsage(new Usage(10, 1, 0, 0, 0.25, true)), Map.of(), null));
        }

        var fin = outbox.finalStatus();
        assertEquals("MERGED", fin.status().message().text());
        double cost = 0.5 + (1_000 * 2.0 + 200 * 8.0 + 300 * 0.5) / 1e6 + (500 * 2.0 + 100 * 8.0) / 1e6;
        Map<?, ?> usage = (Map<?, ?>) fin.metadata().get("usage");
        assertEquals(1_520L, usage.get("tokens_in"), String.valueOf(usage));
        assertEquals(302L, usage.get("tokens_out"));
        assertEquals(300L, usage.get("cache_read_tokens"));
        assertEquals(cost, (Double) usage.get("cost_usd"), 1e-12);
        assertEquals(true, usage.get("priced"));
    }
}
