package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.approval.ApprovalRequest;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19: a decision (approve/deny) and a kill -9 of the agent. The answer reaches the agent as a command that is
 * committed only after its run ends, so a worker killed before the decision was saved, or after the run's next
 * question went out but before the commit (the ~50 ms window), has the SAME answer redelivered to the next worker.
 * Through the real loop, a scripted model, real gRPC tools and JSON-copied sessions; the "kill" is a run abandoned
 * (before its first save) and a fresh loop (another worker, empty memory) taking the redelivered command.
 */
class ApprovalRedeliveryTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private static TaskCommand.StartTask start(String taskId, String ctx) {
        return new TaskCommand.StartTask(taskId, ctx, null, Commands.user("fix notes.txt"), "moonshotai", null, null,
                null, null, null, Map.of(MetadataKeys.ACCESS_MODE, "approve"), null);
    }

    private ApprovalRequest asked(String taskId) {
        TaskEvent.StatusChanged s = h.finalOf(taskId);
        assertEquals(TaskState.INPUT_REQUIRED, s.status().state(), s.toString());
        return s.status().message().parts().stream().filter(p -> p instanceof Part.Data)
                .map(p -> ApprovalRequest.fromData(((Part.Data) p).data())).findFirst().orElseThrow();
    }

    @Test
    void aDecisionNotSavedBeforeTheKillIsTakenFromTheRedeliveredAnswerOnce() throws Exception {
        Path notes = h.tools.workspace("c-ns").resolve("notes.txt");
        Files.writeString(notes, "helo\n");
        h.llm.enqueue(Reply.tools(Reply.call("e1", "edit", Map.of("path", "notes.txt", "old_string", "helo",
                "new_string", "hello"))), Reply.text("done"));
        h.run(h.loop(), start("t-ns", "c-ns"));
        assertEquals("e1", asked("t-ns").callId());

        // the worker dies before the decision is saved: its run stops at the first save, nothing is durable
        TaskCommand.ContinueTask approve = Commands.answer("t-ns", "c-ns", "approve");
        TaskRun killed = new TaskRun(approve);
        killed.abandon();
        h.loop().run(killed);
        assertEquals("e1", h.sessions.load("c-ns").orElseThrow().task("t-ns").pendingApprovalCallId,
                "not saved: the session still waits for the decision");
        assertEquals(0, h.tools.appliedCount("c-ns", "e1"));

        // the uncommitted answer is redelivered to the next worker: the decision is taken, the edit runs once
        h.run(h.loop(), approve);
        assertEquals(TaskState.COMPLETED, h.finalOf("t-ns").status().state());
        assertEquals(1, h.tools.appliedCount("c-ns", "e1"));
        assertEquals("hello\n", Files.readString(notes));
    }

    @Test
    void anAnswerRedeliveredAfterTheNextQuestionWentOutDoesNotDecideThatQuestion() throws Exception {
        Path notes = h.tools.workspace("c-rd").resolve("notes.txt");
        Files.writeString(notes, "helo world\n");
        h.llm.enqueue(Reply.tools(Reply.call("e1", "edit", Map.of("path", "notes.txt", "old_string", "helo",
                        "new_string", "hello"))),
                Reply.tools(Reply.call("e2", "edit", Map.of("path", "notes.txt", "old_string", "world",
                        "new_string", "DELETED"))),
                Reply.text("done"));
        h.run(h.loop(), start("t-rd", "c-rd"));
        assertEquals("e1", asked("t-rd").callId());

        // a plain-text "approve" (no call id: it answers the open request) decides e1; the run goes on to ask e2
        TaskCommand.ContinueTask approve = Commands.answer("t-rd", "c-rd", "approve");
        h.run(h.loop(), approve);
        assertEquals(1, h.tools.appliedCount("c-rd", "e1"));
        assertEquals("e2", asked("t-rd").callId());
        int events = h.events.of("t-rd").size();

        // killed between e2's question going out and the answer's commit: the same answer reaches another worker
        h.run(h.loop(), approve);
        assertEquals(0, h.tools.appliedCount("c-rd", "e2"), "the answer to e1 must not approve e2");
        assertEquals("hello world\n", Files.readString(notes));
        var task = h.sessions.load("c-rd").orElseThrow().task("t-rd");
        assertEquals("e2", task.pendingApprovalCallId, "the task still waits for the decision on e2");
        assertEquals(null, task.approvals.get("e2"));
        List<TaskEvent> after = h.events.of("t-rd").subList(events, h.events.of("t-rd").size());
        assertTrue(after.stream().allMatch(e -> e instanceof TaskEvent.StatusChanged s
                        && s.status().state() == TaskState.INPUT_REQUIRED),
                "at most the open question again (the new worker did not send it): " + after);
        assertEquals("e2", asked("t-rd").callId());

        // the user's own decision on e2 still counts
        h.run(h.loop(), Commands.answer("t-rd", "c-rd", "deny"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-rd").status().state());
        assertEquals(0, h.tools.appliedCount("c-rd", "e2"));
    }

    @Test
    void anAnswerRedeliveredAfterTheNextQuestionWentOutIsNotTheAnswerToThatQuestion() {
        h.llm.enqueue(Reply.tools(Reply.call("q1", "question", Map.of("question", "Which file?"))),
                Reply.tools(Reply.call("q2", "question", Map.of("question", "Delete the old one too?"))),
                Reply.text("done"));
        h.run(h.loop(), Commands.start("t-q", "c-q", "moonshotai", "fix the bug"));
        TaskCommand.ContinueTask answer = Commands.answer("t-q", "c-q", "b.txt");
        h.run(h.loop(), answer);
        assertEquals("Delete the old one too?", h.finalOf("t-q").status().message().text());

        h.run(h.loop(), answer); // redelivered to another worker after a kill before its commit
        assertEquals(2, h.llm.requests().size(), "no model call: q2 is not answered with q1's answer");
        var task = h.sessions.load("c-q").orElseThrow().task("t-q");
        assertEquals("q2", task.pendingQuestionCallId);
        assertEquals("Delete the old one too?", h.finalOf("t-q").status().message().text());

        h.run(h.loop(), Commands.answer("t-q", "c-q", "no"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-q").status().state());
        assertEquals("no", LoopHarness.lastResult(h.llm.requests().get(2)));
    }
}
