package run.codetether.gateway.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

class SummaryFoldTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static TaskEvent status(String id, TaskState state, String text, Map<String, Object> meta, int second) {
        Message m = text == null ? null : Message.agentText("m-" + id + second, "ctx", id, text);
        return new TaskEvent.StatusChanged(id, "ctx", "worker-1", new TaskStatus(state, m, T0.plusSeconds(second)), meta,
                T0.plusSeconds(second));
    }

    /** The gateway's first status of a task: who submitted it and how it runs (typed, never metadata). */
    static TaskEvent submitted(String id, String owner, String tenant, String skill, int second) {
        return new TaskEvent.StatusChanged(id, "ctx", "gateway", new TaskStatus(TaskState.SUBMITTED, null,
                T0.plusSeconds(second)), Progress.NONE, Map.of(), new Task.Submission(owner, tenant, skill),
                T0.plusSeconds(second));
    }

    static TaskSummary fold(TaskSummary s, TaskEvent... events) {
        long offset = 0;
        for (TaskEvent e : events) {
            s = SummaryFold.apply(s, e, 2, offset++);
        }
        return s;
    }

    @Test
    void progressUsageAddsUpAndTheFinalStatusCarriesTheTotals() {
        TaskSummary s = fold(null,
                submitted("t", "alice", "acme", null, 0),
                new TaskEvent.MessageAdded("t", "ctx", "gateway", new Message("u1", Role.USER,
                        List.of(Part.Text.of("Fix the parser")), "ctx", "t", null, null, null), T0),
                status("t", TaskState.WORKING, null, Map.of("step", 1, "provider", "anthropic", "model", "claude"), 1),
                status("t", TaskState.WORKING, null, Map.of("step", 1, "usage",
                        Map.of("tokens_in", 100, "tokens_out", 10, "cost_usd", 0.5, "priced", true)), 2),
                status("t", TaskState.WORKING, null, Map.of("step", 2, "tool", "bash", "call_id", "c1"), 3),
                status("t", TaskState.WORKING, null, Map.of("step", 2, "usage",
                        Map.of("tokens_in", 50, "tokens_out", 5, "cost_usd", 0.25, "priced", true)), 4));
        assertEquals("alice", s.owner());
        assertEquals("acme", s.tenant());
        assertEquals("Fix the parser", s.title());
        assertEquals("anthropic", s.provider());
        assertEquals(150, s.tokensIn());
        assertEquals(0.75, s.costUsd(), 1e-9);
        assertEquals(2, s.steps());
        assertEquals(2, s.partition());
        assertEquals(0, s.firstOffset());

        TaskSummary done = fold(s, status("t", TaskState.COMPLETED, "fixed", Map.of("usage",
                Map.of("tokens_in", 160, "tokens_out", 16, "cost_usd", 0.8, "priced", true)), 9));
        assertEquals("completed", done.state());
        assertEquals(160, done.tokensIn(), "the agent's camelCase shape is read too, and the final figures win");
        assertEquals(16, done.tokensOut());
        assertEquals(0.8, done.costUsd(), 1e-9);
        assertNull(done.currentTool());
        assertEquals(T0.plusSeconds(9), done.endedAt());
        assertSame(done, fold(done, status("t", TaskState.WORKING, "late", Map.of(), 10)), "an ended task never changes");
    }

    @Test
    void aTurnsUsageOnItsFirstCallsStartAddsUpAndNamesTheTool() {
        TaskSummary s = fold(null, submitted("v", "alice", null, null, 0),
                status("v", TaskState.WORKING, null, Map.of("step", 1, "provider", "anthropic", "model", "claude",
                        "tool", "read_file", "call_id", "c1", "arguments", Map.of("path", "a"), "usage",
                        Map.of("tokens_in", 100, "tokens_out", 10, "cost_usd", 0.5, "priced", true)), 1),
                status("v", TaskState.WORKING, null, Map.of("step", 1, "tool", "read_file", "call_id", "c1",
                        "result", "A"), 2),
                status("v", TaskState.WORKING, null, Map.of("step", 2, "provider", "anthropic", "model", "claude",
                        "tool", "bash", "call_id", "c2", "arguments", Map.of("command", "ls"), "usage",
                        Map.of("tokens_in", 50, "tokens_out", 5, "cost_usd", 0.25, "priced", true)), 3));
        assertEquals(150, s.tokensIn(), "each turn's usage once, from its call's start");
        assertEquals(0.75, s.costUsd(), 1e-9);
        assertEquals("bash", s.currentTool());
        assertEquals("anthropic", s.provider());
        assertEquals(2, s.steps());
    }

    @Test
    void anUnpricedModelShowsNoCostNeverZero() {
        TaskSummary s = fold(null, status("t", TaskState.COMPLETED, "ok", Map.of("usage",
                Map.of("tokens_in", 10, "tokens_out", 1, "cost_usd", 0, "priced", false)), 1));
        assertFalse(s.priced());
        assertNull(s.costUsd());
        // per-call updates of an unpriced model carry no cost at all: they add tokens, and never throw
        TaskSummary working = fold(null, submitted("u", "alice", null, null, 0),
                status("u", TaskState.WORKING, null, Map.of("usage", Map.of("tokens_in", 10, "tokens_out", 1,
                        "priced", false)), 1),
                status("u", TaskState.WORKING, null, Map.of("usage", Map.of("tokens_in", 5, "tokens_out", 2,
                        "priced", false)), 2));
        assertEquals(15, working.tokensIn());
        assertNull(working.costUsd());
    }

    @Test
    void aToolStepNamesTheCurrentToolAndAModelTurnClearsIt() {
        TaskSummary s = fold(null, status("t", TaskState.WORKING, null, Map.of("tool", "bash", "call_id", "c1"), 1));
        assertEquals("bash", s.currentTool());
        s = fold(s, status("t", TaskState.WORKING, "partial answer", Map.of("partial", true), 2));
        assertNull(s.currentTool());
        assertEquals("partial answer", s.lastText());
    }

    @Test
    void anApprovalRequestIsSummarisedByItsTool() {
        Message ask = new Message("m", Role.AGENT, List.of(new Part.Data(Map.of("approval_request",
                Map.of("call_id", "c", "tool", "edit")), null)), "ctx", "t", null, null, null);
        TaskSummary s = SummaryFold.apply(null, new TaskEvent.StatusChanged("t", "ctx", "w",
                new TaskStatus(TaskState.INPUT_REQUIRED, ask, T0), Map.of(), T0), 0, 0);
        assertEquals("input-required", s.state());
        assertEquals("approval requested for edit", s.lastText());
    }

    /** The metadata SwarmCoordinator writes on the swarm's own task, in the order it writes it. */
    @Test
    void aSwarmBecomesATreeOfSubAgents() {
        TaskSummary s = fold(null,
                submitted("sw", "alice", null, "swarm", 0),
                status("sw", TaskState.WORKING, "planned 2 subtasks in 1 stages", Map.of("phase", "running",
                        "subtasks", 2, "stages", 1, "swarm_id", "sw"), 1),
                status("sw", TaskState.WORKING, "subtask a dispatched", Map.of("subtask_id", "a", "subtask_task_id",
                        "sw.s.a.a1", "subtask_status", "dispatched", "stage", 0, "attempt", 1, "swarm_id", "sw"), 2),
                status("sw", TaskState.WORKING, "subtask b dispatched", Map.of("subtask_id", "b", "subtask_task_id",
                        "sw.s.b.a1", "subtask_status", "dispatched", "stage", 0, "attempt", 1, "swarm_id", "sw"), 3),
                status("sw", TaskState.WORKING, "subtask a: working", Map.of("subtask_id", "a", "subtask_task_id",
                        "sw.s.a.a1", "subtask_state", "working", "subtask_metadata", Map.of("tool", "grep", "step", 1),
                        "swarm_id", "sw"), 4),
                status("sw", TaskState.WORKING, "subtask a completed", Map.of("subtask_id", "a", "subtask_status",
                        "completed", "valid", true, "subtask_metadata", Map.of("usage",
                                Map.of("tokens_in", 100, "tokens_out", 10, "cost_usd", 0.1, "priced", true)), "swarm_id", "sw"), 5));
        assertEquals("swarm", s.kind());
        assertEquals(2, s.subtasks().size());
        TaskSummary.SwarmNode a = s.subtasks().get(0);
        assertEquals("completed", a.status());
        assertEquals(100, a.tokensIn());
        assertNull(a.currentTool());
        TaskSummary.SwarmNode b = s.subtasks().get(1);
        assertEquals("dispatched", b.status());
        assertEquals("sw.s.b.a1", b.taskId());
        assertEquals(100, s.tokensIn(), "a swarm's usage is its sub-agents'");

        s = fold(s, status("sw", TaskState.WORKING, "subtask b: working", Map.of("subtask_id", "b",
                "subtask_task_id", "sw.s.b.a1", "subtask_state", "working", "subtask_metadata", Map.of("tool", "bash")),
                6));
        assertEquals("bash", s.subtasks().get(1).currentTool());
        assertEquals("working", s.subtasks().get(1).state());

        s = SummaryFold.apply(s, new TaskEvent.ArtifactAdded("sw", "ctx", "swarm-1", new Artifact("r", "swarm-result",
                null, List.of(Part.Text.of("answer"), new Part.Data(Map.of("subtasks", List.of(
                        Map.of("id", "a", "title", "first part", "stage", 0, "status", "completed"),
                        Map.of("id", "b", "title", "second part", "stage", 0, "status", "completed"))), null)),
                null, null), false, true, T0.plusSeconds(7)), 0, 9);
        assertEquals("first part", s.subtasks().get(0).title());
        assertEquals("completed", s.subtasks().get(1).status());
    }

    @Test
    void aSwarmProgressEventLinksItsSubAgent() {
        TaskEvent e = status("sw", TaskState.WORKING, "x", Map.of("subtask_id", "a", "subtask_task_id", "sw.s.a.a1"), 1);
        assertEquals(new SummaryFold.Link("sw.s.a.a1", "a"), SummaryFold.link(e).orElseThrow());
        TaskSummary parent = fold(null, submitted("sw", "alice", "acme", "swarm", 0));
        TaskSummary child = SummaryFold.adopt(null, "sw.s.a.a1", "sw.s.a.a1", parent, "a");
        assertEquals("alice", child.owner());
        assertEquals("acme", child.tenant());
        assertEquals("subtask", child.kind());
        assertEquals("sw", child.parentId());
    }

    /** The metadata RalphLoop writes, in the order it writes it. */
    @Test
    void ralphStoriesAndTheirQualityChecks() {
        TaskSummary s = fold(null,
                status("r", TaskState.WORKING, "Ralph started", Map.of("tool", "ralph", "ralph_event", "started",
                        "passed", 0, "total", 2, "max_iterations", 4, "prd_path", "prd.json"), 1),
                status("r", TaskState.WORKING, "Iteration 1/4: US-1 - Parse input", Map.of("tool", "ralph",
                        "ralph_event", "story_started", "story_id", "US-1", "iteration", 1, "max_iterations", 4), 2),
                status("r", TaskState.WORKING, "US-1 lint check failed", Map.of("tool", "ralph", "ralph_event",
                        "story_quality_check", "story_id", "US-1", "iteration", 1, "check_name", "lint", "passed", false),
                        3),
                status("r", TaskState.WORKING, "US-1 is still open", Map.of("tool", "ralph", "ralph_event",
                        "story_complete", "story_id", "US-1", "iteration", 1, "passed", false, "passed_count", 0,
                        "total", 2), 4));
        TaskSummary.RalphProgress r = s.ralph();
        assertEquals(2, r.total());
        assertEquals("prd.json", r.prdPath());
        TaskSummary.RalphStory story = r.stories().get(0);
        assertEquals("Parse input", story.title());
        assertEquals("open", story.status());
        assertEquals(List.of(new TaskSummary.Check("lint", false)), story.checks());

        s = fold(s, status("r", TaskState.WORKING, "Iteration 2/4: US-1 - Parse input", Map.of("tool", "ralph",
                        "ralph_event", "story_started", "story_id", "US-1", "iteration", 2), 5),
                status("r", TaskState.WORKING, "US-1 lint check passed", Map.of("tool", "ralph", "ralph_event",
                        "story_quality_check", "story_id", "US-1", "iteration", 2, "check_name", "lint", "passed", true), 6),
                status("r", TaskState.WORKING, "US-1 passes", Map.of("tool", "ralph", "ralph_event", "story_complete",
                        "story_id", "US-1", "iteration", 2, "passed", true, "passed_count", 1, "total", 2), 7),
                status("r", TaskState.WORKING, "Ralph MaxIterations", Map.of("tool", "ralph", "ralph_event", "complete",
                        "status", "MaxIterations", "passed", 1, "total", 2, "iterations", 4), 8));
        r = s.ralph();
        assertEquals("passed", r.stories().get(0).status());
        assertEquals(List.of(new TaskSummary.Check("lint", true)), r.stories().get(0).checks(),
                "a new iteration's checks replace the last one's");
        assertEquals(1, r.passed());
        assertEquals("MaxIterations", r.status());
        assertTrue(s.currentTool().equals("ralph"));
    }
}
