package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.ScriptedWorkspaces;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.TaskWorkspace;
import run.codetether.fixtures.llm.Reply;

/**
 * A task without a {@code workspace} source makes its workspace on its first call that runs in it, and asks for the
 * diff only when a call ran there in one of its runs: a text-only answer costs no PrepareWorkspace and no
 * GetChanges. The tools are the harness's real gRPC tools server; the workspace RPCs are the recording double, and
 * the tool calls are recorded into the same list, so the order (prepare before the call) is checked.
 */
class LazyWorkspaceTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();
    final ScriptedWorkspaces ws = new ScriptedWorkspaces();

    /** The harness's tools, each call recorded as "execute" among the workspace calls. */
    ToolExecutor recorded() {
        return new ToolExecutor() {
            @Override
            public List<ToolSpec> list() {
                return h.toolClient.list();
            }

            @Override
            public Preview preview(String sessionId, String tool, String args) throws InterruptedException {
                return h.toolClient.preview(sessionId, tool, args);
            }

            @Override
            public Outcome execute(String sessionId, String callId, String tool, String args, Duration timeout)
                    throws InterruptedException {
                ws.calls.add(new ScriptedWorkspaces.Call("execute", sessionId, tool));
                return h.toolClient.execute(sessionId, callId, tool, args, timeout);
            }

            @Override
            public Outcome execute(String sessionId, String callId, String tool, String args, Duration timeout,
                    Consumer<String> output) throws InterruptedException {
                ws.calls.add(new ScriptedWorkspaces.Call("execute", sessionId, tool));
                return h.toolClient.execute(sessionId, callId, tool, args, timeout, output);
            }
        };
    }

    AgentLoop loop(LoopTool... loopTools) {
        return loop(ws, loopTools);
    }

    AgentLoop loop(Workspaces workspaces, LoopTool... loopTools) {
        return new AgentLoop(h.settings(), h.providers(), recorded(), workspaces, WorkspaceSettings.defaults(),
                CallRouter.DISABLED, h.events, h.sessions, TaskMetrics.NONE, List.of(loopTools));
    }

    static Reply.Answer bash(String id, String command) {
        return Reply.tools(Reply.call(id, "bash", Map.of("command", command)));
    }

    @Test
    void aTextOnlyTaskMakesNoWorkspaceAndAsksForNoDiff() {
        h.llm.enqueue(Reply.text("Hello."));
        h.run(loop(), WorkspaceWiringTest.start("t-text", "c-text", null));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-text").status().state());
        assertEquals(List.of(), ws.ops(), "no PrepareWorkspace, no GetChanges");
        assertFalse(hasChanges("t-text"));
        String system = h.llm.requests().get(0).bodyText();
        assertTrue(system.contains("a new, empty git repository, made on your first tool call"), system);
        assertFalse(system.contains("git checkout of"), "no checkout is claimed before there is one: " + system);
        TaskProgress saved = h.sessions.load("c-text").orElseThrow().task("t-text");
        assertEquals(0, saved.workspaceCalls);
        assertTrue(saved.workspacePending);
    }

    @Test
    void aTaskWhoseFirstCallIsBashGetsItsWorkspaceFirstThenItsDiff() throws Exception {
        h.llm.enqueue(bash("b1", "echo hi > hi.txt"), Reply.text("Wrote hi.txt"));
        h.run(loop(), WorkspaceWiringTest.start("t-b", "c-b", null));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-b").status().state());
        assertEquals(List.of("prepare", "execute", "changes"), ws.ops());
        Object[] prep = (Object[]) ws.calls.get(0).detail();
        assertNull(prep[0], "no source: the context's workspace, an empty repository");
        assertEquals(false, prep[1]);
        assertEquals("c-b", ws.calls.get(0).sessionId());
        assertEquals("hi\n", Files.readString(h.tools.workspace("c-b").resolve("hi.txt")), "bash ran");
        assertTrue(hasChanges("t-b"), "bash changed no file the loop knows of, yet the diff is asked for");
        String after = h.llm.requests().get(1).bodyText();
        assertTrue(after.contains("git checkout of git://127.0.0.1/project.git"),
                "once made, the model is told what it is: " + after);
        assertEquals(1, h.sessions.load("c-b").orElseThrow().task("t-b").workspaceCalls);
    }

    @Test
    void calledSeveralTimesAWorkspaceIsMadeOnce() {
        h.llm.enqueue(Reply.tools(Reply.call("a", "bash", Map.of("command", "true")),
                Reply.call("b", "write_file", Map.of("path", "x.txt", "content", "x"))),
                bash("c", "true"), Reply.text("done"));
        h.run(loop(), WorkspaceWiringTest.start("t-m", "c-m", null));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-m").status().state());
        assertEquals(List.of("prepare", "execute", "execute", "execute", "changes"), ws.ops());
        assertEquals(3, h.sessions.load("c-m").orElseThrow().task("t-m").workspaceCalls);
    }

    @Test
    void callsInParallelMakeTheWorkspaceOnce() throws Exception {
        // a skill that runs eight workspace calls at once before any model call: all of them find it not made yet
        int n = 8;
        LoopTool fanOut = new LoopTool() {
            @Override
            public ToolSpec spec() {
                return ToolSpec.readOnly("fan_out", "eight listings at once", "{\"type\":\"object\"}");
            }

            @Override
            public Result run(ToolInvocation call, LoopAccess loop) {
                return Result.error("only as a skill");
            }

            @Override
            public Optional<Result> runSkill(TaskCommand.StartTask start, LoopAccess loop) throws InterruptedException {
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                AtomicInteger ok = new AtomicInteger();
                for (int i = 0; i < n; i++) {
                    String key = "l" + i;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            go.await();
                            if (loop.tool(key, "list_dir", "{\"path\":\".\"}").ok()) {
                                ok.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                go.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                return Optional.of(Result.ok(ok.get() + " listings"));
            }
        };
        // the first prepare takes a while, so the other calls arrive while it runs
        AtomicInteger prepares = new AtomicInteger();
        Workspaces slow = new Workspaces() {
            @Override
            public Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress)
                    throws Failure, InterruptedException {
                if (prepares.incrementAndGet() == 1) {
                    Thread.sleep(200);
                }
                return ws.prepare(sessionId, source, egress);
            }

            @Override
            public Changes changes(String sessionId) {
                return ws.changes(sessionId);
            }

            @Override
            public Committed commit(String sessionId, String message, Author author) {
                return ws.commit(sessionId, message, author);
            }

            @Override
            public Pushed push(String sessionId, String branch, String message, Author author) throws Failure {
                return ws.push(sessionId, branch, message, author);
            }
        };
        TaskCommand.StartTask start = new TaskCommand.StartTask("t-p", "c-p", null, Commands.user("list"), "moonshotai",
                null, "fan_out", null, null, null, null, Map.of(), null);
        h.run(loop(slow, fanOut), start);

        assertEquals(TaskState.COMPLETED, h.finalOf("t-p").status().state());
        assertEquals(n + " listings", h.sessions.load("c-p").orElseThrow().task("t-p").finalText);
        assertEquals(1, prepares.get(), "made once: " + ws.ops());
        assertEquals(n, ws.ops().stream().filter("execute"::equals).count());
        assertEquals("prepare", ws.ops().get(0), "before every call");
        assertEquals(n, h.sessions.load("c-p").orElseThrow().task("t-p").workspaceCalls);
    }

    @Test
    void aResumedTaskThatRanACallBeforeItsWorkerWasLostStillReportsItsChange() throws Exception {
        // the first worker runs the call, saves its result, and is lost while it waits for the model
        h.llm.enqueue(bash("b1", "echo x > x.txt"), Reply.text("too late").withDelay(Duration.ofSeconds(30)));
        AgentLoop first = loop();
        TaskRun cut = new TaskRun(WorkspaceWiringTest.start("t-r", "c-r", null));
        Thread t = Thread.ofVirtual().start(() -> first.run(cut));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (h.llm.requests().size() < 2 && System.nanoTime() < until) {
            Thread.sleep(5); // the second model call starts only after the call's result was saved
        }
        assertEquals(2, h.llm.requests().size(), "the first worker reached its second model call");
        cut.abandon();
        t.join(Duration.ofSeconds(10));
        assertFalse(t.isAlive());
        assertEquals(List.of("prepare", "execute"), ws.ops());

        // another worker takes the redelivered start: no call runs there, the change is still the task's
        ws.calls.clear();
        h.llm.enqueue(Reply.text("Wrote x.txt"));
        h.run(loop(), WorkspaceWiringTest.start("t-r", "c-r", null));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-r").status().state());
        assertEquals(List.of("changes"), ws.ops(), "made before the loss: not again; the diff is asked for");
        assertTrue(hasChanges("t-r"));
    }

    @Test
    void aWorkspaceThatCannotBeMadeAnswersTheCallWithTheReasonAndTheTaskGoesOn() {
        ws.prepareFailure = new Workspaces.Failure(Workspaces.Failure.Kind.UNAVAILABLE, "tools-service is restarting");
        h.llm.enqueue(bash("b1", "echo x > x.txt"), Reply.text("I could not run it."));
        h.run(loop(), WorkspaceWiringTest.start("t-f", "c-f", null));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-f").status().state());
        assertEquals(List.of("prepare"), ws.ops(), "the call did not run; no diff of what does not exist");
        String result = LoopHarness.lastResult(h.llm.requests().get(1));
        assertTrue(result.contains("The workspace could not be prepared: tools-service is restarting"), result);
        assertFalse(hasChanges("t-f"));
    }

    @Test
    void withAnOlderToolsServiceTheCallRunsInAPlainDirectoryAndNoChangeIsReported() throws Exception {
        ws.prepareFailure = new Workspaces.Failure(Workspaces.Failure.Kind.UNSUPPORTED,
                "tools-service at 127.0.0.1:1 has no workspace RPCs (upgrade tools-service)");
        h.llm.enqueue(bash("b1", "echo x > x.txt"), bash("b2", "true"), Reply.text("done"));
        h.run(loop(), WorkspaceWiringTest.start("t-o", "c-o", null));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-o").status().state());
        assertEquals(List.of("prepare", "execute", "execute"), ws.ops(), "asked once, then a plain directory");
        assertEquals("x\n", Files.readString(h.tools.workspace("c-o").resolve("x.txt")));
        assertFalse(hasChanges("t-o"));
        assertFalse(h.llm.requests().get(1).bodyText().contains("git repository"), "no workspace note any more");
    }

    private boolean hasChanges(String taskId) {
        return h.events.of(taskId).stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("changes"));
    }
}
