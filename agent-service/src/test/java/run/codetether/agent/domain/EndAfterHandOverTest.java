package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.ObservedSessions;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19's broker drill, one layer down: the worker is fenced from its group as the broker comes back (its
 * partitions "lost", its runs abandoned) right around the moment a run saves its end, and the start command comes
 * back to it. Whatever the order, the task's end reaches the event log exactly once from this worker: never a task
 * whose session says COMPLETED while its events say WORKING for ever. Real loop, scripted model, real gRPC tools.
 */
class EndAfterHandOverTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private AgentLoop loop(EventPublisher events, SessionStore sessions) {
        return LoopHarness.loop(h.settings(), h.providers(), h.toolClient, events, sessions);
    }

    private long completions(String taskId) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED).count();
    }

    @Test
    void aRunAbandonedWhileItsEndIsSavedLeavesTheEndToTheRedeliveredCommand() {
        // the end's save is on its way (Kafka delivers it once the broker is back) when the group fences the worker
        SessionStore fencedAtTheEnd = new ObservedSessions(h.sessions, s -> {
            if (s.tasks.values().stream().anyMatch(t -> t.state == TaskProgress.State.COMPLETED)) {
                h.current().abandon();
            }
        });
        AgentLoop loop = loop(h.events, fencedAtTheEnd);
        h.llm.enqueue(Reply.text("Finished after the broker came back."));
        TaskCommand.StartTask start = Commands.start("t-fence", "c-fence", "moonshotai", "answer");
        TaskRun first = h.run(loop, start);
        assertTrue(first.abandoned());
        assertEquals(0, completions("t-fence"), "an abandoned run publishes nothing");
        assertEquals(TaskProgress.State.COMPLETED, h.sessions.load("c-fence").orElseThrow().task("t-fence").state,
                "but its end's save landed");

        // the partition comes back and the start is redelivered: its end goes out, the model is not asked again
        int asked = h.llm.requests().size();
        h.run(loop(h.events, h.sessions), start);
        assertEquals(1, completions("t-fence"), h.events.of("t-fence").toString());
        TaskEvent.StatusChanged done = h.finalOf("t-fence");
        assertEquals("Finished after the broker came back.", h.finalText("t-fence"));
        assertEquals(asked, h.llm.requests().size(), "the end came from the session, not from another model call");
        TaskEvent.ArtifactAdded answer = h.events.of("t-fence").stream()
                .flatMap(e -> e.unfolded().stream()) // the answer artifact rides on the final status (issue 18)
                .filter(e -> e instanceof TaskEvent.ArtifactAdded).map(e -> (TaskEvent.ArtifactAdded) e)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(List.of("Finished after the broker came back."), answer.artifact().parts().stream()
                .map(p -> ((Part.Text) p).text()).toList(), "the answer whole, not a closing chunk of a partial");
    }

    @Test
    void aRunAbandonedAfterItsEndWasSavedPublishesItAndTheRedeliveryAddsNothing() {
        // the broker acked the end's save; the group fences the worker while the run publishes that end
        EventPublisher fencedWhilePublishing = event -> {
            if (event instanceof TaskEvent.StatusChanged s && s.isFinal()) { // the end (it carries the answer)
                h.current().abandon();
            }
            h.events.publish(event);
        };
        AgentLoop loop = loop(fencedWhilePublishing, h.sessions);
        h.llm.enqueue(Reply.text("Done."));
        TaskCommand.StartTask start = Commands.start("t-late", "c-late", "moonshotai", "answer");
        TaskRun first = h.run(loop, start);
        assertTrue(first.abandoned());
        assertEquals(1, completions("t-late"), "a saved end is published even by a run handed over meanwhile");

        h.run(loop, start); // redelivered to the same worker, which published the end
        assertEquals(1, completions("t-late"), "completed once: " + h.events.of("t-late"));
    }

    @Test
    void anEndThatCouldNotBePublishedIsNotTurnedIntoAFailureAndTheCommandsNextRunPublishesIt() {
        boolean[] outage = {true};
        EventPublisher brokerGone = event -> {
            if (outage[0] && event instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                throw new IllegalStateException("cannot publish to tasks.events: Expiring 1 record(s)");
            }
            h.events.publish(event);
        };
        AgentLoop loop = loop(brokerGone, h.sessions);
        h.llm.enqueue(Reply.text("Done in an outage."));
        TaskCommand.StartTask start = Commands.start("t-out", "c-out", "moonshotai", "answer");
        TaskRun first = h.run(loop, start);
        assertNotNull(first.unreported(), "the run says its end did not go out (the intake runs it again)");
        assertEquals(0, h.events.of("t-out").stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.isFinal()).count());
        assertEquals(TaskProgress.State.COMPLETED, h.sessions.load("c-out").orElseThrow().task("t-out").state,
                "the saved end stays COMPLETED (not overwritten by an 'internal error' failure)");

        outage[0] = false;
        TaskRun again = h.run(loop, start);
        assertNull(again.unreported());
        assertEquals(1, completions("t-out"));
        assertEquals("Done in an outage.", h.finalText("t-out"));
    }
}
