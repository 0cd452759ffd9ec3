package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** The extension point for agent-level tools that drive the loop (rlm, ralph, prd, swarm). */
class LoopToolTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** Uses every capability once: a workspace tool, a direct model call, a sub-agent and a progress update. */
    static final class Probe implements LoopTool {
        @Override
        public ToolSpec spec() {
            return ToolSpec.mutating("probe", "test tool", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},"
                    + "\"required\":[\"path\"]}");
        }

        @Override
        public Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException {
            String path = call.text("path");
            ToolExecutor.Outcome read = loop.tool("read-" + path, "read_file", "{\"path\":\"" + path + "\"}");
            if (!read.ok()) {
                return Result.error("read failed: " + read.error());
            }
            ModelReply direct;
            try {
                direct = loop.chat(new ModelRequest(loop.model().modelId(), "be brief",
                        List.of(new ChatMessage.User("summarise: " + read.output())), List.of()));
            } catch (ProviderException e) {
                return Result.error(e.getMessage());
            }
            loop.progress("probe half way", Map.of("probe", 1));
            LoopAccess.SubAgentResult sub = loop.subAgent("probe-sub", "check " + path);
            return Result.ok("direct=" + direct.text() + " sub=" + sub.completed() + ":" + sub.text()
                    + " workspace=" + loop.workspaceId());
        }
    }

    @Test
    void aLoopToolCanReadTheWorkspaceCallTheModelRunASubAgentAndReportProgress() throws Exception {
        Files.writeString(h.tools.workspace("c-p").resolve("a.txt"), "ALPHA-CONTENT");
        h.llm.enqueue(Reply.tools(Reply.call("p1", "probe", Map.of("path", "a.txt"))),
                Reply.text("SUMMARY-OF-ALPHA"),
                Reply.text("sub-agent checked it"),
                Reply.text("all done"));
        h.run(h.loop(new Probe()), Commands.start("t-p", "c-p", "moonshotai", "probe a.txt"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(4, reqs.size());
        assertTrue(reqs.get(0).toolNames().contains("probe"), "the loop tool is offered to the model");
        assertTrue(reqs.get(1).bodyText().contains("ALPHA-CONTENT"), "the direct model call saw the workspace file");
        assertTrue(reqs.get(2).bodyText().contains("check a.txt"));
        assertFalse(reqs.get(2).toolNames().contains("probe"), "sub-agents are not offered the loop tool by default");
        var results = reqs.get(3).toolResults();
        assertEquals("direct=SUMMARY-OF-ALPHA sub=true:sub-agent checked it workspace=c-p",
                results.get(results.size() - 1).content());
        List<TaskEvent> events = h.events.of("t-p");
        assertTrue(events.stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s && s.status().message() != null
                && "probe half way".equals(s.status().message().text())), "progress reaches the A2A client");
        TaskEvent.StatusChanged last = (TaskEvent.StatusChanged) events.get(events.size() - 1);
        assertEquals(TaskState.COMPLETED, last.status().state());
        assertTrue(last.progress().usage().tokensIn() > 0, "the tool's model calls count in the usage");
        assertTrue(events.stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s && "p1".equals(s.progress().callId())
                && "probe".equals(s.progress().tool()) && Integer.valueOf(1).equals(s.details().get("probe"))),
                "a loop tool's progress names the tool and its call");
    }

    @Test
    void argumentsAreValidatedAgainstTheToolsSchemaBeforeItRuns() {
        h.llm.enqueue(Reply.tools(Reply.call("p1", "probe", Map.of())), Reply.text("gave up"));
        h.run(h.loop(new Probe()), Commands.start("t-v", "c-v", "moonshotai", "probe"));
        var results = h.llm.requests().get(1).toolResults();
        assertTrue(results.get(0).content().contains("path"), results.get(0).content());
    }

    @Test
    void twoToolsWithOneNameAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> h.loop(new Probe(), new Probe()));
    }
}
