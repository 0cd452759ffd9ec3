package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.platform.budget.DailySpend;
import run.codetether.platform.budget.TenantBudgets;

/**
 * Per-tenant daily budgets ({@code codetether.agent.budgets.*}): a task whose tenant spent its day's budget stops
 * FAILED with the reason before its next model call; other tenants run on; a new UTC day starts from zero.
 */
class TenantBudgetTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private AgentLoop loop(TenantBudgets budgets) {
        return new AgentLoop(h.settings(), h.providers(), h.toolClient, Workspaces.NONE, WorkspaceSettings.defaults(),
                CallRouter.DISABLED, h.events, h.sessions, TaskMetrics.NONE, List.of(), List.of(), budgets);
    }

    private static TaskCommand.StartTask start(String taskId, String tenant) {
        return new TaskCommand.StartTask(taskId, "c-" + taskId, tenant, Commands.user("read a.txt"), "moonshotai",
                null, null, null, null, null, Map.of(), null);
    }

    @Test
    void aTaskThatWouldExceedItsTenantsDailyBudgetStopsFailedWithTheReason() throws Exception {
        TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of("acme", 0.50), Clock.systemUTC());
        var loop = loop(budgets);
        Files.writeString(h.tools.workspace("c-t-over").resolve("a.txt"), "A");
        // kimi-k2.5 at $0.60 / $2.50 per Mtok: the first call alone costs $0.8549
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(1_234_567, 45_678),
                Reply.text("done").withUsage(2_000_000, 100_000));
        h.run(loop, start("t-over", "acme"));

        TaskEvent.StatusChanged last = h.finalOf("t-over");
        assertEquals(TaskState.FAILED, last.status().state());
        String msg = last.status().message().text();
        assertTrue(msg.contains("tenant 'acme' reached its daily budget of $0.50")
                && msg.contains("codetether.agent.budgets.tenants.acme"), msg);
        assertEquals(1, h.llm.requests().size(), "no model call after the budget was spent");
        assertEquals(0.8549, budgets.spentToday("acme"), 0.0001);

        h.run(loop, start("t-over2", "acme"));
        assertEquals(TaskState.FAILED, h.finalOf("t-over2").status().state(), "the tenant's next task is refused too");
        assertEquals(1, h.llm.requests().size());

        h.llm.enqueue(Reply.text("hi").withUsage(1_000, 10));
        h.run(loop, start("t-other", "beta"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-other").status().state(), "another tenant is not affected");
    }

    @Test
    void theDefaultBudgetCoversTenantlessTasksAndANewDayStartsFromZero() {
        Clock[] now = {Clock.fixed(Instant.parse("2026-12-04T23:59:00Z"), ZoneOffset.UTC)};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return now[0].withZone(zone);
            }

            @Override
            public Instant instant() {
                return now[0].instant();
            }
        };
        TenantBudgets b = new TenantBudgets(Optional.of(1.0), Map.of("big", 100.0), clock);
        b.add(null, 1.2);
        assertTrue(b.refusal(null).orElseThrow().contains("tenant 'default' reached its daily budget of $1.00"));
        b.add("big", 1.2);
        assertTrue(b.refusal("big").isEmpty(), "a tenant's own budget wins over the default");
        now[0] = Clock.fixed(Instant.parse("2026-12-05T00:00:01Z"), ZoneOffset.UTC);
        assertEquals(0, b.spentToday(null));
        assertTrue(b.refusal(null).isEmpty(), "a new UTC day");
        assertThrows(IllegalArgumentException.class, () -> new TenantBudgets(Optional.of(-1.0), Map.of(), clock));
    }

    @Test
    void aTaskTakenOverFromADeadWorkerIsCountedOnceInTheDaysTasks() {
        DailySpend day = new DailySpend();
        TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of(), Clock.systemUTC(), day);
        // what a worker that died after the task's first call leaves: its tokens saved in the task (its replica's
        // record counted the task), the answer not yet asked for
        Session s = new Session("c-took");
        TaskProgress tp = new TaskProgress("t-took");
        tp.provider = "moonshotai";
        tp.steps = 1;
        tp.inputTokens = 1_000;
        tp.outputTokens = 10;
        s.tasks.put("t-took", tp);
        s.messages.add(new ChatMessage.User("hello"));
        h.sessions.save(s);
        h.llm.enqueue(Reply.text("taken over").withUsage(2_000, 20), Reply.text("fresh").withUsage(300, 3));
        h.run(loop(budgets), Commands.start("t-took", "c-took", "moonshotai", "hello"));
        h.run(loop(budgets), Commands.start("t-new", "c-new", "moonshotai", "hi"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-took").status().state());

        TenantSpend here = day.snapshot(new DailySpend.TenantDay(TenantBudgets.DEFAULT_TENANT,
                java.time.LocalDate.now(ZoneOffset.UTC)), "r", Instant.now()).orElseThrow();
        assertEquals(2_300, here.tokensIn(), "both tasks' calls on this replica are its spend");
        assertEquals(2, here.calls());
        assertEquals(1, here.tasks(), "the taken-over task counts on the replica of its first call, not here too");
        assertEquals(1, here.models().get(0).tasks());
    }
}
