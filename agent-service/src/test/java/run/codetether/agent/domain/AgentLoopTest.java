package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.infra.router.GrpcCallRouter;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.RouterGrpcServer;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** The loop's behaviours, each against the real provider adapter (scripted server) and real gRPC tools. */
class AgentLoopTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    @Test
    void questionWaitsForInputAndTheNextMessageResumesTheSameLoop() {
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("q1", "question", Map.of("question", "Which file should I fix?"))),
                Reply.text("Fixed notes.txt"));
        h.run(loop, Commands.start("t-q", "c-q", "moonshotai", "fix the bug"));
        TaskEvent.StatusChanged waiting = h.finalOf("t-q");
        assertEquals(TaskState.INPUT_REQUIRED, waiting.status().state());
        assertEquals("Which file should I fix?", waiting.status().message().text());
        assertEquals(1, h.llm.requests().size());

        h.run(loop, Commands.answer("t-q", "c-q", "notes.txt"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-q").status().state());
        RecordedRequest resumed = h.llm.requests().get(1);
        assertEquals(List.of(new RecordedRequest.ToolResult("q1", null, "notes.txt")), resumed.toolResults());
    }

    @Test
    void aNewTaskInAContextWhoseQuestionWasNeverAnsweredClosesThatCallFirst() {
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("q1", "question", Map.of("question", "Which file?"))), Reply.text("fresh start"));
        h.run(loop, Commands.start("t-a", "c-open", "moonshotai", "fix it"));
        assertEquals(TaskState.INPUT_REQUIRED, h.finalOf("t-a").status().state());
        h.run(loop, Commands.start("t-b", "c-open", "moonshotai", "something else"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-b").status().state());
        // providers refuse a history with a call that has no result: the open question is closed with an error
        var results = h.llm.requests().get(1).toolResults();
        assertEquals(1, results.size());
        assertEquals("q1", results.get(0).callId());
        assertTrue(results.get(0).content().contains("a new task started"), results.get(0).content());
    }

    @Test
    void malformedCallsAreAnsweredByTheInvalidToolAndNeverReachTools() {
        h.llm.enqueue(Reply.tools(Reply.call("b1", "reed_file", Map.of("path", "x")),
                        Reply.call("b2", "read_file", Map.of()),
                        Reply.call("b3", "read_file", Map.of("path", 42))),
                Reply.text("ok"));
        h.run(h.loop(), Commands.start("t-i", "c-i", "moonshotai", "go"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-i").status().state());
        var results = h.llm.requests().get(1).toolResults();
        assertTrue(results.get(0).content().contains("Tool 'reed_file' not found") && results.get(0).content().contains("Did you mean: read_file"),
                results.get(0).content());
        assertTrue(results.get(1).content().contains("needs the argument 'path'"), results.get(1).content());
        assertTrue(results.get(2).content().contains("must be of type string"), results.get(2).content());
        assertEquals(0, h.tools.executeCalls());
    }

    @Test
    void cancelStopsAModelCallInFlightWithinOneSecond() throws Exception {
        h.llm.enqueue(Reply.text("too late").withDelay(Duration.ofSeconds(30)));
        TaskRun run = new TaskRun(Commands.start("t-c", "c-c", "moonshotai", "slow"));
        AgentLoop loop = h.loop();
        Thread t = Thread.ofVirtual().start(() -> loop.run(run));
        while (h.llm.requests().isEmpty()) {
            Thread.sleep(5);
        }
        long t0 = System.nanoTime();
        run.cancel("user asked");
        t.join(Duration.ofSeconds(10));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(t.isAlive());
        TaskEvent.StatusChanged last = h.finalOf("t-c");
        assertEquals(TaskState.CANCELED, last.status().state());
        assertTrue(last.status().message().text().contains("user asked"));
        assertTrue(tookMs < 1_000, "cancel took " + tookMs + " ms");
        assertEquals(TaskProgress.State.CANCELED, h.sessions.load("c-c").orElseThrow().task("t-c").state);
    }

    @Test
    void cancelStopsARunningToolWithinOneSecond() throws Exception {
        h.llm.enqueue(Reply.tools(Reply.call("s1", "bash", Map.of("command", "sleep 20"))));
        TaskRun run = new TaskRun(Commands.start("t-ct", "c-ct", "moonshotai", "sleep"));
        AgentLoop loop = h.loop();
        Thread t = Thread.ofVirtual().start(() -> loop.run(run));
        while (h.tools.executeCalls() == 0) {
            Thread.sleep(5);
        }
        long t0 = System.nanoTime();
        run.cancel(null);
        t.join(Duration.ofSeconds(10));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(TaskState.CANCELED, h.finalOf("t-ct").status().state());
        assertTrue(tookMs < 1_000, "cancel took " + tookMs + " ms");
    }

    @Test
    void stepLimitFailsTheTaskWithAClearMessage() {
        h.llm.respondWith(r -> Reply.tools(Reply.call(null, "list_dir", Map.of("path", "."))));
        h.run(h.loop(h.settings().withMaxSteps(3), h.providers(), CallRouter.DISABLED),
                Commands.start("t-s", "c-s", "moonshotai", "loop forever"));
        TaskEvent.StatusChanged last = h.finalOf("t-s");
        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("step limit reached: 3"), last.status().message().text());
        assertEquals(3, h.llm.requests().size());
    }

    @Test
    void routerTurnsTextOnlyRepliesIntoCallsAndIsSkippedWhenCallsCameBack() throws Exception {
        try (RouterGrpcServer router = new RouterGrpcServer();
                GrpcCallRouter client = new GrpcCallRouter("127.0.0.1", router.port(), 2_000)) {
            Files.writeString(h.tools.workspace("c-r").resolve("a.txt"), "A");
            h.llm.enqueue(Reply.text("I will list: <tool_call>{\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}</tool_call>"),
                    Reply.tools(Reply.call("r2", "read_file", Map.of("path", "a.txt"))),
                    Reply.text("done"));
            h.run(h.loop(h.settings(), h.providers(), client), Commands.start("t-r", "c-r", "moonshotai", "look"));
            assertEquals(TaskState.COMPLETED, h.finalOf("t-r").status().state());
            assertEquals("a.txt", LoopHarness.lastResult(h.llm.requests().get(1)).strip());
            assertEquals(1, router.calls(),
                    "asked for the tool-looking text only: not for the reply with calls, not for the plain 'done'");
        }
    }

    @Test
    void aPlainMarkdownAnswerIsNotSentToTheRouter() throws Exception {
        try (RouterGrpcServer router = new RouterGrpcServer();
                GrpcCallRouter client = new GrpcCallRouter("127.0.0.1", router.port(), 2_000)) {
            String answer = "## Done\n\nThe loop now stops early:\n\n```java\nif (done(i)) { break; }\n```\n";
            h.llm.enqueue(Reply.text(answer));
            h.run(h.loop(h.settings(), h.providers(), client), Commands.start("t-rp", "c-rp", "moonshotai", "fix"));
            TaskEvent.StatusChanged last = h.finalOf("t-rp");
            assertEquals(TaskState.COMPLETED, last.status().state());
            assertEquals(answer, h.finalText("t-rp"));
            assertEquals(0, router.calls(), "a plain answer costs no router call");
        }
    }

    @Test
    void routerFailureKeepsTheText() throws Exception {
        try (RouterGrpcServer router = new RouterGrpcServer();
                GrpcCallRouter client = new GrpcCallRouter("127.0.0.1", router.port(), 2_000)) {
            router.failing = true;
            h.llm.enqueue(Reply.text("<tool_call>{\"name\":\"list_dir\",\"arguments\":{}}</tool_call>"));
            h.run(h.loop(h.settings(), h.providers(), client), Commands.start("t-rf", "c-rf", "moonshotai", "look"));
            TaskEvent.StatusChanged last = h.finalOf("t-rf");
            assertEquals(TaskState.COMPLETED, last.status().state());
            assertTrue(h.finalText("t-rf").startsWith("<tool_call>"));
            assertEquals(1, router.calls());
            assertEquals(0, h.tools.executeCalls());
        }
    }

    @Test
    void olderTurnsAreCompactedByAnLlmSummaryNearTheContextWindow() throws Exception {
        Path ws = h.tools.workspace("c-k");
        Files.writeString(ws.resolve("one.txt"), "FIRST-FILE-" + "x".repeat(1000));
        Files.writeString(ws.resolve("two.txt"), "SECOND-FILE-" + "y".repeat(1000));
        var resolver = h.providers(3000);
        AgentSettings s = h.settings();
        AgentSettings tight = new AgentSettings(s.workerId(), 10, s.wallClock(), s.toolTimeout(), 0.8, 1, s.partialEvery(), s.skillsDir());
        h.llm.enqueue(Reply.tools(Reply.call("k1", "read_file", Map.of("path", "one.txt"))),
                Reply.tools(Reply.call("k2", "read_file", Map.of("path", "two.txt"))),
                Reply.text("SUMMARY-XYZ: user wants both files read; one.txt starts with FIRST-FILE"),
                Reply.text("both read"));
        h.run(h.loop(tight, resolver, CallRouter.DISABLED), Commands.start("t-k", "c-k", "moonshotai", "read both"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-k").status().state());
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(4, reqs.size());
        assertTrue(reqs.get(2).bodyText().contains("You compact"), "third call is the summary");
        assertTrue(reqs.get(2).toolNames().isEmpty());
        assertTrue(reqs.get(2).bodyText().contains("FIRST-FILE"));
        assertTrue(reqs.get(3).bodyText().contains("SUMMARY-XYZ"));
        assertFalse(reqs.get(3).bodyText().contains("FIRST-FILE-xxxx"), "compacted turns are no longer sent");
        assertTrue(reqs.get(3).bodyText().contains("SECOND-FILE"), "recent turns stay verbatim");
        Session saved = h.sessions.load("c-k").orElseThrow();
        assertEquals(6, saved.messages.size(), "the full history stays retrievable");
        assertEquals(3, saved.summarizedCount);
    }

    @Test
    void taskToolRunsASubAgentInTheParentsWorkspaceAndReturnsItsAnswer() throws Exception {
        Files.writeString(h.tools.workspace("c-sub").resolve("notes.txt"), "PARENT-WORKSPACE-FILE");
        // the same provider call id in parent and child: the child's tool call must still run, not replay the parent's
        h.llm.enqueue(Reply.tools(Reply.call("c1", "task", Map.of("description", "count", "prompt", "How many files?"))),
                Reply.tools(Reply.call("c1", "read_file", Map.of("path", "notes.txt"))),
                Reply.text("There are 3 files"),
                Reply.text("The sub-agent found 3 files"));
        h.run(h.loop(), Commands.start("t-sub", "c-sub", "moonshotai", "delegate"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-sub").status().state());
        List<RecordedRequest> reqs = h.llm.requests();
        assertTrue(reqs.get(1).bodyText().contains("How many files?"));
        assertFalse(reqs.get(1).toolNames().contains("task"), "no nested sub-agents");
        assertTrue(LoopHarness.lastResult(reqs.get(2)).contains("PARENT-WORKSPACE-FILE"), "the sub-agent reads the parent's workspace");
        assertEquals("There are 3 files", LoopHarness.lastResult(reqs.get(3)));
        assertTrue(h.events.all().stream().noneMatch(e -> e.taskId().contains("/")), "sub-agent events stay internal");
    }

    @Test
    void todoAndPlanToolsKeepTheirStateInTheSession() {
        h.llm.enqueue(Reply.tools(Reply.call("p1", "plan_enter", Map.of("goal", "ship", "steps", List.of("code", "test"))),
                        Reply.call("d1", "todo_write", Map.of("action", "add", "id", "a", "content", "write tests", "priority", "high"))),
                Reply.tools(Reply.call("d2", "todo_read", Map.of()), Reply.call("p2", "plan_exit", Map.of("step_complete", 1))),
                Reply.text("planned"));
        h.run(h.loop(), Commands.start("t-td", "c-td", "moonshotai", "plan"));
        var results = h.llm.requests().get(2).toolResults();
        assertTrue(results.get(0).content().contains("Plan Mode Activated"));
        assertTrue(results.get(2).content().contains("write tests") && results.get(2).content().contains("high"));
        assertTrue(results.get(3).content().contains("Step 1 complete (1/2)"));
        Session s = h.sessions.load("c-td").orElseThrow();
        assertEquals(1, s.todos.size());
        assertEquals(List.of(true, false), s.plan.completed());
    }

    @Test
    void aResumedRunResendsAnUnsavedToolCallUnderTheSameIdAndToolsServiceDoesNotApplyItTwice() throws Exception {
        // state a dead worker leaves behind: the call was applied at tools-service but its result never saved
        Session s = new Session("c-res");
        TaskProgress tp = new TaskProgress("t-res");
        tp.provider = "moonshotai";
        tp.steps = 1;
        s.tasks.put("t-res", tp);
        s.messages.add(new ChatMessage.User("append a line"));
        s.messages.add(new ChatMessage.Assistant("", List.of(new ToolCall("w1", "bash", "{\"command\":\"echo line >> log.txt\"}"))));
        h.sessions.save(s);
        h.toolClient.execute("c-res", "w1", "bash", "{\"command\":\"echo line >> log.txt\"}", Duration.ofSeconds(10));

        h.llm.enqueue(Reply.text("appended"));
        h.run(h.loop(), Commands.start("t-res", "c-res", "moonshotai", "append a line"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-res").status().state());
        assertEquals(1, h.tools.appliedCount("c-res", "w1"));
        assertEquals("line\n", Files.readString(h.tools.workspace("c-res").resolve("log.txt")));
        assertEquals(1, h.llm.requests().size());
        assertEquals(List.of(new RecordedRequest.ToolResult("w1", null, "")), h.llm.requests().get(0).toolResults().stream()
                .map(r -> new RecordedRequest.ToolResult(r.callId(), null, "")).toList());
        assertNull(h.sessions.load("c-res").orElseThrow().summary);
    }

    @Test
    void aRedeliveredStartOfAFinishedTaskDoesNothing() {
        h.llm.enqueue(Reply.text("done"));
        AgentLoop loop = h.loop();
        h.run(loop, Commands.start("t-d", "c-d", "moonshotai", "once"));
        int events = h.events.of("t-d").size();
        h.run(loop, Commands.start("t-d", "c-d", "moonshotai", "once"));
        assertEquals(1, h.llm.requests().size());
        assertEquals(events, h.events.of("t-d").size());
    }
}
