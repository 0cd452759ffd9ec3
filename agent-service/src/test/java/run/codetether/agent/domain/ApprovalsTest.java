package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.approval.ApprovalRequest;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** Access modes and approvals, through the real loop, a scripted provider and real gRPC tools. */
class ApprovalsTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private static TaskCommand.StartTask start(String taskId, String ctx, String mode) {
        Map<String, Object> md = mode == null ? Map.of() : Map.of(MetadataKeys.ACCESS_MODE, mode);
        return new TaskCommand.StartTask(taskId, ctx, null, Commands.user("fix notes.txt"), "moonshotai", null, null,
                null, null, null, md, null);
    }

    private static TaskCommand.ContinueTask decide(String taskId, String ctx, String callId, String decision) {
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(new Part.Data(Map.of(
                MetadataKeys.APPROVAL, Map.of("call_id", callId, "decision", decision)), null)), ctx, taskId, null,
                null, null);
        return new TaskCommand.ContinueTask(taskId, ctx, m, null);
    }

    private ApprovalRequest request(TaskEvent.StatusChanged s) {
        assertEquals(TaskState.INPUT_REQUIRED, s.status().state());
        return s.status().message().parts().stream().filter(p -> p instanceof Part.Data)
                .map(p -> ApprovalRequest.fromData(((Part.Data) p).data())).findFirst().orElseThrow();
    }

    private Path file(String ctx, String name, String text) throws Exception {
        Path p = h.tools.workspace(ctx).resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void approveModeRunsReadsAtOnceAsksBeforeAnEditAndADenialReachesTheModelAsARefusal() throws Exception {
        Path notes = file("c-ap", "notes.txt", "helo world\n");
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("r1", "read_file", Map.of("path", "notes.txt")),
                        Reply.call("e1", "edit", Map.of("path", "notes.txt", "old_string", "helo", "new_string", "hello"))),
                Reply.tools(Reply.call("e2", "edit", Map.of("path", "notes.txt", "old_string", "helo", "new_string", "hallo"))),
                Reply.text("done"));
        h.run(loop, start("t-ap", "c-ap", "approve"));

        ApprovalRequest asked = request(h.finalOf("t-ap"));
        assertEquals("e1", asked.callId());
        assertEquals("edit", asked.tool());
        assertEquals("hello", asked.arguments().get("new_string"));
        assertTrue(asked.preview().contains("-helo") && asked.preview().contains("+hello"), asked.preview());
        assertTrue(h.finalOf("t-ap").status().message().text().startsWith("Approve edit?"));
        assertEquals(1, h.tools.appliedCount("c-ap", "r1"), "the read ran at once");
        assertEquals(0, h.tools.appliedCount("c-ap", "e1"), "the edit waits");

        h.run(loop, decide("t-ap", "c-ap", "e1", "deny"));
        ApprovalRequest second = request(h.finalOf("t-ap"));
        assertEquals("e2", second.callId());
        RecordedRequest afterDeny = h.llm.requests().get(1);
        String refusal = LoopHarness.lastResult(afterDeny);
        assertTrue(refusal.contains("denied") && refusal.contains("did not run"), refusal);
        assertEquals(0, h.tools.appliedCount("c-ap", "e1"));

        h.run(loop, decide("t-ap", "c-ap", "e2", "approve"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-ap").status().state());
        assertEquals(1, h.tools.appliedCount("c-ap", "e2"));
        assertEquals("hallo world\n", Files.readString(notes));
        // a redelivered answer after the end changes nothing
        h.run(loop, decide("t-ap", "c-ap", "e2", "approve"));
        assertEquals(1, h.tools.appliedCount("c-ap", "e2"));
    }

    @Test
    void approveAllAsPlainTextRunsTheRestOfTheTaskWithoutAsking() throws Exception {
        file("c-all", "notes.txt", "a\n");
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("w1", "write_file", Map.of("path", "x.txt", "content", "1"))),
                Reply.tools(Reply.call("b1", "bash", Map.of("command", "cat x.txt"))),
                Reply.text("done"));
        h.run(loop, start("t-all", "c-all", "ask"));
        assertEquals("w1", request(h.finalOf("t-all")).callId());
        assertNull(request(h.finalOf("t-all")).preview(), "write_file has no preview in this double");

        h.run(loop, Commands.answer("t-all", "c-all", "Approve all"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-all").status().state());
        assertEquals(1, h.tools.appliedCount("c-all", "b1"), "approve all covered the later bash call");
        assertTrue(LoopHarness.lastResult(h.llm.requests().get(2)).contains("1"));
    }

    @Test
    void anyOtherTextDeniesAndTheModelReadsTheWords() throws Exception {
        file("c-txt", "notes.txt", "a\n");
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("b1", "bash", Map.of("command", "rm notes.txt"))), Reply.text("ok"));
        h.run(loop, start("t-txt", "c-txt", null) instanceof TaskCommand.StartTask s
                ? new TaskCommand.StartTask(s.taskId(), s.contextId(), null, s.message(), s.provider(), null, null, null,
                        null, null, Map.of(MetadataKeys.WORKSPACE, Map.of("codebase", "app")), null) : null);
        assertEquals("b1", request(h.finalOf("t-txt")).callId(), "a codebase task defaults to approve");
        h.run(loop, Commands.answer("t-txt", "c-txt", "no, keep that file"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-txt").status().state());
        String refusal = LoopHarness.lastResult(h.llm.requests().get(1));
        assertTrue(refusal.contains("The user said: no, keep that file"), refusal);
        assertEquals(0, h.tools.appliedCount("c-txt", "b1"));
    }

    @Test
    void fullModeAndTasksWithoutAModeNeverAsk() throws Exception {
        AgentLoop loop = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("w1", "write_file", Map.of("path", "x.txt", "content", "1"))),
                Reply.text("done"));
        h.run(loop, start("t-full", "c-full", null));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-full").status().state());
        assertEquals(1, h.tools.appliedCount("c-full", "w1"));
    }

    @Test
    void anUnknownAccessModeFailsTheTaskAndSaysWhichAreAccepted() {
        h.run(h.loop(), start("t-bad", "c-bad", "yolo"));
        TaskEvent.StatusChanged s = h.finalOf("t-bad");
        assertEquals(TaskState.FAILED, s.status().state());
        assertTrue(s.status().message().text().contains("full, approve, ask"), s.status().message().text());
        assertTrue(h.llm.requests().isEmpty());
    }

    @Test
    void anApprovedCallCutOffByAWorkerLossRunsOnceWhenAnotherWorkerResumes() throws Exception {
        AgentLoop first = h.loop();
        h.llm.enqueue(Reply.tools(Reply.call("b1", "bash", Map.of("command", "echo x >> count.txt; sleep 1"))),
                Reply.text("done"));
        h.run(first, start("t-rs", "c-rs", "approve"));
        assertEquals("b1", request(h.finalOf("t-rs")).callId());

        // the approval is taken in and the call starts; the worker is lost while the command runs
        TaskRun cut = new TaskRun(decide("t-rs", "c-rs", "b1", "approve"));
        Thread t = Thread.ofVirtual().start(() -> first.run(cut));
        Path count = h.tools.workspace("c-rs").resolve("count.txt");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(count) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        cut.abandon();
        t.join(Duration.ofSeconds(10));
        assertFalse(t.isAlive());

        // the redelivered answer on another worker: the decision is in the session, the call id is the same
        h.run(h.loop(), decide("t-rs", "c-rs", "b1", "approve"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-rs").status().state());
        assertEquals(1, h.tools.appliedCount("c-rs", "b1"));
        assertEquals("x\n", Files.readString(count));
        assertNotNull(h.sessions.load("c-rs").orElseThrow().task("t-rs").approvals.get("b1"));
    }

    @Test
    void anApprovedCallOfATaskOnAWorkersCodebaseRunsOnThatCodebaseUnderTheTasksKeys() throws Exception {
        // the worker's side is the harness's tools server, session "c-cb" standing in for the codebase
        Path greeting = file("c-cb", "greeting.txt", "hello world\n");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ToolExecutor onWorker = new ToolExecutor() {
            @Override
            public List<run.codetether.agent.domain.model.ToolSpec> list() {
                return h.toolClient.list();
            }

            @Override
            public Preview preview(String sessionId, String tool, String args) throws InterruptedException {
                seen.add("preview " + tool + " in " + sessionId);
                return h.toolClient.preview(worker(sessionId), tool, args);
            }

            @Override
            public Outcome execute(String sessionId, String callId, String tool, String args, Duration timeout)
                    throws InterruptedException {
                seen.add("execute " + tool + " " + callId + " in " + sessionId);
                return h.toolClient.execute(worker(sessionId), callId, tool, args, timeout);
            }

            private String worker(String sessionId) {
                return sessionId.equals("worker/cb-0123456789abcdef") ? "c-cb" : "not-the-codebase";
            }
        };
        AgentLoop loop = LoopHarness.loop(h.settings(), h.providers(), onWorker, h.events, h.sessions);
        h.llm.enqueue(Reply.tools(Reply.call("e1", "edit", Map.of("path", "greeting.txt", "old_string", "world",
                "new_string", "worker"))), Reply.text("done"));
        Map<String, Object> md = Map.of(MetadataKeys.WORKSPACE, Map.of("codebase", "cb-0123456789abcdef"));
        h.run(loop, new TaskCommand.StartTask("t-cb", "ctx-cb", null, Commands.user("edit it"), "moonshotai", null,
                null, null, null, null, md, null));
        assertEquals("e1", request(h.finalOf("t-cb")).callId(), "a task on a codebase asks by default");

        // the ContinueTask carries only the answer, not the start's metadata
        h.run(loop, decide("t-cb", "ctx-cb", "e1", "approve"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-cb").status().state());
        assertEquals(List.of("preview edit in worker/cb-0123456789abcdef",
                "execute edit task:t-cb:e1 in worker/cb-0123456789abcdef"), seen,
                "the approved edit runs on the codebase under the task's key, not in the context's workspace");
        assertEquals("hello worker\n", Files.readString(greeting));
    }
}
