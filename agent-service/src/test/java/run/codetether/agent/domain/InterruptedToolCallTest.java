package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19: a tool call that did not complete (tools-service died while it ran) reaches the model as INTERRUPTED,
 * never as an ordinary result, and the task does not end COMPLETED on its account, unless the model ran the same
 * call again and it completed. Real loop, scripted provider, real gRPC tools; the interruption is what the agent's
 * tools client returns for such a call.
 */
class InterruptedToolCallTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** The real tools client, except that the first attempt of {@code cut} comes back interrupted. */
    private ToolExecutor cutting(String cut, List<String> seen) {
        ToolExecutor real = h.toolClient;
        return new ToolExecutor() {
            @Override
            public List<ToolSpec> list() {
                return real.list();
            }

            @Override
            public Outcome execute(String session, String callId, String tool, String args, Duration timeout)
                    throws InterruptedException {
                seen.add(callId);
                if (callId.endsWith(cut)) {
                    return Outcome.interrupted("INTERRUPTED: this call started before tools-service restarted and did"
                            + " not finish; it was not run again (it may have done part of its work: check before"
                            + " repeating it)");
                }
                return real.execute(session, callId, tool, args, timeout);
            }

            @Override
            public Outcome execute(String session, String callId, String tool, String args, Duration timeout,
                    Consumer<String> output) throws InterruptedException {
                return execute(session, callId, tool, args, timeout);
            }
        };
    }

    @Test
    void anInterruptedCallIsToldToTheModelAsSuchAndTheTaskFailsWithTheReason() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AgentLoop loop = LoopHarness.loop(h.settings(), h.providers(), cutting("b1", seen), h.events, h.sessions);
        h.llm.enqueue(Reply.tools(Reply.call("b1", "bash", Map.of("command", "echo x >> count.txt; sleep 30"))),
                Reply.text("The command ran."));
        h.run(loop, Commands.start("t-cut", "c-cut", "moonshotai", "count things"));

        TaskEvent.StatusChanged last = h.finalOf("t-cut");
        assertEquals(TaskState.FAILED, last.status().state(), "never COMPLETED on a call that did not complete");
        String reason = last.status().message().text();
        assertTrue(reason.startsWith("Tool call interrupted: bash (call "), reason);
        assertTrue(reason.contains("was not run again") && reason.contains("The agent's answer:\nThe command ran."),
                reason);
        String told = LoopHarness.lastResult(h.llm.requests().get(1));
        assertTrue(told.startsWith("INTERRUPTED: this call started before tools-service restarted"), told);
    }

    @Test
    void theSameCallRunAgainToCompletionLetsTheTaskComplete() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AgentLoop loop = LoopHarness.loop(h.settings(), h.providers(), cutting("b1", seen), h.events, h.sessions);
        Map<String, Object> cmd = Map.of("command", "echo once >> count.txt");
        h.llm.enqueue(Reply.tools(Reply.call("b1", "bash", cmd)), Reply.tools(Reply.call("b2", "bash", cmd)),
                Reply.text("Ran it again after the interruption."));
        h.run(loop, Commands.start("t-again", "c-again", "moonshotai", "count once"));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-again").status().state());
        assertEquals(2, seen.size(), "the model's repeat is a new call: " + seen);
    }
}
