package run.codetether.agent.infra.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.swarm.SwarmTool;
import run.codetether.agent.domain.swarm.SwarmToolSettings;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;

/** The swarm tool in the real loop against the real broker, with the test playing swarm-service. */
@ExtendWith(KafkaBrokerExtension.class)
class SwarmToolKafkaTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final LoopHarness h = new LoopHarness();
    SwarmServiceDouble swarm;
    KafkaSwarmLauncher launcher;

    @BeforeEach
    void start() throws Exception {
        swarm = new SwarmServiceDouble(SharedKafkaBroker.bootstrapServers());
        launcher = new KafkaSwarmLauncher(SharedKafkaBroker.bootstrapServers(), 100);
    }

    @AfterEach
    void stop() throws Exception {
        launcher.close();
        swarm.close();
    }

    AgentLoop loop(KafkaSwarmLauncher l, Duration defaultTimeout) {
        return h.loop(new SwarmTool(l, new SwarmToolSettings(defaultTimeout, Duration.ofMillis(50))));
    }

    static Thread runAsync(AgentLoop loop, TaskRun run) {
        return Thread.ofPlatform().daemon().start(() -> loop.run(run));
    }

    String lastToolResult(int request) {
        return LoopHarness.lastResult(h.llm.requests().get(request));
    }

    @Test
    void publishesTheStartStreamsProgressAndReturnsTheAggregatedAnswer() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("call-1", "swarm", Map.of("task", "port the parser and its tests",
                "strategy", "domain", "max_subagents", 3, "parallel_enabled", false))), Reply.text("swarm said: done"));
        TaskCommand.StartTask cmd = Commands.start("t-s", "c-s", "moonshotai", "do it with a swarm");
        Thread t = runAsync(loop(launcher, WAIT), new TaskRun(cmd));

        String swarmId = SwarmTool.swarmId("t-s", "call-1");
        var start = assertInstanceOf(SwarmCommand.StartSwarm.class, swarm.await(swarmId, 1));
        assertEquals(swarmId, start.taskId());
        assertEquals("c-s", start.contextId(), "the swarm runs in the caller's context (and so its workspace)");
        assertEquals("port the parser and its tests", start.goal());
        assertEquals(SwarmStrategy.DOMAIN, start.strategy());
        assertEquals(3, start.maxSubtasks());
        assertEquals(1, start.maxConcurrency(), "parallel_enabled=false runs one subtask at a time");
        assertEquals("moonshotai", start.provider());
        assertEquals(new SwarmCommand.Caller("t-s", "call-1"), start.caller());

        swarm.progress(start, "subtask s1 dispatched (stage 0, attempt 1)");
        awaitProgress("t-s", "[swarm] subtask s1 dispatched (stage 0, attempt 1)");
        swarm.finish(start, SwarmPhase.COMPLETED, "# Swarm result\nALL-PARTS-DONE", null);
        t.join(WAIT.toMillis());

        assertEquals("# Swarm result\nALL-PARTS-DONE", lastToolResult(1));
        TaskEvent.StatusChanged last = h.events.awaitFinal("t-s", WAIT);
        assertEquals(TaskState.COMPLETED, last.status().state());
        assertEquals(1, swarm.commands(swarmId).size(), "one start, no cancel");
    }

    @Test
    void aFailedSwarmIsAnErrorResultWithTheReason() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("call-f", "swarm", Map.of("task", "impossible"))), Reply.text("noted"));
        Thread t = runAsync(loop(launcher, WAIT), new TaskRun(Commands.start("t-f", "c-f", "moonshotai", "go")));
        var start = (SwarmCommand.StartSwarm) swarm.await(SwarmTool.swarmId("t-f", "call-f"), 1);
        assertEquals(SwarmStrategy.AUTO, start.strategy());
        assertEquals(10, start.maxSubtasks(), "the original's default of max_subagents");
        swarm.finish(start, SwarmPhase.FAILED, null, "swarm planning failed: model returned no JSON");
        t.join(WAIT.toMillis());
        String result = lastToolResult(1);
        assertTrue(result.contains("failed: swarm planning failed: model returned no JSON"), result);
    }

    @Test
    void aRunResumedOnAnotherWorkerReattachesToTheSameSwarm() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("call-r", "swarm", Map.of("task", "big job"))),
                Reply.text("resumed and done"));
        TaskCommand.StartTask cmd = Commands.start("t-r", "c-r", "moonshotai", "go");
        TaskRun first = new TaskRun(cmd);
        Thread t1 = runAsync(loop(launcher, WAIT), first);
        String swarmId = SwarmTool.swarmId("t-r", "call-r");
        var start = (SwarmCommand.StartSwarm) swarm.await(swarmId, 1);

        first.abandon(); // the worker lost the task (rebalance, death): the swarm must go on
        t1.join(WAIT.toMillis());
        assertFalse(t1.isAlive());
        swarm.finish(start, SwarmPhase.COMPLETED, "RESULT-WHILE-NOBODY-WAITED", null);

        // the next owner: a fresh launcher (another pod) and the saved session with the unanswered call
        try (KafkaSwarmLauncher other = new KafkaSwarmLauncher(SharedKafkaBroker.bootstrapServers(), 100)) {
            Thread t2 = runAsync(loop(other, WAIT), new TaskRun(cmd));
            t2.join(WAIT.toMillis());
            assertFalse(t2.isAlive());
        }
        var again = assertInstanceOf(SwarmCommand.StartSwarm.class, swarm.await(swarmId, 2));
        assertEquals(swarmId, again.swarmId(), "the same swarm id: swarm-service ignores the repeated start");
        assertTrue(swarm.commands(swarmId).stream().noneMatch(c -> c instanceof SwarmCommand.CancelSwarm));
        assertEquals("RESULT-WHILE-NOBODY-WAITED", lastToolResult(1));
        assertEquals(TaskState.COMPLETED, h.events.awaitFinal("t-r", WAIT).status().state());
    }

    @Test
    void cancelingTheCallingTaskCancelsTheSwarm() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("call-c", "swarm", Map.of("task", "long job"))));
        TaskRun run = new TaskRun(Commands.start("t-c", "c-c", "moonshotai", "go"));
        Thread t = runAsync(loop(launcher, WAIT), run);
        String swarmId = SwarmTool.swarmId("t-c", "call-c");
        swarm.await(swarmId, 1);
        run.cancel("user asked");
        var cancel = assertInstanceOf(SwarmCommand.CancelSwarm.class, swarm.await(swarmId, 2));
        assertTrue(cancel.reason().contains("t-c canceled"), cancel.reason());
        t.join(WAIT.toMillis());
        assertEquals(TaskState.CANCELED, h.events.awaitFinal("t-c", WAIT).status().state());
    }

    @Test
    void aSwarmThatOutlivesItsTimeoutIsCanceledAndReported() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("call-t", "swarm", Map.of("task", "slow job"))), Reply.text("gave up"));
        Thread t = runAsync(loop(launcher, Duration.ofMillis(300)),
                new TaskRun(Commands.start("t-t", "c-t", "moonshotai", "go")));
        String swarmId = SwarmTool.swarmId("t-t", "call-t");
        swarm.await(swarmId, 1);
        assertInstanceOf(SwarmCommand.CancelSwarm.class, swarm.await(swarmId, 2));
        t.join(WAIT.toMillis());
        assertTrue(lastToolResult(1).contains("did not finish within"), lastToolResult(1));
    }

    void awaitProgress(String taskId, String text) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (h.events.of(taskId).stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s
                    && s.status().message() != null && text.equals(s.status().message().text()))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no progress '" + text + "' on " + taskId + ": " + h.events.of(taskId));
    }
}
