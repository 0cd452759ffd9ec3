package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.ObservedSessions;
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

/**
 * Issue 19: the agent decided to ask (a question, an approval), saved that, and died (or its partitions were taken)
 * before the question reached the event log. The task's next owner gets the start command again: it asks the same
 * question, and the user's answer resumes the task once. Real loop, scripted model, real gRPC tools; each "worker"
 * is a loop of its own (its memory of what it published starts empty, as after a restart).
 */
class ResentQuestionTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private AgentLoop worker(SessionStore sessions) {
        return LoopHarness.loop(h.settings(), h.providers(), h.toolClient, h.events, sessions);
    }

    /** The sessions, but the worker dies (is handed over) right after its task's input-required state is saved. */
    private SessionStore diesAfterSavingTheQuestion() {
        return new ObservedSessions(h.sessions, s -> {
            if (s.tasks.values().stream().anyMatch(t -> t.state == TaskProgress.State.INPUT_REQUIRED)) {
                h.current().abandon();
            }
        });
    }

    private List<TaskEvent.StatusChanged> asked(String taskId) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.INPUT_REQUIRED).map(e -> (TaskEvent.StatusChanged) e).toList();
    }

    private long completions(String taskId) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED).count();
    }

    @Test
    void aQuestionLostWithItsWorkerIsAskedAgainByTheNextOwnerAndTheAnswerResumesTheTaskOnce() {
        h.llm.enqueue(Reply.tools(Reply.call("q1", "question", Map.of("question", "Which file should I fix?",
                "options", List.of("a.txt", "b.txt")))), Reply.text("Fixed b.txt"));
        TaskCommand.StartTask start = Commands.start("t-lostq", "c-lostq", "moonshotai", "fix the bug");
        assertTrue(h.run(worker(diesAfterSavingTheQuestion()), start).abandoned());
        assertEquals(List.of(), asked("t-lostq"), "the question never reached the log");
        assertEquals(TaskProgress.State.INPUT_REQUIRED,
                h.sessions.load("c-lostq").orElseThrow().task("t-lostq").state);

        AgentLoop next = worker(h.sessions);
        h.run(next, start); // the partition's next owner reads the uncommitted start again
        List<TaskEvent.StatusChanged> questions = asked("t-lostq");
        assertEquals(1, questions.size(), h.events.of("t-lostq").toString());
        assertEquals("Which file should I fix?", questions.get(0).status().message().text());
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) questions.get(0).details().get(MetadataKeys.QUESTION);
        assertEquals(List.of("a.txt", "b.txt"), shown.get("options"), "the options as the model gave them");
        assertEquals(1, h.llm.requests().size(), "asked from the session: no model call");

        h.run(next, start); // redelivered once more to the worker that sent it: nothing repeated
        assertEquals(1, asked("t-lostq").size());

        TaskCommand.ContinueTask answer = Commands.answer("t-lostq", "c-lostq", "b.txt");
        h.run(next, answer);
        assertEquals(1, completions("t-lostq"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-lostq").status().state());
        RecordedRequest resumed = h.llm.requests().get(1);
        assertEquals(List.of(new RecordedRequest.ToolResult("q1", null, "b.txt")), resumed.toolResults());

        h.run(worker(h.sessions), answer); // the answer redelivered to yet another worker: the task resumed once
        assertEquals(2, h.llm.requests().size(), "no second resumption");
        assertEquals(1, h.sessions.load("c-lostq").orElseThrow().messages.stream()
                .filter(m -> m instanceof run.codetether.agent.domain.model.ChatMessage.ToolResult r
                        && r.callId().equals("q1")).count(), "the answer is in the history once");
        assertEquals(1, asked("t-lostq").size(), "the answered question is not asked again");
    }

    @Test
    void anApprovalRequestLostWithItsWorkerIsSentAgainWithItsDataAndTheDecisionRunsTheCallOnce() throws Exception {
        java.nio.file.Files.writeString(h.tools.workspace("c-lostap").resolve("notes.txt"), "helo\n");
        h.llm.enqueue(Reply.tools(Reply.call("e1", "edit", Map.of("path", "notes.txt", "old_string", "helo",
                "new_string", "hello"))), Reply.text("Edited"));
        TaskCommand.StartTask start = new TaskCommand.StartTask("t-lostap", "c-lostap", null,
                Commands.user("fix notes.txt"), "moonshotai", null, null, null, null, null,
                Map.of(MetadataKeys.ACCESS_MODE, "approve"), null);
        assertTrue(h.run(worker(diesAfterSavingTheQuestion()), start).abandoned());
        assertEquals(List.of(), asked("t-lostap"));

        AgentLoop next = worker(h.sessions);
        h.run(next, start);
        List<TaskEvent.StatusChanged> requests = asked("t-lostap");
        assertEquals(1, requests.size(), h.events.of("t-lostap").toString());
        Message msg = requests.get(0).status().message();
        assertTrue(msg.text().startsWith("Approve edit?"), msg.text());
        ApprovalRequest request = msg.parts().stream().filter(p -> p instanceof Part.Data)
                .map(p -> ApprovalRequest.fromData(((Part.Data) p).data())).findFirst().orElseThrow();
        assertEquals("e1", request.callId());
        assertEquals("hello", request.arguments().get("new_string"));
        assertEquals(0, h.tools.appliedCount("c-lostap", "e1"), "the edit still waits");

        Message approve = new Message(UUID.randomUUID().toString(), Role.USER, List.of(new Part.Data(Map.of(
                MetadataKeys.APPROVAL, Map.of("call_id", "e1", "decision", "approve")), null)), "c-lostap",
                "t-lostap", null, null, null);
        TaskCommand.ContinueTask decision = new TaskCommand.ContinueTask("t-lostap", "c-lostap", approve, null);
        h.run(next, decision);
        h.run(next, decision); // redelivered: the task ended, nothing runs or is sent again
        assertEquals(1, completions("t-lostap"));
        int asked = h.llm.requests().size();
        h.run(worker(h.sessions), decision); // and to another worker: at most its end again, never the call
        assertEquals(asked, h.llm.requests().size());
        assertEquals(1, h.tools.appliedCount("c-lostap", "e1"), "the approved edit ran once");
        assertEquals("hello\n", java.nio.file.Files.readString(h.tools.workspace("c-lostap").resolve("notes.txt")));
    }
}
