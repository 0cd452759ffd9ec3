package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * Model calls the task makes besides its turns (here the compactor's summary; RLM's calls take the same path,
 * {@code MeteredChat}) are metered like turns: admitted against the tenant's budget before they are sent, and
 * reported in an update with their own usage, so the running sum clients keep reaches the final total.
 */
class LoopCallMeteringTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** A loop that compacts after two file reads (context window 3000), kimi-k2.5 at $0.60 / $2.50 per Mtok. */
    private AgentLoop compactingLoop(TenantBudgets budgets) throws Exception {
        Path ws = h.tools.workspace("c-" + "m");
        Files.writeString(ws.resolve("one.txt"), "FIRST-FILE-" + "x".repeat(1000));
        Files.writeString(ws.resolve("two.txt"), "SECOND-FILE-" + "y".repeat(1000));
        AgentSettings s = h.settings();
        AgentSettings tight = new AgentSettings(s.workerId(), 10, s.wallClock(), s.toolTimeout(), 0.8, 1,
                s.partialEvery(), s.skillsDir());
        return new AgentLoop(tight, h.providers(3000), h.toolClient, Workspaces.NONE, WorkspaceSettings.defaults(),
                CallRouter.DISABLED, h.events, h.sessions, TaskMetrics.NONE, List.of(), List.of(), budgets);
    }

    private static TaskCommand.StartTask start(String taskId) {
        return new TaskCommand.StartTask(taskId, "c-m", "acme", Commands.user("read both"), "moonshotai", null, null,
                null, null, null, Map.of(), null);
    }

    @Test
    void theCompactorsCallIsAnUpdateWithItsOwnUsageAndTheRunningSumReachesTheTotal() throws Exception {
        AgentLoop loop = compactingLoop(TenantBudgets.UNLIMITED);
        h.llm.enqueue(Reply.tools(Reply.call("k1", "read_file", Map.of("path", "one.txt"))).withUsage(1_000, 10),
                Reply.tools(Reply.call("k2", "read_file", Map.of("path", "two.txt"))).withUsage(1_000, 10),
                Reply.text("SUMMARY: both files wanted").withUsage(5_000, 200),
                Reply.text("both read").withUsage(1_000, 10));
        h.run(loop, start("t-m"));
        TaskEvent.StatusChanged last = h.finalOf("t-m");
        assertEquals(TaskState.COMPLETED, last.status().state());
        assertEquals(4, h.llm.requests().size(), "two turns, the summary, the answer");

        List<TaskEvent.StatusChanged> perCall = h.events.of("t-m").stream()
                .filter(e -> e instanceof TaskEvent.StatusChanged s && s.status().state() == TaskState.WORKING
                        && s.progress() != null && s.progress().usage() != null)
                .map(TaskEvent.StatusChanged.class::cast).toList();
        TaskEvent.StatusChanged compacted = perCall.stream()
                .filter(e -> e.details() != null && e.details().containsKey(MetadataKeys.COMPACTED)).findFirst()
                .orElseThrow(() -> new AssertionError("no compaction update with usage: " + perCall));
        assertEquals(5_000, compacted.progress().usage().tokensIn());
        assertEquals(200, compacted.progress().usage().tokensOut());
        assertEquals(0.0035, compacted.progress().usage().costUsd(), 1e-9, "5,000 x $0.60 + 200 x $2.50 per Mtok");
        // issue 18: the answering call has no update of its own, the final status reports it
        assertEquals(3, perCall.size(), () -> "an update per model call a further step follows: " + perCall);
        assertEquals(7_000, perCall.stream().mapToLong(e -> e.progress().usage().tokensIn()).sum(),
                "every model call's update but the answer's, summed");
        assertEquals(8_000, last.progress().usage().tokensIn(), "the final status carries the task's total");
        assertEquals(230, last.progress().usage().tokensOut());
    }

    @Test
    void aCompactionCallIsAdmittedAgainstTheTenantsBudgetBeforeItIsSent() throws Exception {
        TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of("acme", 0.40), Clock.systemUTC());
        AgentLoop loop = compactingLoop(budgets);
        // $0.18 + $0.24 = $0.42: the budget is spent when the compactor would summarize
        h.llm.enqueue(Reply.tools(Reply.call("k1", "read_file", Map.of("path", "one.txt"))).withUsage(300_000, 0),
                Reply.tools(Reply.call("k2", "read_file", Map.of("path", "two.txt"))).withUsage(400_000, 0),
                Reply.text("SUMMARY that must not be asked for").withUsage(1_000_000, 0),
                Reply.text("never"));
        h.run(loop, start("t-b"));
        TaskEvent.StatusChanged last = h.finalOf("t-b");
        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("tenant 'acme' reached its daily budget of $0.40"),
                last.status().message().text());
        assertEquals(2, h.llm.requests().size(), "neither the summary nor a next turn reached the model");
        assertEquals(0.42, budgets.spentToday("acme"), 1e-9);
    }
}
